"""The supervisors' QA pages, mounted at /floor/qa/ by agency.urls."""

from django.urls import path

from quality.scorecards import views

app_name = "qa"

urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("chats/<int:conversation_id>/", views.review_chat, name="review"),
    path("reviews/<int:review_id>/settle/", views.settle_dispute, name="settle"),
]
