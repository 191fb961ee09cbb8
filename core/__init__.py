"""Shared plumbing every app may use: errors and their one HTTP mapping, limits, outbound
transports, REST API plumbing. Imports no domain app (agency, clients, chats, reports)."""
