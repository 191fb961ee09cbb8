"""The test lanes (README): `./run-tests --fast` leaves out every spec marked `browser` or
`server`, and a spec is marked by the fixtures it uses; one that starts a server or Chromium
without being marked fails, so nothing slow slips into the fast lane unnoticed."""
import pytest

from conftest import AsgiServer, mark_lanes
from reports.tests.real_worker import CeleryWorker


class CollectedSpec:
    def __init__(self, *fixturenames: str):
        self.fixturenames = fixturenames
        self.marks: list[str] = []

    def add_marker(self, mark) -> None:
        self.marks.append(mark.name)


@pytest.mark.parametrize(("fixtures", "marks"), [
    (("db", "asgi_servers"), ["server"]),
    (("transactional_db", "redis_server", "chat_world"), ["server"]),
    (("browser", "asgi_servers", "demo"), ["browser", "server"]),
    (("media_browser",), ["browser"]),
    (("db", "served_chat", "settings"), []),
])
def test_a_spec_is_marked_by_the_fixtures_that_start_browsers_or_servers(fixtures, marks):
    spec = CollectedSpec(*fixtures)
    mark_lanes([spec])
    assert spec.marks == marks


def test_an_unmarked_spec_that_starts_a_server_process_fails_before_it_starts():
    server = AsgiServer(env={})
    with pytest.raises(pytest.fail.Exception, match="is not marked `server`"):
        server.start()
    assert server.process is None


def test_an_unmarked_spec_that_starts_a_celery_worker_fails_before_it_starts(tmp_path):
    worker = CeleryWorker(env={})
    with pytest.raises(pytest.fail.Exception, match="is not marked `server`"):
        worker.start()
    assert worker.process is None
