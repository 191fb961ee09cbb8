from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatsConfig(AppConfig):
    name = "chats"
    verbose_name = _("Chats")

    def ready(self) -> None:
        # Sub-packages' models belong to this app; chats.models cannot import them (they import it).
        from chats.leads import models  # noqa: F401
