"""Team limits: a team may cap how many chats its members hold together.

The count is taken under the team row's lock, inside the assignment's
transaction, so two assignments to members of one team are serialised and can
never push the team past its limit (the lock is held until the new chat is
committed as active and so counted by the next one).
"""

from __future__ import annotations

from django.db import connection

from agency.models import Team
from chats.models import Conversation, ConversationStatus


def lock_room_for_one_more(*, agent_id: int) -> bool:
    """Lock the agent's limited teams (in id order, so no deadlocks) and say whether
    every one of them can take one more chat."""
    teams = Team.objects.filter(members=agent_id, max_simultaneous_chats__isnull=False).order_by("pk")
    lock = {"of": ("self",)} if connection.features.has_select_for_update_of else {}
    for team_id, limit in teams.select_for_update(**lock).values_list("pk", "max_simultaneous_chats"):
        active = Conversation.objects.filter(status=ConversationStatus.ACTIVE, agent__teams=team_id).count()
        if active >= limit:
            return False
    return True
