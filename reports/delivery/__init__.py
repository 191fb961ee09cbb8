"""Outbound delivery: the outbox rows' engine (deliveries: queue, claim, send, retry), what each
email says (emails), and leads left outside coverage (leads). The transports are core.outbound."""
