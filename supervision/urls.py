"""The supervisors' pages, mounted at /floor/ by agency.urls."""

from django.urls import path

from supervision import views as floor_views

app_name = "floor"

urlpatterns = [
    path("", floor_views.floor, name="floor"),
    path("agents/", floor_views.agent_report, name="agents"),
]
