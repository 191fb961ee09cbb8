"""Escalations and feedback: an agent escalates a question or records feedback, the client's people
acknowledge and answer (services), and the console's JSON endpoints for them (console)."""
