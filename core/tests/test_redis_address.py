"""One description of where Redis is gives every user its connection: the channel layer, the
shared limits and Celery's broker, through a plain URL or through Sentinels."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agency.settings_env import env_host_ports
from core.redis_connection import RedisAddress

SENTINELS = (("10.0.0.1", 26379), ("10.0.0.2", 26380))


def test_sentinels_are_read_as_host_port_pairs_with_the_default_port(monkeypatch):
    monkeypatch.setenv("REDIS_SENTINELS", "10.0.0.1, 10.0.0.2:26380,")
    assert env_host_ports("REDIS_SENTINELS", default_port=26379) == SENTINELS


def test_a_port_that_is_not_a_number_stops_the_start_naming_the_variable(monkeypatch):
    monkeypatch.setenv("REDIS_SENTINELS", "10.0.0.1:sixty")
    with pytest.raises(ImproperlyConfigured, match="REDIS_SENTINELS"):
        env_host_ports("REDIS_SENTINELS", default_port=26379)


def test_a_plain_url_is_used_as_it_is():
    address = RedisAddress(url="redis://127.0.0.1:6379/3")
    assert address.channel_layer_host("layer:1") == {"address": "redis://127.0.0.1:6379/3", "client_name": "layer:1"}
    assert address.celery_broker({"visibility_timeout": 7200}) == (
        "redis://127.0.0.1:6379/3",
        {"visibility_timeout": 7200},
    )


def test_through_sentinels_every_user_names_the_master_and_the_url_gives_db_and_password():
    address = RedisAddress(url="redis://:s%40cret@ignored:1/3", sentinels=SENTINELS, master="chats")
    layer = address.channel_layer_host("layer:1")
    assert (layer["master_name"], layer["sentinels"], layer["db"], layer["password"]) == (
        "chats",
        [["10.0.0.1", 26379], ["10.0.0.2", 26380]],
        3,
        "s@cret",
    )
    url, options = address.celery_broker({"visibility_timeout": 7200})
    assert url == "sentinel://:s%40cret@10.0.0.1:26379/3;sentinel://:s%40cret@10.0.0.2:26380/3"
    assert options["master_name"] == "chats" and options["visibility_timeout"] == 7200
    assert "ignored" not in address.describe() and "cret" not in address.describe()


def test_no_url_and_no_sentinels_means_no_redis():
    assert not RedisAddress()
    assert RedisAddress().celery_broker({})[0] == "memory://"
