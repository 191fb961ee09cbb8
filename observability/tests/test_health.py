"""`/healthz` and `/readyz`: what a balancer asks each process before sending it traffic."""

import pytest
from django.db import connections

from conftest import free_port
from core.draining import start_draining, stop_draining
from core.redis_connection import RedisAddress


@pytest.fixture
def draining():
    start_draining()
    yield
    stop_draining()


def test_healthz_answers_without_the_database_or_a_session(client):
    # No `db` fixture: pytest-django fails any query, so a 200 proves the check touched no database.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: the balancer's checks come over plain HTTP
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_and_redis_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "failed": []}


@pytest.mark.django_db
def test_readyz_is_503_while_the_process_drains(client, draining):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "failed": ["draining"]}


@pytest.mark.django_db
@pytest.mark.parametrize("through", ["url", "sentinels"])
def test_readyz_is_503_when_redis_does_not_answer(client, settings, through):
    dead = free_port()  # nothing listens there
    settings.REDIS = (
        RedisAddress(url=f"redis://127.0.0.1:{dead}/9")
        if through == "url"
        else RedisAddress(sentinels=(("127.0.0.1", dead),), master="relevo")
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "failed": ["redis"]}


def test_readyz_is_503_when_the_database_does_not_answer(client, django_db_blocker):
    database = connections["default"]
    with django_db_blocker.unblock():
        database.close()
        port = database.settings_dict["PORT"]
        database.settings_dict["PORT"] = str(free_port())  # a real connection attempt, refused
        try:
            response = client.get("/readyz")
        finally:
            database.close()
            database.settings_dict["PORT"] = port
    assert response.status_code == 503
    assert response.json() == {"ready": False, "failed": ["database"]}


def test_the_probes_take_no_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
