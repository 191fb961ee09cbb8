"""The agency admins' screens of the chats app (sub-packages register theirs here)."""
from chats.leads import admin as leads_admin  # noqa: F401
