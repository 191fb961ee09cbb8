"""`{% client_time value client %}`: a time as the client's people read it (clients.local_times.client_time).

`client` is a Client or a timezone name; optional: a date format ("SHORT_DATETIME_FORMAT",
"H:i"…) and `with_zone=False` where a heading already names the zone. `… as name` stores it."""

from django import template

from clients.local_times import client_time as format_client_time

register = template.Library()


@register.simple_tag
def client_time(value, client, format: str = "DATETIME_FORMAT", with_zone: bool = True) -> str:
    zone = getattr(client, "timezone", client)
    return format_client_time(value, zone, format, with_zone=with_zone)
