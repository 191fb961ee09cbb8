"""REST API v1 of the agency's people: agents and teams (read only).

Agency admins and supervisors see everyone; an agent sees themselves and their
teams; a client's people see the agents who serve their client and no teams.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from agency.models import Agent, Team
from clients.models import Client
from clients.selectors import clients_visible_to, is_agency_wide, is_client_side


class AgentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(read_only=True)
    languages = serializers.ListField(source="language_codes", child=serializers.CharField(), read_only=True)
    clients = serializers.SerializerMethodField(help_text="Ids of the clients the agent serves (that you may see).")

    class Meta:
        model = Agent
        fields = [
            "id",
            "username",
            "display_name",
            "presence",
            "languages",
            "max_concurrent_chats",
            "active_chats",
            "last_seen_at",
            "clients",
        ]

    def get_clients(self, agent: Agent) -> list[int]:
        return [client.pk for client in agent.clients.all()]


class TeamSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField(help_text="Ids of the team's agents.")

    class Meta:
        model = Team
        fields = ["id", "name", "max_simultaneous_chats", "members"]

    def get_members(self, team: Team) -> list[int]:
        return [agent.pk for agent in team.members.all()]


@extend_schema_view(list=extend_schema(summary="Agents"), retrieve=extend_schema(summary="An agent"))
class AgentViewSet(viewsets.ReadOnlyModelViewSet):
    """The agency's agents, with the clients they serve."""

    serializer_class = AgentSerializer
    queryset = Agent.objects.none()  # for the schema; get_queryset() applies the rule

    def get_queryset(self) -> QuerySet[Agent]:
        user = self.request.user
        visible = clients_visible_to(user)
        agents = Agent.objects.select_related("user").order_by("user__username", "pk")
        if is_agency_wide(user):
            pass
        elif is_client_side(user):
            agents = agents.filter(clients__in=visible.values("pk")).distinct()
        else:
            agents = agents.filter(user=user)
        clients = Client.objects.filter(pk__in=visible.values("pk")).only("pk").order_by("pk")
        return agents.prefetch_related(Prefetch("clients", queryset=clients))


@extend_schema_view(list=extend_schema(summary="Teams"), retrieve=extend_schema(summary="A team"))
class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    """Agents who work together, with an optional limit of chats for the whole team."""

    serializer_class = TeamSerializer
    queryset = Team.objects.none()  # for the schema; get_queryset() applies the rule

    def get_queryset(self) -> QuerySet[Team]:
        user = self.request.user
        teams = Team.objects.order_by("name", "pk").prefetch_related(
            Prefetch("members", queryset=Agent.objects.only("pk").order_by("pk"))
        )
        if is_agency_wide(user):
            return teams
        if is_client_side(user):
            return teams.none()
        return teams.filter(members__user=user).distinct()
