"""Who may call the REST API, by role. Roles and rows are the tenant rule (`clients.selectors`:
`is_agency_wide`, `is_client_side`, `clients_visible_to`), applied by each view's queryset,
so an object outside a user's clients is a 404, never a 403 that confirms it exists."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from clients.selectors import is_agency_admin, is_agency_wide, is_client_side


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
