"""PricePlan, NpsSurvey and QualityEmail moved from reports to planning and quality (issue 22): an
existing database keeps its rows, and their content types keep their ids (permissions, admin history)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0008_nps_and_visitor_emails"), ("planning", None), ("quality", None)]
MOVED = {"priceplan": "planning", "npssurvey": "quality", "qualityemail": "quality"}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_price_plans_and_content_types():
    old = migrate(BEFORE)
    client = old.get_model("clients", "Client").objects.create(name="Old Shop", slug="old-shop", timezone="UTC")
    old.get_model("reports", "PricePlan").objects.create(client=client, monthly_fee="99.00")
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label__in=set(MOVED.values())).delete()  # a database from before had none
    ids = {model: content_type.objects.get_or_create(app_label="reports", model=model)[0].pk for model in MOVED}

    executor = MigrationExecutor(connection)
    new = migrate(executor.loader.graph.leaf_nodes())

    plan = new.get_model("planning", "PricePlan").objects.get(client__slug="old-shop")
    assert str(plan.monthly_fee) == "99.00"
    moved = new.get_model("contenttypes", "ContentType").objects
    for model, app in MOVED.items():
        assert moved.get(pk=ids[model]).app_label == app
    assert not moved.filter(app_label="reports", model__in=list(MOVED)).exists()
