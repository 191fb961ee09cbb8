"""No client sees another's rubric or scores (API, portal page, CSV), an agent sees only their own reviews
(API and pages), and only the agency's supervisors reach the review pages."""

import datetime as dt

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from agency import roles
from agency.models import Agent
from agency.tests.api_personas import api_as, make_conversation, make_personas, make_user
from chats.models import Message, SenderKind
from clients.models import Representative, RepresentativeRole
from quality.scorecards import services
from quality.scorecards.models import ReviewStatus
from quality.scorecards.tests.scorecard_fixtures import full_marks, shop_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa():
    people = make_personas()
    for side in (people.a, people.b):
        side.rubric = shop_rubric(side.client, language="es" if side is people.b else "en")
        side.review = services.score_chat(
            conversation_id=side.conversation.pk,
            reviewer=people.supervisor,
            points=full_marks(side.rubric),
            comment=f"Well done {side.client.name}",
        )
    colleague = Agent.objects.create(user=make_user("agent-colleague", roles.AGENT))
    colleague.clients.set([people.a.client])
    chat = make_conversation(people.a.client, colleague, body="Colleague's chat")
    people.colleague_review = services.score_chat(
        conversation_id=chat.pk, reviewer=people.supervisor, points=full_marks(people.a.rubric), comment="Colleague"
    )
    return people


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_clients_owner_sees_only_their_rubrics_and_reviews_in_the_api(qa):
    api = api_as(qa.a.owner)
    assert ids(api.get("/api/v1/qa/rubrics/")) == {qa.a.rubric.pk}
    assert ids(api.get("/api/v1/qa/reviews/")) == {qa.a.review.pk, qa.colleague_review.pk}
    assert api.get(f"/api/v1/qa/rubrics/{qa.b.rubric.pk}/").status_code == 404
    assert api.get(f"/api/v1/qa/reviews/{qa.b.review.pk}/").status_code == 404
    assert ids(api.get(f"/api/v1/qa/reviews/?client={qa.b.client.pk}")) == set()


def test_an_agent_sees_only_their_own_reviews_in_the_api(qa):
    api = api_as(qa.a.agent.user)
    assert ids(api.get("/api/v1/qa/reviews/")) == {qa.a.review.pk}
    assert api.get(f"/api/v1/qa/reviews/{qa.colleague_review.pk}/").status_code == 404
    review = api.get(f"/api/v1/qa/reviews/{qa.a.review.pk}/").json()
    assert review["score"] == 100.0 and [s["points"] for s in review["scores"]] == [1, 3, 1]


def test_the_api_filters_reviews_by_agent_and_period(qa):
    api = api_as(qa.supervisor)
    assert ids(api.get(f"/api/v1/qa/reviews/?agent={qa.a.agent.pk}")) == {qa.a.review.pk}
    tomorrow = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(api.get(f"/api/v1/qa/reviews/?reviewed_after={tomorrow}")) == set()
    assert len(ids(api.get("/api/v1/qa/reviews/"))) == 3


def test_an_agent_opens_only_their_own_reviews_and_answers_them(qa):
    http = HttpClient()
    http.force_login(qa.a.agent.user)
    page = http.get("/console/qa/").content.decode()
    assert f'data-review="{qa.a.review.pk}"' in page and f'data-review="{qa.colleague_review.pk}"' not in page
    assert http.get(f"/console/qa/{qa.colleague_review.pk}/").status_code == 404
    assert http.get(f"/console/qa/{qa.b.review.pk}/").status_code == 404
    assert http.post(f"/console/qa/{qa.colleague_review.pk}/", {"answer": "acknowledged"}).status_code == 404
    http.post(f"/console/qa/{qa.a.review.pk}/", {"answer": "disputed", "comment": "I greeted"})
    qa.a.review.refresh_from_db()
    assert (qa.a.review.status, qa.a.review.agent_comment) == (ReviewStatus.DISPUTED, "I greeted")


def test_only_supervisors_reach_the_review_pages(qa):
    for user in (qa.a.owner, qa.a.agent.user):
        http = HttpClient()
        http.force_login(user)
        assert http.get("/floor/qa/").status_code == 403
        assert http.get(f"/floor/qa/chats/{qa.a.conversation.pk}/").status_code == 403
    assert HttpClient().get("/floor/qa/").status_code == 302  # to the login page


def test_a_supervisor_scores_from_the_review_page_beside_the_transcript(qa):
    http = HttpClient()
    second = make_user("second-supervisor", roles.SUPERVISOR)
    http.force_login(second)
    chat = qa.a.conversation
    page = http.get(f"/floor/qa/chats/{chat.pk}/").content.decode()
    assert "Where is my Alpha order?" in page and "Greets the visitor" in page
    lower = {f"criterion-{c.pk}": c.weight for c in qa.a.rubric.criteria.all()}
    lower[f"criterion-{qa.a.rubric.criteria.get(label='Greets the visitor').pk}"] = 0
    response = http.post(f"/floor/qa/chats/{chat.pk}/", {**lower, "comment": "No greeting"}, follow=True)
    assert 'data-testid="qa-difference"' in response.content.decode()  # 100 % vs 80 %: calibration shown
    assert "20.0" in response.content.decode()


def test_an_owner_sees_their_months_qa_and_csv_only(qa):
    Message.objects.create(
        conversation=qa.a.conversation,
        seq=3,
        sender=SenderKind.AGENT,
        author=qa.a.agent.user,
        body="Secret note",
        is_internal=True,
    )
    http = HttpClient()
    http.force_login(qa.a.owner)
    page = http.get("/portal/qa/").content.decode()
    assert "Well done Alpha" in page and "Well done Beta" not in page
    assert f"/portal/chats/{qa.a.conversation.pk}/" in page and f"/portal/chats/{qa.b.conversation.pk}/" not in page
    transcript = http.get(f"/portal/chats/{qa.a.conversation.pk}/").content.decode()
    assert "Let me check that for you." in transcript and "Secret note" not in transcript
    csv = http.get("/portal/qa.csv").content.decode()
    assert "Greets the visitor" in csv and str(qa.a.conversation.pk) in csv and "Agent-Beta" not in csv
    assert f",{qa.b.conversation.pk}," not in csv


def test_a_representative_who_is_not_the_owner_is_refused_the_qa_page(qa):
    rep = make_user("rep-alpha", roles.CLIENT_REPRESENTATIVE)
    Representative.objects.create(user=rep, client=qa.a.client, role=RepresentativeRole.REPRESENTATIVE)
    http = HttpClient()
    http.force_login(rep)
    assert http.get("/portal/qa/").status_code == 403
    assert http.get("/portal/qa.csv").status_code == 403


def test_a_supervisor_settles_a_dispute_from_the_review_page_and_the_agent_reads_it(qa):
    services.answer_review(review_id=qa.a.review.pk, agent=qa.a.agent, status=ReviewStatus.DISPUTED, comment="Unfair")
    owner = HttpClient()
    owner.force_login(qa.a.owner)
    assert owner.post(f"/floor/qa/reviews/{qa.a.review.pk}/settle/", {"settlement": "x"}).status_code == 403
    http = HttpClient()
    http.force_login(qa.supervisor)
    assert 'data-testid="qa-disputed"' in http.get("/floor/qa/").content.decode()
    assert 'data-testid="qa-settle"' in http.get(f"/floor/qa/chats/{qa.a.conversation.pk}/").content.decode()
    http.post(f"/floor/qa/reviews/{qa.a.review.pk}/settle/", {"settlement": "The score stands"})
    assert 'data-testid="qa-disputed"' not in http.get("/floor/qa/").content.decode()
    agent = HttpClient()
    agent.force_login(qa.a.agent.user)
    assert "The score stands" in agent.get(f"/console/qa/{qa.a.review.pk}/").content.decode()
