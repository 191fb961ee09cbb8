"""The NPS survey's public page, mounted at /nps/ by agency.urls."""

from django.urls import path

from quality import views

urlpatterns = [
    path("<str:token>/", views.nps_answer, name="nps-answer"),
]
