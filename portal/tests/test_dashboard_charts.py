"""The dashboard's charts have titled axes with round ticks, and the period inputs show the period applied."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from agency import roles
from conftest import make_agent
from reports.analytics.charts import bar_chart, value_axis
from reports.analytics.tests.test_analytics import chat_at

pytestmark = pytest.mark.django_db
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def test_the_value_axis_ends_on_a_round_number_above_the_highest_bar():
    assert value_axis(7) == (8, [0, 2, 4, 6, 8])
    assert value_axis(3) == (3, [0, 1, 2, 3])
    assert value_axis(430) == (500, [0, 100, 200, 300, 400, 500])
    assert value_axis(40) == (40, [0, 10, 20, 30, 40])
    assert value_axis(1) == (1, [0, 1])
    assert value_axis(None) == (1, [0, 1])


def test_bars_scale_to_the_axis_and_a_few_days_are_labelled():
    days = [(f"3/{n}/26", n % 5, f"/day/{n}") for n in range(1, 31)]
    chart = bar_chart(days)
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.height == chart.bottom - chart.plot_top
    assert 4 <= len(chart.x_ticks) <= 8 and chart.x_ticks[0].label == "3/1/26"


def test_the_dashboard_charts_have_titles_axes_and_tick_labels(client, owner, shop):
    ana = make_agent("ana", shop)
    for day, count in ((2, 3), (3, 1)):
        for n in range(count):
            chat_at(
                shop, datetime(2026, 3, day, 10, n, tzinfo=MADRID), agent=ana, assigned=5, first_response=40, closed=100
            )
    client.force_login(owner.user)
    page = client.get("/portal/dashboard/", {"since": "2026-03-01", "until": "2026-03-07"}).content.decode()
    assert page.count('<svg class="bars"') == 2
    assert "<title>Chats per day</title>" in page and "<title>First reply per day</title>" in page
    assert '<text class="axis-title"' in page and ">chats</text>" in page and ">seconds (median)</text>" in page
    y_ticks = re.findall(r'class="tick y-tick"[^>]*>([^<]+)</text>', page)
    assert y_ticks[:4] == ["0", "1", "2", "3"]
    assert "40" in y_ticks[4:]
    assert re.findall(r'class="tick x-tick"[^>]*>([^<]+)</text>', page)


def test_the_date_inputs_show_the_default_period(client, owner):
    client.force_login(owner.user)
    page = client.get("/portal/dashboard/").content.decode()
    today = timezone.now().astimezone(MADRID).date()
    assert f'name="since" value="{(today - timedelta(days=29)).isoformat()}"' in page
    assert f'name="until" value="{today.isoformat()}"' in page


def test_the_date_inputs_show_the_chosen_period_and_fill_a_missing_end(client, owner):
    client.force_login(owner.user)
    page = client.get("/portal/dashboard/", {"since": "2026-03-02", "until": ""}).content.decode()
    today = timezone.now().astimezone(MADRID).date()
    assert 'name="since" value="2026-03-02"' in page
    assert f'name="until" value="{today.isoformat()}"' in page


def test_the_agents_report_inputs_show_its_period_in_any_language(client):
    boss = get_user_model().objects.create_user("boss", password="pw")
    boss.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    client.force_login(boss)
    page = client.get("/floor/agents/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert re.search(r'name="since" value="\d{4}-\d{2}-\d{2}"', page)
    assert re.search(r'name="until" value="\d{4}-\d{2}-\d{2}"', page)


NUMBER_IN_MARKUP = re.compile(r'\s(?:x|y|x1|x2|y1|y2|width|height|viewBox|style|data-[\w-]+)="[^"]*\d,\d[^"]*"')


@pytest.mark.parametrize("language", ["en", "es", "pl"])
def test_numbers_in_the_dashboards_markup_are_never_localised(client, owner, shop, language):
    """Spanish and Polish write decimal commas; SVG coordinates, the SLA meter and the heatmap's
    shade must keep the dot or the browser drops the shapes (`x="49,0"`)."""
    ana = make_agent("ana", shop)
    for day, count in ((2, 3), (3, 1), (4, 7)):
        for n in range(count):
            chat_at(
                shop,
                datetime(2026, 3, day, 10, n, tzinfo=MADRID),
                agent=ana,
                assigned=5,
                first_response=40 + n,
                closed=100,
            )
    client.force_login(owner.user)
    page = client.get(
        "/portal/dashboard/", {"since": "2026-03-01", "until": "2026-03-07"}, HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert page.count("<rect x=") >= 7
    assert NUMBER_IN_MARKUP.findall(page) == []
    assert re.search(r'<rect x="\d+\.\d+" y="[\d.]+" width="\d+\.\d+" height="[\d.]+"', page)
    assert re.search(r'style="--shade: 0\.\d+"', page)
