"""Fill the database with a realistic chat history (clients, agents, months of chats) for demos and benchmarks."""

import time

from django.core.management.base import BaseCommand

from reports.analytics.history import HistorySize, generate_history


class Command(BaseCommand):
    help = "Create clients, agents and a seasonal history of chats and messages (default 100,000 × 10)."

    def add_arguments(self, parser):
        defaults = HistorySize()
        parser.add_argument("--conversations", type=int, default=defaults.conversations)
        parser.add_argument("--messages-per-conversation", type=int, default=defaults.messages_per_conversation)
        parser.add_argument("--clients", type=int, default=defaults.clients)
        parser.add_argument("--agents", type=int, default=defaults.agents)
        parser.add_argument("--days", type=int, default=defaults.days, help="How far back the history goes.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same history.")

    def handle(self, *args, **options):
        size = HistorySize(
            conversations=options["conversations"],
            messages_per_conversation=options["messages_per_conversation"],
            clients=options["clients"],
            agents=options["agents"],
            days=options["days"],
        )
        started = time.monotonic()
        written = generate_history(size=size, seed=options["seed"])
        self.stdout.write(
            f"{written['clients']} clients, {written['conversations']} conversations, {written['messages']} messages "
            f"in {time.monotonic() - started:.1f} s"
        )
