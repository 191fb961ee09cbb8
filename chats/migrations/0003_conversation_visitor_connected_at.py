from django.db import migrations, models


def count_existing_chats_as_connected(apps, schema_editor):
    """Chats from before this field were routed as soon as they were created: keep them in line."""
    Conversation = apps.get_model("chats", "Conversation")
    Conversation.objects.filter(visitor_connected_at__isnull=True).update(visitor_connected_at=models.F("requested_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("chats", "0002_conversation_client_requested_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="visitor_connected_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="visitor connected"),
        ),
        migrations.RunPython(count_existing_chats_as_connected, migrations.RunPython.noop),
    ]
