"""`/healthz`, `/readyz` and `/metrics`: what balancers and Prometheus ask every few seconds.

No login, no session, no CSRF (GET and HEAD only), no cache; cheap, and left out of the access
log while they answer (core.json_logs.QuietProbes). docs/operations.md says how to wire them.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import metrics
from core.errors import Forbidden, NotAuthenticated, NotFound, RelevoError, error_response
from observability import readiness
from observability.collectors import SCRAPE_TIME_COLLECTORS


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: 200, touching neither the database nor Redis (a liveness probe)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when this process should get traffic; 503 naming the failed checks (draining, database, redis)."""
    failed = readiness.failed_checks()
    return JsonResponse({"ready": not failed, "failed": failed}, status=503 if failed else 200)


def check_metrics_token(request: HttpRequest) -> None:
    """Refuse unless the caller sends `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time)."""
    if not settings.METRICS_TOKEN:
        raise NotFound()  # off: as if there were no such page
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise NotAuthenticated("Send Authorization: Bearer <METRICS_TOKEN>.")
    if not hmac.compare_digest(given.strip().encode(), settings.METRICS_TOKEN.encode()):
        raise Forbidden("Wrong metrics token.")


@never_cache
@require_safe
def metrics_page(request: HttpRequest) -> HttpResponse:
    """Every process's metrics and the scrape-time gauges, in Prometheus' text format (core.metrics)."""
    try:
        check_metrics_token(request)
    except RelevoError as error:
        response = error_response(error)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.exposition(*SCRAPE_TIME_COLLECTORS), content_type=metrics.CONTENT_TYPE)
