"""Full-text search over messages, inside the clients a user may see (clients.selectors' tenant rule).

On PostgreSQL: `websearch_to_tsquery` (quotes, `or`, `-word`) against an expression GIN
index per text search configuration — `english` and `spanish` stem; Polish has no
dictionary in PostgreSQL 15, so `simple` (lower-cased words, no stemming) serves it and any
other language (migration chats …message_search). The configuration is inlined from
SEARCH_CONFIGS, never from input, so the planner matches the index expression.
Elsewhere (SQLite, `./run`): a case-insensitive substring match, same scoping.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chats.models import Message
from chats.transcript import visitor_visible
from clients import text
from clients.selectors import clients_visible_to, is_client_side
from core.errors import InvalidInput

SEARCH_CONFIGS = {"en": "english", "es": "spanish", "pl": "simple"}
DEFAULT_CONFIG = "simple"
MAX_QUERY_CHARS = 200


def search_config(language: str | None) -> str:
    return SEARCH_CONFIGS.get((language or "")[:2].lower(), DEFAULT_CONFIG)


def checked_query(query: str) -> str:
    query = text.checked_line(query or "", field="q").strip()
    if not query:
        raise InvalidInput(_("Give the words to search for."))
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(_("The search is longer than %(limit)s characters.") % {"limit": MAX_QUERY_CHARS})
    return query


def matching(messages: QuerySet[Message], query: str, language: str | None) -> QuerySet[Message]:
    if connection.vendor != "postgresql":
        return messages.filter(body__icontains=query)
    config = search_config(language)
    table = Message._meta.db_table
    return messages.extra(where=[  # noqa: S610 (the configuration comes from SEARCH_CONFIGS; the query is a parameter)
        f"to_tsvector('{config}'::regconfig, {table}.body) @@ websearch_to_tsquery('{config}'::regconfig, %s)"],
        params=[query])


def search_messages(*, user, query: str, language: str | None = None, client_id: int | None = None,
                    conversation_ids=None) -> QuerySet[Message]:
    """Messages of the clients `user` may see matching `query`, newest first (by id: a common word
    then walks the primary key backwards and stops at a page, a rare one is read from the GIN index).

    `language` picks the stemming (en, es; anything else: simple words); `client_id` narrows
    to one of the user's clients. Raises InvalidInput for an empty, too long or unprintable query."""
    query = checked_query(query)
    visible = clients_visible_to(user).values("pk")
    messages = Message.objects.filter(conversation__client__in=visible)
    if is_client_side(user):
        messages = visitor_visible(messages)
    if client_id is not None:
        messages = messages.filter(conversation__client_id=client_id)
    if conversation_ids is not None:
        messages = messages.filter(conversation_id__in=conversation_ids)
    return (matching(messages, query, language)
            .select_related("conversation__client", "conversation__visitor", "author").order_by("-pk"))
