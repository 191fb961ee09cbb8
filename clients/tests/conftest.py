"""Fixtures of the clients' tests: a real webhook receiver and the webhook settings it needs."""

from clients.tests.webhook_fixtures import webhook_settings  # noqa: F401
from clients.tests.webhook_receiver import receiver  # noqa: F401
