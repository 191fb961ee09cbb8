"""Full-text search over messages (chats.search.selectors), on PostgreSQL only.

One stored generated tsvector column per text search configuration chats.search uses,
each with a GIN index: english and spanish stem; Polish has no dictionary in PostgreSQL
15, so it (and every other language) is searched with `simple`. The columns are not
model fields: PostgreSQL fills them on every INSERT and UPDATE of `body` (a card number
masked after the fact included), so the message path's SQL does not change. Stored
vectors keep a search cheap when the index needs a recheck (phrases) or when PostgreSQL
walks the newest messages first.

Adding them rewrites chats_message: on a big table, run it in a quiet hour. SQLite
(`./run`) gets nothing: it searches with a substring match.
"""
from django.db import migrations

CONFIGS = ("english", "spanish", "simple")


def add_search_columns(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(
        f"ADD COLUMN IF NOT EXISTS search_{config} tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('{config}'::regconfig, body)) STORED" for config in CONFIGS)
    schema_editor.execute(f"ALTER TABLE chats_message {columns}")
    for config in CONFIGS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS message_search_{config} ON chats_message "
                              f"USING gin (search_{config})")


def drop_search_columns(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(f"DROP COLUMN IF EXISTS search_{config}" for config in CONFIGS)
    schema_editor.execute(f"ALTER TABLE chats_message {columns}")


class Migration(migrations.Migration):

    dependencies = [('chats', '0010_rating')]

    operations = [migrations.RunPython(add_search_columns, drop_search_columns)]
