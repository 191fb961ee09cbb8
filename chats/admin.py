"""Admin screens of the chats app live with their sub-packages."""
from chats.visits import admin as visits_admin  # noqa: F401 (registers the proactive rules' screens)
