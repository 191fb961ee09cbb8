"""The widget's texts for the pre-chat form and the honest queue (merged into chats.widget_strings)."""

from django.utils.translation import gettext as _


def lead_strings() -> dict[str, str]:
    return {
        "prechat_name": _("Your name"),
        "prechat_email": _("Your email"),
        "prechat_phone": _("Your phone"),
        "prechat_optional": _("(optional)"),
        "prechat_missing": _("Please fill in the required fields above first."),
        "wait_estimate": _("Estimated wait: about %(minutes)s min."),
        "wait_under_minute": _("Estimated wait: less than a minute."),
        "queue_offer": _("Sorry for the wait. Would you like to leave a message instead? We will contact you."),
        "queue_offer_nobody": _("No agent is available right now. Leave a message and we will contact you."),
        "queue_leave": _("Leave a message"),
        "queue_keep": _("Keep waiting"),
        "queue_message": _("Anything to add? (what you wrote in the chat is included)"),
        "queue_contact_consent": _(
            "I agree that my messages and contact details are stored so that you can answer me."
        ),
        "queue_thanks": _("Thank you! Your message has been passed on. We will contact you."),
    }
