"""Fixtures of the webhooks' specs: a real webhook receiver and the webhook settings it needs."""

from clients.webhooks.tests.webhook_fixtures import webhook_settings  # noqa: F401
from clients.webhooks.tests.webhook_receiver import receiver  # noqa: F401
