"""`manage.py revoke_api_token <key or prefix>` / `--user <username>` / `--list`: revoked tokens get 401 at once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agency.api_tokens import PREFIX_LENGTH, revoke_api_tokens
from agency.models import ApiToken


def describe(token: ApiToken, now) -> str:
    state = "revoked" if token.revoked_at else ("active" if token.is_usable_at(now) else "expired")
    expires = f"{token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at else "never"
    last_used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
    return (
        f"{token.key_prefix}…  {token.user.username}  {token.name or '-'}  {state}  "
        f"created {token.created_at:%Y-%m-%d}  expires {expires}  last used {last_used}"
    )


class Command(BaseCommand):
    help = (
        "Revoke a REST API token by its key (or the first 8 characters the admin shows), or all of a "
        "user's with --user; --list shows the tokens (never a key)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("key", nargs="?", help="The key, or its first 8 characters.")
        parser.add_argument("--user", help="Only this username's tokens (all of them, without a key).")
        parser.add_argument("--list", action="store_true", help="List the tokens instead of revoking.")

    def handle(self, *args, key: str | None, user: str | None, **options) -> None:
        tokens = ApiToken.objects.select_related("user")
        if user:
            tokens = tokens.filter(user__username=user)
        if key:
            tokens = tokens.filter(key_prefix=key[:PREFIX_LENGTH])
        if options["list"]:
            now = timezone.now()
            for token in tokens:
                self.stdout.write(describe(token, now))
            return
        if not key and not user:
            raise CommandError("Give a key (or its first 8 characters) or --user <username>.")
        if not tokens.exists():
            raise CommandError("No such token.")
        self.stdout.write(f"Revoked {revoke_api_tokens(tokens)} token(s).")
