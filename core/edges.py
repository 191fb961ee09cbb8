"""The JSON endpoints' one edge: a view raises, the decorator answers.

`json_endpoint` answers every `RelevoError` a view raises with `core.errors.error_response`
(its status, `{"code", "detail"[, "retry_after"]}`); anything else propagates to Django
(a bug is a 500 and a logged traceback, never a disguised 400). With `requester`, the
decorator first asks `requester(request)` who is calling: it returns the caller (an agent,
a representative…) or raises the refusal (NotAuthenticated 401, Forbidden 403), and the
view gets the caller as its second argument, so no view finds or refuses its caller itself.

    @require_http_methods(["GET"])
    @json_endpoint(requester=requesting_agent)
    def recent_chats(request, agent): ...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, overload

from django.http import HttpRequest, HttpResponse

from core.errors import BadJson, InvalidInput, RelevoError, error_response

View = Callable[..., HttpResponse]


@overload
def json_endpoint(view: View, /) -> View: ...
@overload
def json_endpoint(*, requester: Callable[[HttpRequest], Any] | None = None) -> Callable[[View], View]: ...


def json_endpoint(
    view: View | None = None, /, *, requester: Callable[[HttpRequest], Any] | None = None
) -> View | Callable[[View], View]:
    """`@json_endpoint` or `@json_endpoint(requester=…)`: RelevoError → its JSON answer; see the module."""

    def decorate(view: View) -> View:
        @wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if requester is not None:
                    args = (requester(request), *args)
                return view(request, *args, **kwargs)
            except RelevoError as error:
                return error_response(error)

        return endpoint

    return decorate if view is None else decorate(view)


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object, or InvalidInput."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(BadJson.default_detail) from None
    if not isinstance(data, dict):
        raise InvalidInput(BadJson.default_detail)
    return data
