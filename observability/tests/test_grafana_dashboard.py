"""deploy/grafana-dashboard.json queries only metrics that /metrics exports."""

import json
import re

import pytest

from conftest import ROOT

DASHBOARD = ROOT / "deploy" / "grafana-dashboard.json"


@pytest.mark.django_db
def test_every_metric_the_dashboard_queries_is_exported(client, settings):
    settings.METRICS_TOKEN = "dashboard-check"
    exported = client.get("/metrics", HTTP_AUTHORIZATION="Bearer dashboard-check").content.decode()
    queried = {
        name
        for panel in json.loads(DASHBOARD.read_text())["panels"]
        for target in panel["targets"]
        for name in re.findall(r"relevo_\w+", target["expr"])
    }
    families = {re.sub(r"_(bucket|sum|count)$", "", name) for name in queried}
    assert len(families) >= 10
    for family in families:
        assert re.search(rf"^# TYPE {re.escape(family)} ", exported, re.MULTILINE), family
