"""What the widget needs to ask for a rating and offer the transcript: the client's scale and
the texts, translated on the server like the rest of the widget's (chats.widget_strings)."""

from django.utils.translation import gettext as _

from clients.models import Client, QualitySettings


def widget_config(client: Client) -> dict:
    scale = QualitySettings.for_client(client.pk)
    return {
        "rating_scale": scale.rating_scale,
        "strings": {
            "rate_prompt": _("How was this chat?"),
            "good": _("Good"),
            "bad": _("Bad"),
            "score": _("%(score)s out of 5"),
            "comment": _("Anything to add? (optional)"),
            "rate_submit": _("Send rating"),
            "rated": _("Thank you for your rating!"),
            "transcript_prompt": _("Get this chat by email"),
            "transcript_email": _("Your email"),
            "transcript_submit": _("Email me the transcript"),
            "transcript_queued": _("The transcript is on its way to %(email)s."),
        },
    }
