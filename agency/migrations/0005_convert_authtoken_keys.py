"""Turn rest_framework.authtoken's plaintext keys into ApiToken digests, then drop its table.

Integrations keep their keys (the digest of the same key now matches); the plaintext
copies are gone from the database. Read with SQL: the authtoken app is no longer installed.
"""
import hashlib

from django.db import migrations

OLD_TABLE = "authtoken_token"


def convert_authtoken_keys(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("agency", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {schema_editor.quote_name(OLD_TABLE)}")  # noqa: S608
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, name="authtoken", key_prefix=key[:8],
                 digest=hashlib.sha256(key.encode()).hexdigest(), created_at=created)
        for key, user_id, created in rows
    ])
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [("agency", "0004_apitoken")]

    operations = [migrations.RunPython(convert_authtoken_keys, migrations.RunPython.noop, elidable=False)]
