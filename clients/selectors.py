"""The tenant rule: who is agency-wide, who is on a client's side, and which clients each may see.

Every edge (floor page and socket, REST API, portal, console) asks these functions;
none checks groups or superuser flags itself.
"""

from __future__ import annotations

from django.db.models import QuerySet

from agency import roles
from clients.models import Client, Representative


def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_client_side(user) -> bool:
    """A client's owner or representative: they see their own client only, whatever groups or flags they have."""
    return is_active_user(user) and Representative.objects.filter(user=user).exists()


def is_agency_wide(user) -> bool:
    """Superusers, agency admins and supervisors see every client; never anyone linked to a client."""
    if not is_active_user(user) or is_client_side(user):
        return False
    return user.is_superuser or roles.has_role(user, *roles.AGENCY_WIDE_ROLES)


def is_agency_admin(user) -> bool:
    """A superuser or an agency admin (and not a client-side user)."""
    if not is_active_user(user) or is_client_side(user):
        return False
    return user.is_superuser or roles.has_role(user, roles.AGENCY_ADMIN)


def clients_visible_to(user) -> QuerySet[Client]:
    """The clients a user may see.

    A client-side user (representative or owner): only their own client, whatever
    groups they are in. Agency-wide users (is_agency_wide): all. An agent: the
    clients they serve. Anyone else: none.
    """
    if not is_active_user(user):
        return Client.objects.none()
    representative = Representative.objects.filter(user=user).only("client_id").first()
    if representative is not None:
        return Client.objects.filter(pk=representative.client_id)
    if is_agency_wide(user):
        return Client.objects.all()
    return Client.objects.filter(agents__user=user).distinct()


def representative_for(user) -> Representative | None:
    """The client representative a login belongs to (with its client), or None."""
    if not user or not user.is_authenticated:
        return None
    return Representative.objects.select_related("client").filter(user=user).first()
