"""Webhooks: a client's endpoints, the signed events Relevo POSTs to them, and their delivery log.

Events happen in chats and reports, endpoints belong to a client: so they live here,
where both can import them. `services.emit_event` writes one outbox row per event and
endpoint in the caller's transaction; `delivery` sends them through core.outbound.
"""
