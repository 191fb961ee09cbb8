"""The widget clients paste is a small loader; the chat and its features are ES modules it imports."""

import gzip
from pathlib import Path

from django.conf import settings

WIDGET = Path(settings.BASE_DIR) / "static" / "chats" / "widget.js"
MODULES = WIDGET.parent / "widget"
LOADER_LIMIT = 5 * 1024
FILE_LINES_LIMIT = 400
FEATURES = {"calls", "invitations", "leads", "offline", "quality", "visits"}


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def test_the_loader_clients_paste_is_at_most_5_kb_gzipped():
    assert gzipped(WIDGET) <= LOADER_LIMIT


def test_the_loader_imports_the_chat_module_beside_it():
    loader = WIDGET.read_text()
    assert 'load("chat")' in loader and "import(" in loader
    assert (MODULES / "chat.js").exists()


def test_every_feature_module_exports_its_install():
    features = {m.stem for m in MODULES.glob("*.js")} - {"chat"}
    assert features >= FEATURES
    for name in features:
        assert "export function install(w)" in (MODULES / f"{name}.js").read_text(), name
    assert "export function start(" in (MODULES / "chat.js").read_text()


def test_the_chat_imports_its_parts_and_no_feature():
    chat = (MODULES / "chat.js").read_text()
    parts = {p.stem for p in (MODULES / "chat").glob("*.js")}
    assert parts == {"state", "router", "view", "messages", "socket", "composer"}
    for part in parts:
        assert f'from "./chat/{part}.js"' in chat, part
    assert not any(f'"./{name}.js"' in chat for name in FEATURES)


def test_no_file_of_the_widget_is_over_400_lines():
    files = [WIDGET, *MODULES.glob("*.js"), *MODULES.glob("chat/*.js")]
    assert {
        f.name: len(f.read_text().splitlines()) for f in files if len(f.read_text().splitlines()) > FILE_LINES_LIMIT
    } == {}
