"""Errors of the clients domain: a stable code for machines, a translated detail for people."""
from django.utils.translation import gettext_lazy as _


class ClientsError(Exception):
    code = "error"
    default_detail = _("Something went wrong.")

    def __init__(self, detail: str | None = None):
        self.detail = str(detail or self.default_detail)
        super().__init__(self.detail)


class InvalidInput(ClientsError):
    code = "invalid"
    default_detail = _("The request is not valid.")


class DuplicateShortcut(InvalidInput):
    code = "duplicate_shortcut"

    def __init__(self, shortcut: str):
        self.shortcut = shortcut
        super().__init__(_("Another canned reply already uses the shortcut %(shortcut)s.") % {"shortcut": shortcut})


class NotThisClients(ClientsError):
    """An entry of another client (or one deleted meanwhile) was submitted: nothing is written."""

    code = "not_found"
    default_detail = _("One of these entries no longer exists. Reload the page and try again.")


class UnprintableText(InvalidInput):
    """Text with NUL or another control character (clients.text): refused, never stored altered."""
