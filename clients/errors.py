"""Errors of the clients domain: subclasses of core.errors' one hierarchy (same codes, one HTTP mapping)."""

from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput, NotFound, RelevoError

__all__ = ["DuplicateShortcut", "InvalidInput", "NotThisClients", "OriginNotAllowed", "UnprintableText"]


class DuplicateShortcut(InvalidInput):
    code = "duplicate_shortcut"

    def __init__(self, shortcut: str):
        self.shortcut = shortcut
        super().__init__(_("Another canned reply already uses the shortcut %(shortcut)s.") % {"shortcut": shortcut})


class NotThisClients(NotFound):
    """An entry of another client (or one deleted meanwhile) was submitted: nothing is written."""

    default_detail = _("One of these entries no longer exists. Reload the page and try again.")


class UnprintableText(InvalidInput):
    """Text with NUL or another control character (clients.text): refused, never stored altered."""


class OriginNotAllowed(RelevoError):
    """A page of a website the client has not listed used its widget (clients.widget_access)."""

    code = "origin_not_allowed"
    status = 403
    default_detail = _("This website may not use this chat.")
