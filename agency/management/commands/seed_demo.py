"""`manage.py seed_demo`: the demo client, agents and admin (idempotent)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from agency.models import Agent
from clients.models import Client

DEMO_PASSWORD = "demo"  # noqa: S105 (the demo seeding is the only place it exists)
DEMO_AGENTS = [("ana", "Ana", "García"), ("piotr", "Piotr", "Nowak")]


class Command(BaseCommand):
    help = "Create the demo client 'Demo Shop', agents ana and piotr, and admin (password 'demo')."

    def add_arguments(self, parser):
        parser.add_argument("--origin", action="append", default=[],
                            help="Website origin allowed to embed the demo widget (repeatable).")

    @transaction.atomic
    def handle(self, *args, **options):
        client, _ = Client.objects.get_or_create(
            slug="demo-shop", defaults={"name": "Demo Shop", "timezone": "Europe/Madrid"}
        )
        if options["origin"]:
            client.allowed_origins = "\n".join(options["origin"])
            client.save(update_fields=["allowed_origins"])
        users = get_user_model()
        admin = users.objects.filter(username="admin").first()
        if admin is None:
            users.objects.create_superuser("admin", "admin@relevo.localhost", DEMO_PASSWORD)
        for username, first_name, last_name in DEMO_AGENTS:
            user = users.objects.filter(username=username).first()
            if user is None:
                user = users.objects.create_user(
                    username, f"{username}@relevo.localhost", DEMO_PASSWORD,
                    first_name=first_name, last_name=last_name,
                )
            agent, _ = Agent.objects.get_or_create(user=user)
            agent.clients.add(client)
        self.stdout.write(self.style.SUCCESS(
            f"Demo ready: client '{client.name}' (widget key {client.widget_key}); "
            f"logins admin, ana, piotr with password '{DEMO_PASSWORD}'."
        ))
