"""Delete everything one client holds about the visitor with an email (an erasure request)."""

import json

from django.core.management.base import BaseCommand, CommandError

from clients.models import Client
from privacy import services as privacy
from privacy.management.commands.export_visitor_data import operator


class Command(BaseCommand):
    help = "Erase all data of one visitor of one client, by email; prints the counts (recorded in the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--requested-by", default="", help="who asked (defaults to the operator's login)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, client, email, requested_by, yes, **options):
        client_id = Client.objects.filter(slug=client).values_list("pk", flat=True).first()
        if client_id is None:
            raise CommandError(f"No client with the slug {client!r}.")
        if not yes and input(f"Erase every record of {email} at {client}? Type yes: ").strip() != "yes":
            raise CommandError("Nothing erased.")
        counts = privacy.erase_visitor_data(client_id=client_id, email=email, requested_by=requested_by or operator())
        self.stdout.write(json.dumps(counts))
