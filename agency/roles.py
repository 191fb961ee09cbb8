"""The roles people have in Relevo, as Django groups (created by agency/migrations/0003_roles)."""

from __future__ import annotations

AGENCY_ADMIN = "Agency admin"
SUPERVISOR = "Supervisor"
AGENT = "Agent"
CLIENT_OWNER = "Client owner"
CLIENT_REPRESENTATIVE = "Client representative"

ROLES = (AGENCY_ADMIN, SUPERVISOR, AGENT, CLIENT_OWNER, CLIENT_REPRESENTATIVE)
AGENCY_WIDE_ROLES = (AGENCY_ADMIN, SUPERVISOR)


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated) and user.groups.filter(name__in=roles).exists()
