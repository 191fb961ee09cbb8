"""The portal's callback requests: a client's representatives see theirs and mark them done or failed."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chats.calls import callbacks
from chats.calls.models import CallbackRequest, CallbackStatus
from core.errors import RelevoError
from portal.requesters import representative_required
from portal.views import PAGE_SIZE


@representative_required
def callback_list(request: HttpRequest, representative) -> HttpResponse:
    """Open callbacks first (soonest first), then the closed ones, newest first."""
    open_ones = CallbackRequest.objects.filter(client_id=representative.client_id, status=CallbackStatus.OPEN)
    closed = (
        CallbackRequest.objects.filter(client_id=representative.client_id)
        .exclude(status=CallbackStatus.OPEN)
        .select_related("closed_by")
        .order_by("-preferred_at")
    )
    page = Paginator(closed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/callbacks.html",
        {
            "representative": representative,
            "open_callbacks": open_ones.order_by("preferred_at")[:200],
            "page": page,
        },
    )


@require_POST
@representative_required
def close_callback(request: HttpRequest, representative, callback_id: int) -> HttpResponse:
    callback = CallbackRequest.objects.filter(pk=callback_id, client_id=representative.client_id).first()
    if callback is None:
        raise Http404
    try:
        if callbacks.close_callback(callback=callback, status=request.POST.get("status", ""), user=request.user):
            messages.success(request, _("Saved."))
        else:
            messages.info(request, _("This callback was already closed."))
    except RelevoError as error:
        messages.error(request, error.detail)
    return redirect("portal:callbacks")
