"""`manage.py create_api_token <username>`: issue a REST API token and print its key, once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agency.api_tokens import issue_api_token, revoke_api_tokens


class Command(BaseCommand):
    help = (
        "Issue a new REST API token for a user and print its key. Only a digest is stored: "
        "copy the key now, it cannot be shown again (--rotate revokes the user's other tokens)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Revoke the user's other tokens first.")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="The token stops working after this many days (default: never).",
        )
        parser.add_argument("--name", default="", help="What uses the token, e.g. “CRM integration”.")

    def handle(self, *args, username: str, rotate: bool, expires_days: int | None, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”. Create the user first (admin or createsuperuser).")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be at least 1.")
        if rotate:
            revoke_api_tokens(user.api_tokens.all())
        token, key = issue_api_token(user=user, name=name, expires_days=expires_days)
        self.stdout.write(key)
        expiry = f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "does not expire"
        self.stderr.write(
            f"Token {token.key_prefix}… for {username} ({expiry}). "
            "Copy the key now: Relevo keeps only its digest and cannot show it again."
        )
