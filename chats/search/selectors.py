"""Full-text search over messages, inside the clients a user may see (clients.selectors' tenant rule).

On PostgreSQL: `websearch_to_tsquery` (quotes, `or`, `-word`) against a stored tsvector
column per text search configuration, each GIN-indexed (migration chats …message_search):
`english` and `spanish` stem; Polish has no dictionary in PostgreSQL 15, so `simple`
(lower-cased words, no stemming) serves it and any other language. The column's name
comes from SEARCH_CONFIGS, never from input.
Elsewhere (SQLite, `./run`): a case-insensitive substring match, same scoping.
"""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from chats.models import Message
from chats.transcript import visible_to
from clients import text
from clients.selectors import clients_visible_to
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


QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement_timeout


class SearchResults(QuerySet):
    """Matches newest first, read with the plan PostgreSQL picks under SEARCH_FAST_PLAN_MS.

    For a word it thinks common, PostgreSQL walks the primary key from the newest message
    and stops at a page: fast when the word is common, a whole-table walk when its guess
    was wrong (`question -order`, two words that never meet). Then the statement is cut
    short and the page is read from the GIN index alone (ordered by `id + 0`, which the
    key cannot serve): fast precisely because few messages match."""

    def _fetch_all(self):
        if self._result_cache is not None or connection.vendor != "postgresql":
            return super()._fetch_all()
        try:
            with transaction.atomic(), connection.cursor() as cursor:  # a savepoint inside a request's transaction
                cursor.execute("SELECT current_setting('statement_timeout')")
                previous = cursor.fetchone()[0]
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(settings.SEARCH_FAST_PLAN_MS)])
                super()._fetch_all()
                # A released savepoint keeps a local setting: give the rest of the transaction its own back.
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return
        except OperationalError as error:
            if getattr(error.__cause__, "pgcode", None) != QUERY_CANCELED:  # psycopg2
                raise
        self._result_cache = list(self.from_the_index_alone())

    def from_the_index_alone(self) -> QuerySet[Message]:
        query = self.query.chain()
        query.clear_ordering(force=True)
        query.add_ordering((F("pk") + 0).desc())
        return QuerySet(model=self.model, query=query, using=self._db)


def matching(messages: QuerySet[Message], query: str, language: str | None) -> QuerySet[Message]:
    if connection.vendor != "postgresql":
        return messages.filter(body__icontains=query)
    config = search_config(language)
    table = Message._meta.db_table
    # The configuration comes from SEARCH_CONFIGS; the query is a parameter.
    where = f"{table}.search_{config} @@ websearch_to_tsquery('{config}'::regconfig, %s)"
    return messages.extra(where=[where], params=[query])  # noqa: S610


def search_messages(
    *, user, query: str, language: str | None = None, client_id: int | None = None
) -> QuerySet[Message]:
    """Messages of the clients `user` may see matching `query`, newest first (by id: a common word
    then walks the primary key backwards and stops at a page, a rare one is read from the GIN index).

    `language` picks the stemming (en, es; anything else: simple words); `client_id` narrows
    to one of the user's clients. Raises InvalidInput for an empty, too long or unprintable query."""
    query = checked_query(query)
    visible = clients_visible_to(user).values("pk")
    messages = visible_to(user, SearchResults(model=Message).filter(conversation__client__in=visible))
    if client_id is not None:
        messages = messages.filter(conversation__client_id=client_id)
    return (
        matching(messages, query, language)
        .select_related("conversation__client", "conversation__visitor", "author")
        .order_by("-pk")
    )
