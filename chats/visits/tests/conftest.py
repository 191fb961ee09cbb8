"""Visit socket tests write batches only when they ask (`visit_sockets.flush`), from an empty buffer."""

import pytest

from chats.visits.live import buffer


@pytest.fixture(autouse=True)
def batches_only_when_flushed(settings):
    settings.VISIT_FLUSH_SECONDS = 3600
    buffer.open.clear()
    buffer.changed.clear()
    yield
    buffer.open.clear()
    buffer.changed.clear()
