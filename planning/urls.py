"""The staffing pages, mounted beside the floor's at /floor/ by agency.urls."""

from django.urls import path

from planning import views

app_name = "staffing"

urlpatterns = [
    path("staffing/", views.planner, name="planner"),
    path("staffing.csv", views.planner_csv, name="planner-csv"),
    path("billing/", views.billing_page, name="billing"),
    path("billing.csv", views.billing_csv, name="billing-csv"),
    path("billing.pdf", views.billing_pdf, name="billing-pdf"),
]
