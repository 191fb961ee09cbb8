"""The REST API v1 (mounted at /api/v1/ by agency.urls); docs/api.md describes it."""

from django.urls import path, re_path
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from chats import api as chats_api
from chats.calls import api as callbacks_api
from chats.leads import api as leads_api
from chats.search import api as search_api
from clients import api as clients_api
from clients import api_agents as agency_api
from clients.webhooks import api as webhooks_api
from planning import api as staffing_api
from quality import api as quality_api
from quality.scorecards import api as qa_api
from reports.api import tags as tags_api
from reports.api import views as reports_api
from reports.api.engagement import ClientEngagementView

router = DefaultRouter()
router.include_root_view = False
router.register("clients", clients_api.ClientViewSet, basename="client")
router.register("coverage-windows", clients_api.CoverageWindowViewSet, basename="coverage-window")
router.register("coverage-exceptions", clients_api.CoverageExceptionViewSet, basename="coverage-exception")
router.register("offline-messages", clients_api.OfflineMessageViewSet, basename="offline-message")
router.register("agents", agency_api.AgentViewSet, basename="agent")
router.register("teams", agency_api.TeamViewSet, basename="team")
router.register("conversations", chats_api.ConversationViewSet, basename="conversation")
router.register("escalations", reports_api.EscalationViewSet, basename="escalation")
router.register("reports", reports_api.ReportViewSet, basename="report")
router.register("webhooks", webhooks_api.WebhookEndpointViewSet, basename="webhook")
router.register("leads", leads_api.LeadViewSet, basename="lead")
router.register("callbacks", callbacks_api.CallbackRequestViewSet, basename="callback")
router.register("ratings", quality_api.RatingViewSet, basename="rating")
router.register("qa/rubrics", qa_api.RubricViewSet, basename="qa-rubric")
router.register("qa/reviews", qa_api.ReviewViewSet, basename="qa-review")


class ApiIndex(APIView):
    """Links to the API's collections, its interactive docs and its OpenAPI schema."""

    schema = None

    def get_view_name(self) -> str:
        return "Relevo API v1"

    def get(self, request: Request, *args, **kwargs) -> Response:
        links = {prefix: reverse(f"{basename}-list", request=request) for prefix, _, basename in router.registry}
        links["analytics/agents"] = reverse("analytics-agents", request=request)
        links["docs"] = reverse("api-docs", request=request)
        links["schema"] = reverse("api-schema", request=request)
        return Response(links)


class UnknownEndpoint(APIView):
    """Anything else under /api/v1/: a JSON 404 like every other API error."""

    permission_classes = []
    schema = None

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = get


urlpatterns = [
    path("", ApiIndex.as_view(), name="api-index"),
    *router.urls,
    path(
        "conversations/<int:conversation_id>/messages/",
        chats_api.ConversationMessagesView.as_view(),
        name="conversation-messages",
    ),
    path(
        "conversations/<int:conversation_id>/transcript/",
        chats_api.ConversationTranscriptView.as_view(),
        name="conversation-transcript",
    ),
    path("analytics/clients/<int:client_id>/kpis/", reports_api.ClientKpisView.as_view(), name="analytics-client-kpis"),
    path(
        "analytics/clients/<int:client_id>/heatmap/",
        reports_api.ClientHeatmapView.as_view(),
        name="analytics-client-heatmap",
    ),
    path(
        "analytics/clients/<int:client_id>/tags/", tags_api.ClientTagCountsView.as_view(), name="analytics-client-tags"
    ),
    path(
        "analytics/clients/<int:client_id>/engagement/",
        ClientEngagementView.as_view(),
        name="analytics-client-engagement",
    ),
    path("analytics/agents/", reports_api.AgentKpisView.as_view(), name="analytics-agents"),
    path("staffing/erlang-c/", staffing_api.ErlangCView.as_view(), name="staffing-erlang-c"),
    path(
        "staffing/clients/<int:client_id>/economics/",
        staffing_api.ClientEconomicsView.as_view(),
        name="staffing-client-economics",
    ),
    path("billing/clients/<int:client_id>/", staffing_api.ClientBillingView.as_view(), name="billing-client"),
    path("analytics/clients/<int:client_id>/csat/", quality_api.ClientCsatView.as_view(), name="analytics-csat"),
    path("analytics/clients/<int:client_id>/nps/", quality_api.ClientNpsView.as_view(), name="analytics-nps"),
    path("analytics/agents/csat/", quality_api.AgentCsatView.as_view(), name="analytics-agents-csat"),
    path("messages/search/", search_api.MessageSearchView.as_view(), name="message-search"),
    re_path(r"^.*$", UnknownEndpoint.as_view(), name="api-unknown"),
]
