"""The widget's call texts (merged into chats.widget_strings)."""

from django.utils.translation import gettext as _


def call_strings() -> dict[str, str]:
    return {
        "call_title": _("Call"),
        "call_offered_video": _("%(name)s invites you to a video call."),
        "call_offered_voice": _("%(name)s invites you to a voice call."),
        "call_accept": _("Accept"),
        "call_decline": _("Decline"),
        "call_connecting": _("Connecting the call…"),
        "call_connected": _("You are in the call."),
        "call_hang_up": _("Hang up"),
        "call_no_media": _("Your microphone or camera is not available, so the call was declined."),
        "call_failed": _("The call could not connect."),
        "callback_offer": _("Call me back later"),
        "callback_title": _("Leave your number and we will call you back."),
        "callback_phone": _("Your phone number"),
        "callback_time": _("When? (your time, %(zone)s)"),
        "callback_submit": _("Ask for a callback"),
        "callback_thanks": _("Thank you! We will call you on %(phone)s at %(time)s."),
    }
