"""Reads that cross the agency and its clients: who may see which client."""
from __future__ import annotations

from django.db.models import QuerySet

from agency import roles
from clients.models import Client, Representative


def clients_visible_to(user) -> QuerySet[Client]:
    """The clients a user may see.

    Superusers, agency admins and supervisors: all. A client-side user
    (representative or owner): only their own client, whatever groups they are
    in. An agent: the clients they serve. Anyone else: none.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Client.objects.none()
    representative = Representative.objects.filter(user=user).only("client_id").first()
    if representative is not None:
        return Client.objects.filter(pk=representative.client_id)
    if user.is_superuser or roles.has_role(user, *roles.AGENCY_WIDE_ROLES):
        return Client.objects.all()
    return Client.objects.filter(agents__user=user).distinct()
