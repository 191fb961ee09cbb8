"""An escalation as JSON, declared once: the REST API shows it whole, the console without the
client and agent it already knows."""

from rest_framework import serializers

from reports.models import Escalation


class EscalationSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(read_only=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "client",
            "conversation",
            "agent",
            "question",
            "source_seq",
            "category",
            "category_label",
            "urgency",
            "note",
            "status",
            "created_at",
            "acknowledged_at",
            "answer",
            "answered_at",
        ]


class ConsoleEscalationSerializer(EscalationSerializer):
    """The console's escalation payload (docs/protocol.md, console HTTP API)."""

    class Meta(EscalationSerializer.Meta):
        fields = [name for name in EscalationSerializer.Meta.fields if name not in ("client", "agent")]
