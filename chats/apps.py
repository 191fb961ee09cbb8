from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatsConfig(AppConfig):
    name = "chats"
    verbose_name = _("Chats")

    def ready(self) -> None:
        from chats import receivers

        receivers.connect()

    def import_models(self):
        super().import_models()
        # Sub-packages' models belong to this app; chats.models cannot import them (they import it).
        import_module("chats.calls.models")
        import_module("chats.leads.models")
        import_module("chats.ratings.models")
        import_module("chats.teamwork.models")
        import_module("chats.visits.models")
