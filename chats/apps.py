from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatsConfig(AppConfig):
    name = "chats"
    verbose_name = _("Chats")

    def import_models(self):
        super().import_models()
        # Models of a sub-package (it imports chats.models, so chats.models cannot import it back).
        import_module("chats.visits.models")
