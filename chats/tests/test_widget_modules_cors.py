"""The widget's modules are imported from clients' sites: a cross-origin ES module needs CORS."""

import pytest


@pytest.mark.parametrize("path", ["chats/widget.js", "chats/widget/chat.js", "chats/widget/calls.js"])
def test_the_widget_and_its_modules_are_served_to_any_origin_as_javascript(client, path):
    response = client.get(f"/static/{path}", HTTP_ORIGIN="https://shop.example")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "javascript" in response["Content-Type"]
