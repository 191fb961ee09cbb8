"""Open visit sockets are anonymous, one per page view: each address and each client may hold only
so many at once (counted across processes in core.limits), and a closed one gives its place back."""

import pytest
from channels.db import database_sync_to_async

from chats.visits.tests.visit_sockets import SHOP, open_visit, visit_communicator
from conftest import make_client
from core import limits

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(db):
    return make_client(allowed_origins=SHOP, tracks_visitors_before_chat=True)


def counted(prefix: str) -> int:
    """Open visit sockets this process counts under keys starting with `prefix` (the server's side)."""
    return sum(n for key, n in limits.shared_counters().sockets.items() if key.startswith(prefix))


async def test_one_address_holds_at_most_its_share_of_visit_sockets_and_gets_them_back(shop, settings):
    settings.VISIT_MAX_SOCKETS_PER_IP = 3
    pages = [(await open_visit(shop.widget_key))[0] for _n in range(3)]
    assert counted("visits:ip:") == 3 and counted(f"visits:client:{shop.pk}") == 3

    refused = visit_communicator(shop.widget_key)
    connected, _ = await refused.connect(timeout=5)
    assert not connected
    assert counted("visits:ip:") == 3  # the refused one holds nothing

    await pages.pop().disconnect()
    again, _ = await open_visit(shop.widget_key)
    assert counted("visits:ip:") == 3
    for page in [*pages, again]:
        await page.disconnect()
    assert counted("visits:ip:") == 0 and counted(f"visits:client:{shop.pk}") == 0


async def test_a_client_holds_at_most_its_share_of_visit_sockets(shop, settings):
    settings.VISIT_MAX_SOCKETS_PER_CLIENT = 2
    other = await database_sync_to_async(make_client)(
        "Other shop", allowed_origins=SHOP, tracks_visitors_before_chat=True
    )
    pages = [(await open_visit(shop.widget_key))[0] for _n in range(2)]
    refused = visit_communicator(shop.widget_key)
    assert not (await refused.connect(timeout=5))[0]
    elsewhere, _ = await open_visit(other.widget_key)  # another client's budget is its own
    for page in [*pages, elsewhere]:
        await page.disconnect()
    assert counted("visits:client:") == 0
