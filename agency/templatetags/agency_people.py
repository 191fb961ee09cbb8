"""`{{ user|display_name }}`: an agent's name as every page and email shows it (agency.models.display_name_of)."""

from django import template

from agency.models import display_name_of

register = template.Library()


@register.filter
def display_name(user) -> str:
    return display_name_of(user) if user else ""
