from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatsConfig(AppConfig):
    name = "chats"
    verbose_name = _("Chats")

    def ready(self) -> None:
        # A closed chat's pending transfer is withdrawn (chats.services cannot import chats.teamwork).
        from chats import events
        from chats.teamwork import transfers

        if transfers.withdraw_transfers_of_closed not in events.conversation_closed_hooks:
            events.conversation_closed_hooks.append(transfers.withdraw_transfers_of_closed)
        from chats.calls import services as calls

        if calls.end_open_calls not in events.conversation_closed_hooks:
            events.conversation_closed_hooks.append(calls.end_open_calls)  # a closed chat ends its call

    def import_models(self):
        super().import_models()
        # Sub-packages' models belong to this app; chats.models cannot import them (they import it).
        import_module("chats.calls.models")
        import_module("chats.leads.models")
        import_module("chats.visits.models")
