"""Leads: contact details a visitor left (pre-chat form, the agent's lead card, an offline
form, a queue they gave up on, a missed chat), listed for the client and emailed to its people."""
