"""`manage.py seed_demo`: the demo clients, agents, a client owner and admin (idempotent)."""

from datetime import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from agency import roles
from agency.models import Agent
from chats.visits.models import ProactiveRule
from clients.models import (
    Briefing,
    CannedReply,
    Client,
    CoverageWindow,
    FaqEntry,
    Representative,
    RepresentativeRole,
)
from planning.models import PricePlan

DEMO_PASSWORD = "demo"  # noqa: S105 (the demo seeding is the only place it exists)
DEMO_AGENTS = [("ana", "Ana", "García", "es, en"), ("piotr", "Piotr", "Nowak", "pl, en")]

# Demo Shop is 24/7 so the chat demo works at any hour; Sklep Kowalski shows real hours.
DEMO_CLIENTS = {
    "demo-shop": {
        "fields": {
            "name": "Demo Shop",
            "timezone": "Europe/Madrid",
            "is_24_7": True,
            "holiday_country": "ES",
            "holiday_region": "MD",
            "tracks_visitors_before_chat": True,
        },
        "windows": [],
        "agents": ["ana", "piotr"],
        "briefing": {
            "may_answer": "Orders, delivery times, sizes, returns within 30 days.",
            "may_not_answer": "Refund amounts, legal questions: take the email and escalate.",
            "tone": "Friendly and brief; use the visitor's name.",
            "useful_links": "https://shop.example/help\nhttps://shop.example/returns",
        },
        "faq": [
            ("How long does delivery take?", "2–3 working days in mainland Spain."),
            ("Can I return an item?", "Yes, within 30 days, unused, with the receipt."),
        ],
        "canned": [
            ("/hours", "Opening hours", "Our chat is open every day, at any hour."),
            ("/returns", "Returns", "You can return any unused item within 30 days."),
        ],
    },
    "sklep-kowalski": {
        "fields": {
            "name": "Sklep Kowalski",
            "timezone": "Europe/Warsaw",
            "is_24_7": False,
            "holiday_country": "PL",
            "required_language": "pl",
        },
        "windows": [(day, time(8), time(20)) for day in range(6)],
        "agents": ["piotr"],
        "briefing": {
            "may_answer": "Dostawa, dostępność towaru, godziny otwarcia sklepu.",
            "may_not_answer": "Reklamacje: poproś o e-mail i przekaż dalej.",
            "tone": "Uprzejmie, formalnie (Pan/Pani).",
            "useful_links": "https://sklep-kowalski.example/pomoc",
        },
        "faq": [
            ("Czy wysyłacie za granicę?", "Tylko na terenie Polski."),
            ("Jak długo trwa dostawa?", "1–2 dni robocze kurierem."),
        ],
        "canned": [
            ("/godziny", "Godziny", "Czat działa od poniedziałku do soboty, 8:00–20:00."),
            ("/dostawa", "Dostawa", "Wysyłamy kurierem w 1–2 dni robocze."),
        ],
    },
}


class Command(BaseCommand):
    help = (
        "Create the demo clients 'Demo Shop' and 'Sklep Kowalski', agents ana and piotr, "
        "the Demo Shop owner 'owner' and admin (password 'demo')."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            action="append",
            default=[],
            help="Website origin allowed to embed the demo widget (repeatable).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        users = get_user_model()
        if not users.objects.filter(username="admin").exists():
            users.objects.create_superuser("admin", "admin@relevo.localhost", DEMO_PASSWORD)
        # The supervisor's name as visitors see it once they take a chat over (agency.models.display_name_of).
        users.objects.filter(username="admin", first_name="").update(first_name="Sara")
        agents = {
            username: self.agent(username, first, last, languages) for username, first, last, languages in DEMO_AGENTS
        }
        clients = {slug: self.client(slug, spec, agents, options["origin"]) for slug, spec in DEMO_CLIENTS.items()}
        self.owner(clients["demo-shop"])
        shop = clients["demo-shop"]
        # A mixed price plan, so the portal's and the floor's billing pages show invoice lines.
        PricePlan.objects.get_or_create(
            client=shop, defaults={"monthly_fee": 300, "price_per_chat": "0.80", "included_chats": 200}
        )
        ProactiveRule.objects.get_or_create(
            client=shop,
            name="Full basket",
            defaults={
                "min_seconds_on_page": 20,
                "min_cart_value": 50,
                "invitation_texts": "en: Need a hand with your basket?\nes: ¿Le ayudamos con su cesta?\n"
                "pl: Pomóc w zakupach?",
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: client '{shop.name}' (widget key {shop.widget_key}) and "
                f"'{clients['sklep-kowalski'].name}'; logins admin, ana, piotr, owner with password '{DEMO_PASSWORD}'."
            )
        )

    def agent(self, username: str, first_name: str, last_name: str, languages: str) -> Agent:
        users = get_user_model()
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users.objects.create_user(
                username, f"{username}@relevo.localhost", DEMO_PASSWORD, first_name=first_name, last_name=last_name
            )
        user.groups.add(Group.objects.get(name=roles.AGENT))
        agent, created = Agent.objects.get_or_create(user=user, defaults={"languages": languages})
        if not agent.languages:
            agent.languages = languages
            agent.save(update_fields=["languages"])
        return agent

    def client(self, slug: str, spec: dict, agents: dict[str, Agent], origins: list[str]) -> Client:
        client, created = Client.objects.get_or_create(slug=slug, defaults=spec["fields"])
        if not created:  # keep the demo's hours as documented even on an older database
            Client.objects.filter(pk=client.pk).update(**spec["fields"])
        if origins:
            client.allowed_origins = "\n".join(origins)
            client.save(update_fields=["allowed_origins"])
        for weekday, starts_at, ends_at in spec["windows"]:
            CoverageWindow.objects.get_or_create(client=client, weekday=weekday, starts_at=starts_at, ends_at=ends_at)
        Briefing.objects.update_or_create(client=client, defaults=spec["briefing"])
        for order, (question, answer) in enumerate(spec["faq"]):
            FaqEntry.objects.update_or_create(
                client=client, question=question, defaults={"answer": answer, "order": order}
            )
        for shortcut, title, body in spec["canned"]:
            CannedReply.objects.update_or_create(
                client=client, shortcut=shortcut, defaults={"title": title, "body": body}
            )
        for username in spec["agents"]:
            agents[username].clients.add(client)
        client.refresh_from_db()
        return client

    def owner(self, client: Client) -> None:
        users = get_user_model()
        user = users.objects.filter(username="owner").first()
        if user is None:
            user = users.objects.create_user("owner", "owner@shop.example", DEMO_PASSWORD, first_name="Olivia")
        user.groups.add(Group.objects.get(name=roles.CLIENT_OWNER))
        Representative.objects.get_or_create(
            user=user, defaults={"client": client, "role": RepresentativeRole.OWNER, "language": "es"}
        )
