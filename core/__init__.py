"""Shared plumbing every app may use: errors and their one HTTP mapping, limits, outbound
delivery (transports and the outbox engine), REST API plumbing. Imports no domain app
(agency, clients, chats, reports)."""
