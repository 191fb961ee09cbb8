"""The widget clients paste is a small loader; the chat and its features are ES modules it imports."""

import gzip
from pathlib import Path

from django.conf import settings

WIDGET = Path(settings.BASE_DIR) / "static" / "chats" / "widget.js"
LOADER_LIMIT = 5 * 1024


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def test_the_loader_clients_paste_is_at_most_5_kb_gzipped():
    assert gzipped(WIDGET) <= LOADER_LIMIT


def test_the_loader_imports_the_chat_module_beside_it():
    loader = WIDGET.read_text()
    assert 'load("chat")' in loader and "import(" in loader
    assert (WIDGET.parent / "widget" / "chat.js").exists()


def test_every_feature_module_exports_its_install():
    modules = sorted((WIDGET.parent / "widget").glob("*.js"))
    assert {m.stem for m in modules} >= {"chat", "calls", "invitations", "leads", "offline", "quality"}
    for module in modules:
        entry = "export function start(" if module.stem == "chat" else "export function install(w)"
        assert entry in module.read_text(), module.name
