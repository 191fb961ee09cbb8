"""The test lanes (README): `./run-tests --fast` leaves out every spec marked `browser` or
`server`, and a spec is marked by the fixtures it uses; one that starts a server or Chromium
without being marked fails, so nothing slow slips into the fast lane unnoticed. Its parallel
workers share one Redis, each under a prefix and Celery queue of its own."""

import copy

import pytest

from conftest import AsgiServer, mark_lanes, split_redis_per_worker
from reports.delivery.tests.real_worker import CeleryWorker


class CollectedSpec:
    def __init__(self, *fixturenames: str):
        self.fixturenames = fixturenames
        self.marks: list[str] = []

    def add_marker(self, mark) -> None:
        self.marks.append(mark.name)


@pytest.mark.parametrize(
    ("fixtures", "marks"),
    [
        (("db", "asgi_servers"), ["server"]),
        (("transactional_db", "redis_server", "chat_world"), ["server"]),
        (("browser", "asgi_servers", "demo"), ["browser", "server"]),
        (("media_browser",), ["browser"]),
        (("db", "served_chat", "settings"), []),
    ],
)
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


REDIS_LAYER = {
    "default": {
        "BACKEND": "chats.resilient_layer.ResilientPubSubChannelLayer",
        "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"], "prefix": "relevo-test-42"},
    }
}


def test_each_parallel_worker_counts_and_rings_under_a_redis_prefix_and_queue_of_its_own(settings):
    settings.CHANNEL_LAYERS = copy.deepcopy(REDIS_LAYER)
    seen = {}
    for worker in ("gw0", "gw1"):
        environ = {
            "PYTEST_XDIST_WORKER": worker,
            "CHANNEL_LAYER_PREFIX": "relevo-test-42",
            "CELERY_QUEUE": "relevo-test-42",
        }
        split_redis_per_worker(environ, settings)
        split_redis_per_worker(environ, settings)  # said twice, still one suffix
        seen[worker] = (
            settings.CHANNEL_LAYER_PREFIX,
            settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
            settings.CELERY_TASK_DEFAULT_QUEUE,
            environ["CHANNEL_LAYER_PREFIX"],
            environ["CELERY_QUEUE"],
        )
    assert seen == {"gw0": ("relevo-test-42-gw0",) * 5, "gw1": ("relevo-test-42-gw1",) * 5}


def test_a_run_in_one_process_keeps_the_prefix_it_was_given(settings):
    settings.CHANNEL_LAYERS = copy.deepcopy(REDIS_LAYER)
    settings.CHANNEL_LAYER_PREFIX = "relevo-test-42"
    environ = {"CHANNEL_LAYER_PREFIX": "relevo-test-42", "CELERY_QUEUE": "relevo-test-42"}
    split_redis_per_worker(environ, settings)
    assert environ == {"CHANNEL_LAYER_PREFIX": "relevo-test-42", "CELERY_QUEUE": "relevo-test-42"}
    assert settings.CHANNEL_LAYER_PREFIX == settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] == "relevo-test-42"
