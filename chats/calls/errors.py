"""Errors of call frames (core.errors' one hierarchy: a stable code and a translated detail)."""

from django.utils.translation import gettext_lazy as _

from core.errors import RelevoError


class CallBusy(RelevoError):
    code = "call_busy"
    status = 409
    default_detail = _("A call is already under way in this conversation.")


class CallNotActive(RelevoError):
    code = "call_ended"
    status = 409
    default_detail = _("This call is not under way.")
