"""The tenant rule applied to REST API querysets: a user sees rows of the clients
`clients_visible_to(user)` returns, and nothing else (so anything else is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from clients.selectors import clients_visible_to


class ClientScopedQuerysetMixin:
    """A view whose `queryset` rows belong to a client through `client_field`.

    Subclasses may override `scope_queryset` for extra rules (an agent sees only themselves…).
    """

    client_field = "client"

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        visible = clients_visible_to(self.request.user).values("pk")
        return self.scope_queryset(queryset.filter(**{f"{self.client_field}__in": visible}))

    def scope_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset
