"""Celery tasks are timed from Celery's own signals, in the process that runs them."""

import pytest
from prometheus_client import REGISTRY

from chats.tasks import sweep_idle_conversations


def timed(task: str, state: str) -> float:
    return REGISTRY.get_sample_value("relevo_celery_task_seconds_count", {"task": task, "state": state}) or 0.0


@pytest.mark.django_db
def test_a_task_run_is_timed_by_name_and_state():
    name = sweep_idle_conversations.name
    before = timed(name, "SUCCESS")
    sweep_idle_conversations.delay()  # eager in the tests: run here, signals and all
    assert timed(name, "SUCCESS") == before + 1
    total = REGISTRY.get_sample_value("relevo_celery_task_seconds_sum", {"task": name, "state": "SUCCESS"})
    assert total is not None and total > 0
