"""Errors of transfers and supervision (codes are part of docs/protocol.md)."""

from django.utils.translation import gettext_lazy as _

from core.errors import RelevoError


class NoFreeSlot(RelevoError):
    code = "no_free_slot"
    status = 409
    default_detail = _("You have no free chat slot: close a chat first.")


class NoOneToTransferTo(RelevoError):
    code = "no_target"
    status = 400
    default_detail = _("Nobody in that team serves this client in its language.")
