"""Behind PgBouncer in transaction pooling (DATABASE_POOLER=pgbouncer) a server connection is
lent for one transaction only. A server-side cursor opened outside a transaction (what
QuerySet.iterator() uses) stays on the server connection that opened it, and the next FETCH
may get another one: Relevo switches such cursors off behind PgBouncer.

A real PgBouncer (Debian's, deploy/start-pgbouncer) and a real Relevo process."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from conftest import ROOT, free_port, require_mark, subprocess_env

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

# Two connections of one process: the first iterates in chunks while the second holds the
# only idle server connection in a transaction, so the first one's next FETCH gets another.
INTERLEAVED_ITERATION = """
import threading
import django
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

def hold_a_transaction(holding, done):
    with transaction.atomic():
        ContentType.objects.count()
        holding.set()
        done.wait(10)
    connection.close()

ContentType.objects.bulk_create(ContentType(app_label="pooled", model=f"m{n}") for n in range(100))
rows = ContentType.objects.filter(app_label="pooled").iterator(chunk_size=10)
seen = [next(rows)]
holding, done = threading.Event(), threading.Event()
holder = threading.Thread(target=hold_a_transaction, args=(holding, done))
holder.start()
holding.wait(10)
try:
    seen += list(rows)
finally:
    done.set()
    holder.join()
print(len(seen))
"""


@pytest.fixture
def pgbouncer():
    require_mark("server", "a PgBouncer process")
    state = Path(tempfile.mkdtemp(prefix="relevo-pgbouncer-"))  # not under pytest's 0700 folders: it runs as postgres
    port = free_port()
    env = subprocess_env() | {"PGBOUNCER_POOL_SIZE": "2"}
    subprocess.run([ROOT / "deploy" / "start-pgbouncer", state, str(port)], check=True, env=env)
    yield port
    os.kill(int((state / "pgbouncer.pid").read_text()), signal.SIGTERM)
    shutil.rmtree(state, ignore_errors=True)


def test_iterating_in_chunks_outside_a_transaction_works_through_pgbouncer(pgbouncer):
    database = connection.settings_dict
    env = subprocess_env() | {
        "DATABASE_URL": f"postgres://{database['USER']}@127.0.0.1:{pgbouncer}/{database['NAME']}",
        "DATABASE_POOLER": "pgbouncer",
    }
    done = subprocess.run(
        [sys.executable, "-c", INTERLEAVED_ITERATION], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "100"
