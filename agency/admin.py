"""The agency admins' screens for their people: agents, teams and shifts."""
from django.contrib import admin

from agency.models import Agent, Shift, Team


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "presence", "languages", "max_concurrent_chats", "active_chats"]
    list_filter = ["presence", "clients", "teams"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["clients"]
    readonly_fields = ["active_chats", "last_assigned_at", "last_seen_at"]
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "max_simultaneous_chats"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["agent", "client", "team", "starts_at", "ends_at"]
    list_filter = ["client", "team", "agent"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["client"]
