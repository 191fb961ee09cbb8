"""Callback requests as tasks: their reminders (emails through the delivery outbox) and the portal's list."""
