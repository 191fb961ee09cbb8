"""GIN indexes for full-text search over messages (chats.search), on PostgreSQL only.

One expression index per text search configuration chats.search uses: english and
spanish stem; Polish has no dictionary in PostgreSQL 15, so it (and every other
language) is searched with `simple`. SQLite (`./run`) gets nothing: it searches with
a substring match. CONCURRENTLY is not used: run this before the table is large, or
create the indexes by hand with CONCURRENTLY first (the names match, IF NOT EXISTS).
"""
from django.db import migrations

CONFIGS = ("english", "spanish", "simple")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS message_body_fts_{config} ON chats_message "
            f"USING gin (to_tsvector('{config}'::regconfig, body))")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS message_body_fts_{config}")


class Migration(migrations.Migration):

    dependencies = [("chats", "0005_rating")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
