from django.utils.translation import gettext_lazy as _

from core.errors import RelevoError


class AlreadyRated(RelevoError):
    code = "already_rated"
    status = 409
    default_detail = _("You have already rated this chat. Thank you!")


class NotRateable(RelevoError):
    code = "not_rateable"
    default_detail = _("This chat can be rated once an agent has answered it.")
