"""The portal's settings: owners edit their own client's briefing and report settings, every
client user their own preferences, and nobody reaches another client's rows."""

import pytest
from django.test import Client as HttpClient

from chats import services as chat_services
from clients.models import Briefing, CannedReply, FaqEntry, RepresentativeRole
from clients.services import search_canned_replies
from conftest import make_agent
from reports.models import ClientReportSettings, Escalation
from reports.tests.personas import escalate, logged_in, make_representative


def management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def faq_row(index: int, entry: FaqEntry | None = None, **fields) -> dict:
    row = {"id": entry.pk if entry else "", "order": 0, "question": "", "answer": "", **fields}
    return {f"faq-{index}-{name}": value for name, value in row.items()}


def reply_row(index: int, reply: CannedReply | None = None, **fields) -> dict:
    row = {"id": reply.pk if reply else "", "shortcut": "", "title": "", "body": "", **fields}
    return {f"canned-{index}-{name}": value for name, value in row.items()}


def categories_post(
    *rows: tuple[str, str], normal_reports: str = "hourly", reminder_after_hours: int = 6, deleted: tuple[int, ...] = ()
) -> dict:
    data = {
        **management("categories", len(rows), 0),
        "normal_reports": normal_reports,
        "reminder_after_hours": reminder_after_hours,
    }
    for index, (previous, name) in enumerate(rows):
        data[f"categories-{index}-previous"], data[f"categories-{index}-name"] = previous, name
        if index in deleted:
            data[f"categories-{index}-DELETE"] = "on"
    return data


@pytest.fixture
def teammate(shop):
    return make_representative("rita", shop)


@pytest.fixture
def foreign_faq(other_shop):
    return FaqEntry.objects.create(client=other_shop, question="B's secret question", answer="B's answer")


@pytest.fixture
def foreign_reply(other_shop):
    return CannedReply.objects.create(client=other_shop, shortcut="/hours", title="B hours", body="B opens at 9")


class TestBriefing:
    def test_an_owner_saves_the_briefing(self, owner):
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "briefing",
                "briefing-may_answer": "Shipping times",
                "briefing-may_not_answer": "Refunds",
                "briefing-tone": "Warm",
                "briefing-useful_links": "https://shop.example/faq",
            },
        )
        assert response.status_code == 302
        briefing = Briefing.objects.get(client=owner.client)
        assert (briefing.may_answer, briefing.may_not_answer, briefing.tone) == ("Shipping times", "Refunds", "Warm")

    def test_the_page_shows_only_the_owners_client_escaped(self, owner, foreign_faq):
        FaqEntry.objects.create(client=owner.client, question="<b>Do you ship?</b>", answer="Yes")
        content = logged_in(owner.user).get("/portal/briefing/").content.decode()
        assert "&lt;b&gt;Do you ship?&lt;/b&gt;" in content and "<b>Do you ship?" not in content
        assert "B&#x27;s secret question" not in content and "B's secret question" not in content

    def test_faq_entries_are_added_edited_reordered_and_deleted(self, owner):
        first = FaqEntry.objects.create(client=owner.client, question="First?", answer="1", order=1)
        second = FaqEntry.objects.create(client=owner.client, question="Second?", answer="2", order=2)
        doomed = FaqEntry.objects.create(client=owner.client, question="Old?", answer="3", order=3)
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "faq",
                **management("faq", 4, 3),
                **faq_row(0, first, order=5, question="First?", answer="one"),
                **faq_row(1, second, order=2, question="Second?", answer="2"),
                **faq_row(2, doomed, order=3, question="Old?", answer="3", DELETE="on"),
                **faq_row(3, order=1, question="New?", answer="4"),
            },
        )
        assert response.status_code == 302
        assert list(FaqEntry.objects.filter(client=owner.client).values_list("question", "answer")) == [
            ("New?", "4"),
            ("Second?", "2"),
            ("First?", "one"),
        ]

    def test_a_faq_entry_of_another_client_is_refused(self, owner, foreign_faq):
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "faq",
                **management("faq", 1, 1),
                **faq_row(0, foreign_faq, question="Hijacked", answer="Hijacked"),
            },
        )
        assert response.status_code == 200
        assert "no longer exists" in response.content.decode()
        foreign_faq.refresh_from_db()
        assert foreign_faq.client_id != owner.client_id and foreign_faq.question == "B's secret question"
        assert not FaqEntry.objects.filter(client=owner.client).exists()

    def test_another_clients_entries_cannot_be_deleted(self, owner, foreign_faq):
        logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "faq",
                **management("faq", 1, 1),
                **faq_row(0, foreign_faq, question="x", answer="x", DELETE="on"),
            },
        )
        assert FaqEntry.objects.filter(pk=foreign_faq.pk).exists()

    def test_a_saved_canned_reply_is_found_by_the_agents_search(self, owner):
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "canned",
                **management("canned", 1, 0),
                **reply_row(0, shortcut="/returns", title="Returns", body="30 days, free."),
            },
        )
        assert response.status_code == 302
        assert search_canned_replies(owner.client_id, "/ret") == [
            {"shortcut": "/returns", "title": "Returns", "body": "30 days, free."}
        ]
        assert search_canned_replies(owner.client_id + 1, "/ret") == []

    def test_a_repeated_shortcut_is_a_form_error(self, owner):
        CannedReply.objects.create(client=owner.client, shortcut="/hours", title="Hours", body="9 to 5")
        existing = CannedReply.objects.get(client=owner.client)
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "canned",
                **management("canned", 2, 1),
                **reply_row(0, existing, shortcut="/hours", title="Hours", body="9 to 5"),
                **reply_row(1, shortcut="/hours", title="Again", body="Twice"),
            },
        )
        assert response.status_code == 200
        assert "Another canned reply already uses the shortcut /hours." in response.content.decode()
        assert CannedReply.objects.filter(client=owner.client).count() == 1

    def test_the_same_shortcut_is_fine_for_two_clients(self, owner, foreign_reply):
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "canned",
                **management("canned", 1, 0),
                **reply_row(0, shortcut="/hours", title="Hours", body="9 to 5"),
            },
        )
        assert response.status_code == 302
        foreign_reply.refresh_from_db()
        assert foreign_reply.body == "B opens at 9"

    def test_a_canned_reply_of_another_client_is_refused(self, owner, foreign_reply):
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "canned",
                **management("canned", 1, 1),
                **reply_row(0, foreign_reply, shortcut="/hours", title="Mine now", body="Hijacked"),
            },
        )
        assert response.status_code == 200
        foreign_reply.refresh_from_db()
        assert (foreign_reply.client_id, foreign_reply.title, foreign_reply.body) == (
            foreign_reply.client.pk,
            "B hours",
            "B opens at 9",
        )
        assert foreign_reply.client_id != owner.client_id
        assert not CannedReply.objects.filter(client=owner.client).exists()

    def test_an_invalid_shortcut_is_a_form_error(self, owner):
        response = logged_in(owner.user).post(
            "/portal/briefing/",
            {
                "section": "canned",
                **management("canned", 1, 0),
                **reply_row(0, shortcut="hours now", title="Hours", body="9 to 5"),
            },
        )
        assert response.status_code == 200
        assert not CannedReply.objects.exists()


class TestReportSettings:
    def test_an_owner_changes_delivery_and_reminders(self, owner):
        response = logged_in(owner.user).post(
            "/portal/settings/",
            categories_post(("order", "order"), ("refund", "refund"), normal_reports="hourly", reminder_after_hours=12),
        )
        assert response.status_code == 302
        saved = ClientReportSettings.of(owner.client_id)
        assert (saved.categories, saved.normal_reports, saved.reminder_after_hours) == (
            ["order", "refund"],
            "hourly",
            12,
        )

    def test_categories_are_added_renamed_and_removed(self, owner, chat, ana):
        subscriber = make_representative("sam", owner.client, categories=["refund", "order"])
        escalation = escalate(chat, ana, category="refund")
        response = logged_in(owner.user).post(
            "/portal/settings/",
            categories_post(
                ("order", "order"), ("refund", "returns"), ("other", "other"), ("", "warranty"), deleted=(2,)
            ),
        )
        assert response.status_code == 302
        assert ClientReportSettings.of(owner.client_id).categories == ["order", "returns", "warranty"]
        escalation.refresh_from_db()
        subscriber.refresh_from_db()
        assert escalation.category == "returns"
        assert subscriber.subscribed_categories == ["returns", "order"]

    def test_at_least_one_category_is_kept(self, owner):
        response = logged_in(owner.user).post("/portal/settings/", categories_post(("order", "order"), deleted=(0,)))
        assert response.status_code == 200
        assert "Keep at least one category." in response.content.decode()
        assert not ClientReportSettings.objects.filter(client=owner.client).exists()

    def test_a_category_listed_twice_is_refused(self, owner):
        response = logged_in(owner.user).post("/portal/settings/", categories_post(("order", "order"), ("", "Order")))
        assert response.status_code == 200
        assert "listed twice" in response.content.decode()

    def test_it_never_touches_another_clients_settings_or_escalations(self, owner, other_shop):
        bob = make_agent("bob", other_shop)
        foreign_chat = chat_services.start_conversation(
            client=other_shop, name="Zed", email="zed@example.com", visitor_connected=True
        )
        foreign_escalation = escalate(foreign_chat, bob, category="refund")
        logged_in(owner.user).post("/portal/settings/", categories_post(("refund", "returns")))
        assert ClientReportSettings.of(other_shop.pk).categories == ClientReportSettings.of(0).categories
        assert Escalation.objects.get(pk=foreign_escalation.pk).category == "refund"


class TestPreferences:
    def test_a_representative_sets_their_own_preferences(self, teammate):
        response = logged_in(teammate.user).post(
            "/portal/me/", {"language": "pl", "subscribed_categories": ["refund", "complaint"]}
        )
        assert response.status_code == 302
        teammate.refresh_from_db()
        assert (teammate.language, teammate.receives_emails) == ("pl", False)
        assert teammate.subscribed_categories == ["refund", "complaint"]

    def test_only_the_clients_categories_are_offered(self, owner):
        response = logged_in(owner.user).post(
            "/portal/me/", {"language": "en", "receives_emails": "on", "subscribed_categories": ["espionage"]}
        )
        assert response.status_code == 200
        owner.refresh_from_db()
        assert owner.subscribed_categories == []

    def test_an_owner_has_preferences_too(self, owner):
        assert logged_in(owner.user).get("/portal/me/").status_code == 200


OWNER_PAGES = ["/portal/briefing/", "/portal/settings/"]
ALL_PAGES = [*OWNER_PAGES, "/portal/me/"]


@pytest.mark.parametrize("url", OWNER_PAGES)
def test_a_representative_may_not_change_the_clients_settings(teammate, url):
    http = logged_in(teammate.user)
    assert http.get(url).status_code == 403
    response = http.post(url, {"section": "briefing", "briefing-tone": "Rude", **categories_post(("x", "x"))})
    assert response.status_code == 403
    assert "owners of your company" in response.content.decode()
    assert not Briefing.objects.exists() and not ClientReportSettings.objects.exists()


@pytest.mark.parametrize("url", ALL_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(db, url):
    response = HttpClient().get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", ALL_PAGES)
def test_an_agent_is_refused(ana, url):
    assert logged_in(ana.user).get(url).status_code == 403
    assert logged_in(ana.user).post(url, {"section": "briefing", "briefing-tone": "x"}).status_code == 403
    assert not Briefing.objects.exists()


def test_each_owner_edits_only_their_own_briefing(owner, outsider):
    logged_in(outsider.user).post("/portal/briefing/", {"section": "briefing", "briefing-tone": "B's tone"})
    content = logged_in(owner.user).get("/portal/briefing/").content.decode()
    assert "B&#x27;s tone" not in content
    assert Briefing.objects.get().client_id == outsider.client_id


def test_forms_carry_a_csrf_token(owner):
    for url in ALL_PAGES:
        assert "csrfmiddlewaretoken" in logged_in(owner.user).get(url).content.decode()


def test_an_owners_role_is_what_counts(shop):
    former_owner = make_representative("fred", shop, role=RepresentativeRole.OWNER)
    former_owner.role = RepresentativeRole.REPRESENTATIVE
    former_owner.save(update_fields=["role"])
    assert logged_in(former_owner.user).get("/portal/briefing/").status_code == 403
