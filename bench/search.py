"""Search benchmark: full-text search over a generated 1M-message history, p50/p95 ms per query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevo_bench_search \
        .venv/bin/python bench/search.py --conversations 100000 --messages-per-conversation 10

Creates and migrates the database if needed (the GIN indexes of chats' message_search
migration included), generates the history once with reports.analytics' generator (reused
while it holds at least that many conversations), then times `GET /api/v1/messages/search/`
(the first page of 50, as the API answers) for common, rare and absent words,
as a client owner (one client) and as a supervisor (every client). Goal: p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.analytics import set_up_history, timed  # noqa: E402

QUERIES = [  # (q, language): the generator's phrases are English
    ("delivered", "en"),  # ~1 message in 10
    ("ships tomorrow", "en"),  # two words, stemmed
    ('"three to five"', "en"),  # a phrase
    ("question -order", "en"),  # an exclusion
    ("poland", "pl"),  # simple configuration (Polish and others)
    ("refund", "en"),  # nothing matches
    ("entregado", "es"),  # Spanish configuration, nothing matches
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-per-conversation", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    set_up_history(options.conversations, options.messages_per_conversation, "relevo_bench_search")
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client as HttpClient

    from chats.models import Conversation, Message
    from clients.models import Representative, RepresentativeRole

    sizes = list(Conversation.objects.values("client_id").annotate(n=Count("pk")).order_by("-n"))
    users = get_user_model().objects

    def owner_of(name, size):
        owner, created = users.get_or_create(username=f"bench-search-{name}")
        if created:
            Representative.objects.create(user=owner, client_id=size["client_id"], role=RepresentativeRole.OWNER)
        return owner

    big, small = owner_of("owner", sizes[0]), owner_of("small-owner", sizes[-1])
    supervisor, _ = users.get_or_create(
        username="bench-search-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    print(
        f"{Message.objects.count()} messages; the owners' clients have {sizes[0]['n']} (owner) and "
        f"{sizes[-1]['n']} (small) conversations"
    )

    def client_for(user):
        http = HttpClient(SERVER_NAME="localhost")
        http.force_login(user)
        return http

    def search(http, q, language):
        response = http.get("/api/v1/messages/search/", {"q": q, "language": language})
        if response.status_code != 200:
            raise SystemExit(f"search answered {response.status_code}: {response.content[:300]!r}")
        return len(response.json()["results"])

    print(f"{'who':<11} {'query':<22} {'lang':<5} {'on page':>8} {'p50 ms':>8} {'p95 ms':>8}   ({options.runs} runs)")
    worst = 0.0
    for who, user in (("owner", big), ("small", small), ("supervisor", supervisor)):
        http = client_for(user)
        for q, language in QUERIES:
            matches = search(http, q, language)
            p50, p95 = timed(lambda http=http, q=q, language=language: search(http, q, language), options.runs)
            worst = max(worst, p95)
            print(
                f"{who:<11} {q:<22} {language:<5} {matches:>8} {p50:>8.1f} {p95:>8.1f}"
                f"{'' if p95 < 200 else '   over 200 ms'}"
            )
    print(f"worst p95: {worst:.1f} ms (goal: under 200 ms)")


if __name__ == "__main__":
    main()
