"""The client portal, mounted at /portal/ by agency.urls."""

from django.urls import path

from portal import billing as portal_billing
from portal import callbacks, invitation_rules, leads, qa, quality, tags, views
from portal import dashboard as dashboards
from portal import settings_views as portal_settings
from portal import webhooks as portal_webhooks

app_name = "portal"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("reports/", views.report_list, name="report-list"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("escalations/<int:escalation_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("escalations/<int:escalation_id>/answer/", views.answer, name="answer"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("conversations/", dashboards.conversation_list, name="conversations"),
    path("chats/<int:conversation_id>/", views.chat_detail, name="chat"),
    path("briefing/", portal_settings.briefing, name="briefing"),
    path("settings/", portal_settings.report_settings, name="settings"),
    path("me/", portal_settings.preferences, name="preferences"),
    path("webhooks/", portal_webhooks.endpoint_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", portal_webhooks.endpoint_detail, name="webhook"),
    path("webhooks/<int:endpoint_id>/delete/", portal_webhooks.endpoint_delete, name="webhook-delete"),
    path("webhooks/<int:endpoint_id>/rotate-secret/", portal_webhooks.rotate_secret, name="webhook-rotate-secret"),
    path("webhooks/deliveries/<int:delivery_id>/redeliver/", portal_webhooks.redeliver, name="webhook-redeliver"),
    path("billing/", portal_billing.billing_page, name="billing"),
    path("billing.csv", portal_billing.billing_csv, name="billing-csv"),
    path("billing.pdf", portal_billing.billing_pdf, name="billing-pdf"),
    path("tags/", tags.tag_settings, name="tags"),
    path("leads/", leads.lead_list, name="leads"),
    path("leads/export/", leads.lead_export, name="leads-export"),
    path("pre-chat/", leads.pre_chat_settings, name="pre-chat"),
    path("invitations/", invitation_rules.invitation_rules, name="invitations"),
    path("callbacks/", callbacks.callback_list, name="callbacks"),
    path("callbacks/<int:callback_id>/close/", callbacks.close_callback, name="close-callback"),
    path("quality/", quality.portal_quality, name="quality"),
    path("qa/", qa.qa_page, name="qa"),
    path("qa.csv", qa.qa_csv, name="qa-csv"),
]
