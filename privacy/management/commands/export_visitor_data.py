"""Print, as JSON, everything one client holds about the visitor with an email (a data access request)."""

import json

from django.core.management.base import BaseCommand, CommandError

from clients.models import Client
from privacy import services as privacy


class Command(BaseCommand):
    help = "Export all data of one visitor of one client, by email, as JSON (recorded in the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="the client's slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--requested-by", default="", help="who asked (defaults to the operator's login)")

    def handle(self, *args, client, email, requested_by, **options):
        client_id = Client.objects.filter(slug=client).values_list("pk", flat=True).first()
        if client_id is None:
            raise CommandError(f"No client with the slug {client!r}.")
        data = privacy.export_visitor_data(client_id=client_id, email=email, requested_by=requested_by or operator())
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))


def operator() -> str:
    import getpass

    return f"manage.py ({getpass.getuser()})"
