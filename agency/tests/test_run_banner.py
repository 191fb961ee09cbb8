"""`./run` prints every URL and demo login of README's "each person lands on their own page" table."""

import re
import subprocess

from conftest import ROOT

URL = re.compile(r"http://127\.0\.0\.1:8000/(?:[^\s)`,]*[^\s)`,.])?")  # no sentence-ending dot
LOGIN = re.compile(r"`(\w+)` / `(\w+)`")


def readme_introduction() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[: readme.index("\n## ")]  # up to the first section: the table of who logs in where


def run_banner(host: str = "127.0.0.1", port: str = "8000") -> str:
    """The text `./run` prints once it serves: its `cat <<INFO` block, run by bash with HOST and PORT set."""
    script = (ROOT / "run").read_text()
    block = re.search(r"^cat <<INFO\n.*?^INFO$", script, flags=re.MULTILINE | re.DOTALL).group(0)
    return subprocess.run(
        ["bash", "-c", block], env={"HOST": host, "PORT": port}, capture_output=True, text=True, check=True, timeout=10
    ).stdout


def test_the_banner_lists_every_landing_url_of_the_readme():
    urls = set(URL.findall(readme_introduction()))
    assert {
        "http://127.0.0.1:8000/console/",
        "http://127.0.0.1:8000/portal/",
        "http://127.0.0.1:8000/floor/",
        "http://127.0.0.1:8000/demo/",
    } <= urls  # the table is where it was
    banner = set(URL.findall(run_banner()))
    assert urls <= banner, f"missing from ./run's banner: {sorted(urls - banner)}"


def test_the_banner_lists_every_demo_login_of_the_readme():
    logins = {f"{username} / {password}" for username, password in LOGIN.findall(readme_introduction())}
    assert {"ana / demo", "piotr / demo", "admin / demo", "owner / demo"} <= logins
    banner = run_banner()
    assert [login for login in sorted(logins) if login not in banner] == []


def test_the_banner_follows_host_and_port():
    assert "http://0.0.0.0:9000/portal/" in run_banner(host="0.0.0.0", port="9000")  # noqa: S104
