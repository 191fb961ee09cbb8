"""core.single_tasks.SingleQueuedTask: a task is not sent while a copy is queued or running;
the run gives its claim back, and so does a send that fails."""

import pytest
from celery import Celery, Task

from core import limits
from core.single_tasks import SingleQueuedTask


@pytest.fixture
def claims(monkeypatch):
    """Per-process claims (no Redis), as an embedded run has them."""
    embedded = limits.SharedCounters("", "embedded")
    monkeypatch.setattr(limits, "shared_counters", lambda: embedded)
    return embedded


class Broker:
    """What reaches the broker (no worker runs it); `down` makes the next send fail."""

    def __init__(self):
        self.sent: list[str] = []
        self.down = False

    def send(self, task, args=None, kwargs=None, task_id=None, **options):
        if self.down:
            self.down = False
            raise ConnectionError("broker down")
        self.sent.append(task_id)
        return task.AsyncResult(task_id)


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    monkeypatch.setattr(Task, "apply_async", lambda task, *args, **kwargs: fake.send(task, *args, **kwargs))
    return fake


@pytest.fixture
def sweep():
    app = Celery("core-single-tasks-test", set_as_current=False)

    @app.task(base=SingleQueuedTask, name="core.tests.sweep", bind=True)
    def sweep(self):
        return 0

    return sweep


def test_a_second_send_while_one_is_queued_sends_nothing(claims, broker, sweep):
    first = sweep.apply_async()
    assert first is not None and sweep.apply_async() is None and sweep.delay() is None
    assert broker.sent == [first.id]


def test_the_run_gives_the_claim_back_and_only_the_claims_own_run(claims, broker, sweep):
    first = sweep.apply_async()
    sweep.after_return("SUCCESS", 0, "another id", (), {}, None)
    assert sweep.apply_async() is None
    sweep.after_return("SUCCESS", 0, first.id, (), {}, None)
    assert sweep.apply_async() is not None


def test_a_send_that_fails_gives_the_claim_back(claims, broker, sweep):
    broker.down = True
    with pytest.raises(ConnectionError):
        sweep.apply_async()
    assert sweep.apply_async() is not None
