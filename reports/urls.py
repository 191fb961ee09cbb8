"""The client portal, mounted at /portal/ by agency.urls."""
from django.urls import path

from reports.portal import dashboard as dashboards
from reports.portal import settings_views as portal_settings
from reports.portal import views
from reports.quality import views as quality

app_name = "reports"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("escalations/<int:escalation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("escalations/<int:escalation_id>/answer/", views.answer, name="answer"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("conversations/", dashboards.conversation_list, name="conversations"),
    path("briefing/", portal_settings.briefing, name="briefing"),
    path("settings/", portal_settings.report_settings, name="settings"),
    path("me/", portal_settings.preferences, name="preferences"),
    path("quality/", quality.portal_quality, name="quality"),
]
