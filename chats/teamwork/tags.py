"""Tags on chats, from the list each client defines (sale, complaint, order status…).

The chat's agent sets them during the chat, and so may any agent who served it
(wrote in it) afterwards, as long as they still serve the client.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from agency.models import Agent
from chats import errors
from chats.history import check_served_by
from chats.models import Conversation
from chats.teamwork.models import Tag
from clients.text import has_unprintable


def tagging_conversation(*, conversation_id: int, agent: Agent) -> Conversation:
    """The conversation, if this agent may tag it; otherwise Forbidden (an unknown id alike)."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise errors.Forbidden()
    check_served_by(conversation, agent)  # the one rule of which chats an agent may act on
    return conversation


def tags_payload(conversation: Conversation) -> dict:
    """The client's list and the chat's tags, as the console shows them."""
    return {
        "available": [{"id": tag.pk, "name": tag.name} for tag in Tag.objects.filter(client_id=conversation.client_id)],
        "tags": sorted(conversation.tags.values_list("pk", flat=True)),
    }


def set_conversation_tags(*, conversation_id: int, agent: Agent, tag_ids: list[int]) -> Conversation:
    """Replace the chat's tags with `tag_ids`, all from its client's list."""
    if not isinstance(tag_ids, list) or not all(isinstance(t, int) and not isinstance(t, bool) for t in tag_ids):
        raise errors.InvalidInput(_("“tags” must be a list of tag ids."))
    with transaction.atomic():
        conversation = tagging_conversation(conversation_id=conversation_id, agent=agent)
        tags = list(Tag.objects.filter(client_id=conversation.client_id, pk__in=tag_ids))
        if len(tags) != len(set(tag_ids)):
            raise errors.InvalidInput(_("Use only the tags of this chat's client."))
        conversation.tags.set(tags)
    return conversation


MAX_TAGS_PER_CLIENT = 50


def set_client_tags(*, client_id: int, names: list[str]) -> list[Tag]:
    """Make the client's list exactly `names` (a tag left out is removed from its chats too)."""
    cleaned = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    if len(cleaned) > MAX_TAGS_PER_CLIENT:
        raise errors.InvalidInput(_("At most %(limit)s tags.") % {"limit": MAX_TAGS_PER_CLIENT})
    if any(len(name) > 50 or has_unprintable(name, multiline=False) for name in cleaned):
        raise errors.InvalidInput(_("A tag is at most 50 characters on one line."))
    with transaction.atomic():
        Tag.objects.filter(client_id=client_id).exclude(name__in=cleaned).delete()
        existing = set(Tag.objects.filter(client_id=client_id).values_list("name", flat=True))
        Tag.objects.bulk_create([Tag(client_id=client_id, name=name) for name in cleaned if name not in existing])
    return list(Tag.objects.filter(client_id=client_id))
