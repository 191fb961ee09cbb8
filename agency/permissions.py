"""Who may call the REST API, by role. Which rows they see is the tenant rule
(`agency.selectors.clients_visible_to`), applied by each view's queryset, so an
object outside a user's clients is a 404, never a 403 that confirms it exists."""
from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from agency import roles
from clients.models import Representative


def is_client_side(user) -> bool:
    """A client's owner or representative: they see their own client only, whatever groups they are in."""
    return bool(user and user.is_authenticated) and Representative.objects.filter(user=user).exists()


def is_agency_admin(user) -> bool:
    """A superuser or an agency admin (and not a client-side user)."""
    if not (user and user.is_authenticated and user.is_active) or is_client_side(user):
        return False
    return user.is_superuser or roles.has_role(user, roles.AGENCY_ADMIN)


def is_agency_wide(user) -> bool:
    """Agency admins and supervisors: they see every client."""
    if not (user and user.is_authenticated and user.is_active) or is_client_side(user):
        return False
    return user.is_superuser or roles.has_role(user, *roles.AGENCY_WIDE_ROLES)


class ReadOnlyUnlessAgencyAdmin(BasePermission):
    """Any authenticated user may read (what their queryset shows); only agency admins may write."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_agency_admin(request.user)


class MayHandleLeads(BasePermission):
    """Reading leads: anyone authenticated (within their clients). Marking one handled:
    the client's own people and the agency's admins and supervisors, not agents."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return is_client_side(request.user) or is_agency_wide(request.user)
