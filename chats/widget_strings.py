"""The widget's texts, translated on the server so one catalogue serves every surface."""

from django.utils.translation import gettext as _

from chats.calls.widget_strings import call_strings
from chats.leads.widget_strings import lead_strings
from clients.text import body_too_long_detail


def strings() -> dict[str, str]:
    return {**chat_strings(), **offline_strings(), **lead_strings(), **invitation_strings(), **call_strings()}


def chat_strings() -> dict[str, str]:
    return {
        "launcher": _("Chat with us"),
        "title": _("Chat"),
        "close": _("Minimise chat"),
        "intro": _("Hello! Write your question and we will answer you in a moment."),
        "name_placeholder": _("Your name (optional)"),
        "placeholder": _("Write a message…"),
        "send": _("Send"),
        "start": _("Start chat"),
        "pending": _("Sending…"),
        "sent": _("Sent"),
        "failed": _("Not sent"),
        "retry": _("Retry"),
        "queued": _("You are number %(position)s in line. An agent will be with you shortly."),
        "queued_nobody": _("No agent is available right now. You are number %(position)s in line."),
        "active": _("You are chatting with %(name)s."),
        "closed": _("This chat has ended."),
        "missed": _("We could not answer this chat in time. Please start a new one."),
        "new_chat": _("Start a new chat"),
        "typing": _("%(name)s is typing…"),
        "agent": _("Agent"),
        "you": _("You"),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "unavailable": _("This chat can no longer be opened."),
        "error": _("Something went wrong. Please try again."),
        "too_long": body_too_long_detail(),
        "too_big": _("This message is too long to send. Please shorten it."),
    }


def offline_strings() -> dict[str, str]:
    return {
        "offline": _("We are offline now."),
        "offline_until": _("We are offline now. We open again at %(time)s."),
        "offline_intro": _("Leave us a message and we will answer you by email."),
        "offline_name": _("Your name (optional)"),
        "offline_email": _("Your email"),
        "offline_message": _("Your message"),
        "offline_consent": _("I agree that my message and email are stored so that you can answer me."),
        "offline_submit": _("Send message"),
        "offline_sending": _("Sending…"),
        "offline_thanks": _("Thank you! Your message has been sent. We will answer you by email."),
    }


def invitation_strings() -> dict[str, str]:
    return {
        "invite_accept": _("Chat now"),
        "invite_decline": _("No, thanks"),
        "invite_from": _("%(name)s, from our team"),
    }
