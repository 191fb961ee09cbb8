"""Reports' outbound emails: its outbox (deliveries: which rows, how they group, sending them through
core's engine), what each email says (emails), and leads left outside coverage (leads). The engine
and the transports are core.outbound."""
