"""The product ships in English, Spanish and Polish: the catalogues stay complete."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = [
    LOCALE / lang / "LC_MESSAGES" / f"{domain}.po" for lang in ("es", "pl") for domain in ("django", "djangojs")
]


def entries(path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, translations, is_fuzzy) for every entry but the header and obsolete ones."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or all(line.startswith("#~") or line.startswith("#") for line in lines):
            continue
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += line[1:-1]
            else:
                key, _, rest = line.partition(" ")
                fields[key] = rest[1:-1]
        if fields.get("msgid"):
            translations = [value for name, value in fields.items() if name.startswith("msgstr")]
            found.append(
                (fields["msgid"], translations, any(line.startswith("#,") and "fuzzy" in line for line in lines))
            )
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_string_is_translated_and_none_is_fuzzy(path):
    missing = [msgid for msgid, translations, _ in entries(path) if not all(translations)]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries(path) if is_fuzzy]
    assert not missing, f"{len(missing)} untranslated in {path}: {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path}: {fuzzy[:5]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_compiled_catalogues_are_up_to_date(path):
    assert path.with_suffix(".mo").exists(), "run manage.py compilemessages"
    assert path.with_suffix(".mo").stat().st_mtime >= path.stat().st_mtime - 1, "run manage.py compilemessages"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (Debian's gettext) extracts the strings")
def test_the_catalogues_hold_every_marked_string(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "staticfiles", "node_modules", ".git", "*.pyc", "sent-emails", "db.sqlite3"
        ),
    )
    for domain in ("django", "djangojs"):
        subprocess.run(
            [
                str(Path(settings.BASE_DIR) / ".venv/bin/python"),
                "manage.py",
                "makemessages",
                "-d",
                domain,
                "-l",
                "es",
                "--ignore=.venv",
                "--ignore=staticfiles",
                "--ignore=*/tests/*",
                "--ignore=bench",
                "--no-obsolete",
                "-v0",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        fresh = {msgid for msgid, _, _ in entries(copy / "locale/es/LC_MESSAGES" / f"{domain}.po")}
        shipped = {msgid for msgid, _, _ in entries(LOCALE / "es/LC_MESSAGES" / f"{domain}.po")}
        assert fresh <= shipped, f"run makemessages: new strings {sorted(fresh - shipped)[:5]}"


@pytest.mark.parametrize("language, expected", [("es", "Enviar"), ("pl", "Wyślij")])
def test_the_widget_speaks_the_visitors_language(language, expected):
    from chats.widget_strings import strings

    with translation.override(language):
        assert strings()["send"] == expected
