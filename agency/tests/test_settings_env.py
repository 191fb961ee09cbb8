"""The typed readers of the environment (agency/settings_env.py): the default when a variable is
unset or blank, the value when it reads as the type, ImproperlyConfigured naming it otherwise."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agency.settings_env import env_bool, env_float, env_int, env_json, env_list, env_str

NAME = "RELEVO_TEST_SETTING"


@pytest.fixture
def env(monkeypatch):
    def set_to(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(NAME, raising=False)
        else:
            monkeypatch.setenv(NAME, value)

    return set_to


@pytest.mark.parametrize(("reader", "default"), [(env_int, 7), (env_float, 2.5), (env_bool, True), (env_json, "[1]")])
@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_unset_or_blank_variable_reads_as_the_default(env, reader, default, value):
    env(value)
    expected = {env_json: [1], env_bool: value is None}.get(reader, default)  # a blank switch is off, as ever
    assert reader(NAME, default) == expected


@pytest.mark.parametrize(
    ("reader", "value", "expected"),
    [
        (env_int, " 42 ", 42),
        (env_int, "-3", -3),
        (env_float, "0.5", 0.5),
        (env_float, "10", 10.0),
        (env_bool, "1", True),
        (env_bool, "YES", True),
        (env_bool, "on", True),
        (env_bool, "true", True),
        (env_bool, "0", False),
        (env_bool, "No", False),
        (env_bool, "off", False),
        (env_bool, "FALSE", False),
        (env_json, '[{"urls": "stun:x"}]', [{"urls": "stun:x"}]),
    ],
)
def test_a_value_of_the_type_is_read(env, reader, value, expected):
    env(value)
    default = {env_json: "[]", env_bool: not expected}.get(reader, 0)
    assert reader(NAME, default) == expected


@pytest.mark.parametrize(
    ("reader", "value", "expected"),
    [
        (env_int, "4k", "a whole number"),
        (env_int, "1.5", "a whole number"),
        (env_float, "soon", "a number"),
        (env_bool, "ture", "one of 1, true, yes, on, 0, false, no, off"),
        (env_json, "[{", "JSON"),
    ],
)
def test_anything_else_is_improperly_configured_naming_the_variable_and_what_it_expects(env, reader, value, expected):
    env(value)
    with pytest.raises(ImproperlyConfigured) as refused:
        reader(NAME, {env_json: "[]", env_bool: False}.get(reader, 1))
    assert str(refused.value).startswith(f"{NAME}={value!r} is not {expected}: set {NAME} to {expected}")


def test_lists_drop_blank_items_and_strings_are_read_as_they_are(env):
    env(" a.example, ,b.example ,")
    assert env_list(NAME) == ["a.example", "b.example"]
    assert env_str(NAME) == " a.example, ,b.example ,"
    env(None)
    assert env_list(NAME, "x,y") == ["x", "y"]
    assert env_str(NAME, "fallback") == "fallback"
