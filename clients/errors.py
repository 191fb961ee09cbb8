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
