"""Relevo's URLs. The widget endpoints and websocket paths are public contracts (docs/protocol.md)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agency import landing, password_reset
from chats import views as chat_views
from chats.leads import views as lead_views
from chats.search import console as search_console
from chats.teamwork import console as teamwork_api
from chats.visits import views as visit_views
from clients import console as client_console_api
from observability import views as observability
from quality.scorecards import views as qa_views
from reports.escalations import console as report_api

urlpatterns = [
    path("", landing.home, name="home"),
    path("favicon.ico", landing.favicon, name="favicon"),
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.readyz, name="readyz"),
    path("metrics", observability.metrics_page, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", password_reset.password_reset, name="password_reset"),
    path("accounts/password_reset/done/", password_reset.password_reset_done, name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", password_reset.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/reset/done/", password_reset.password_reset_complete, name="password_reset_complete"),
    path("accounts/password_change/", password_reset.password_change, name="password_change"),
    path("accounts/password_change/done/", password_reset.password_change_done, name="password_change_done"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/widget/<str:widget_key>/", chat_views.widget_config, name="widget-config"),
    path("api/widget/<str:widget_key>/conversations/", chat_views.start_conversation, name="widget-start-conversation"),
    path(
        "api/widget/<str:widget_key>/offline-messages/", chat_views.leave_offline_message, name="widget-offline-message"
    ),
    path("api/widget/<str:widget_key>/leads/", lead_views.leave_queue_message, name="widget-queue-lead"),
    path("console/api/conversations/<int:conversation_id>/lead/", lead_views.lead_card, name="console-lead-card"),
    path("console/", chat_views.console, name="console"),
    path("demo/", chat_views.demo_page, name="demo"),
    path("demo/kowalski/", chat_views.kowalski_demo_page, name="demo-kowalski"),
    path(
        "console/api/conversations/<int:conversation_id>/escalations/",
        report_api.escalations,
        name="console-escalations",
    ),
    path("console/api/conversations/<int:conversation_id>/feedback/", report_api.feedback, name="console-feedback"),
    path(
        "console/api/conversations/<int:conversation_id>/escalation-categories/",
        report_api.escalation_categories,
        name="console-escalation-categories",
    ),
    path(
        "console/api/conversations/<int:conversation_id>/visitor-history/",
        report_api.visitor_history,
        name="console-visitor-history",
    ),
    path("console/api/recent-chats/", report_api.recent_chats, name="console-recent-chats"),
    path("console/api/recent-chats/<int:conversation_id>/", report_api.recent_chat, name="console-recent-chat"),
    path("console/api/clients/<int:client_id>/briefing/", client_console_api.briefing, name="console-briefing"),
    path(
        "console/api/clients/<int:client_id>/canned-replies/",
        client_console_api.canned_replies,
        name="console-canned-replies",
    ),
    path(
        "console/api/conversations/<int:conversation_id>/tags/",
        teamwork_api.conversation_tags,
        name="console-conversation-tags",
    ),
    path(
        "console/api/conversations/<int:conversation_id>/transfer-targets/",
        teamwork_api.transfer_targets,
        name="console-transfer-targets",
    ),
    path("console/api/preferences/", teamwork_api.console_preferences, name="console-preferences"),
    path("console/api/visitors/", visit_views.live_visitors, name="console-visitors"),
    path("console/api/visitors/<str:visit_key>/invite/", visit_views.invite, name="console-invite-visitor"),
    path("console/api/search/", search_console.console_search, name="console-search"),
    path("console/chats/<int:conversation_id>/", search_console.chat_history_page, name="console-chat-history"),
    path("console/qa/", qa_views.my_reviews, name="console-qa"),
    path("console/qa/<int:review_id>/", qa_views.my_review, name="console-qa-review"),
    path("portal/", include("portal.urls")),
    path("nps/", include("quality.urls")),
    path("floor/qa/", include("quality.scorecards.urls")),
    path("floor/", include("supervision.urls")),
    path("floor/", include("planning.urls")),
    path("api/v1/", include("agency.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
