"""Questions before a request, through the services: who may ask, who may read and write, read
markers, notices, read-only threads, reports and the centre's hiding."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharing.core.errors import Conflict, Forbidden, Invalid, NotFound
from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import ListingQuestion, LoanMessage
from sharing.notify.models import Notification


def notices(user, kind="market.question"):
    return (
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
        .scalars()
        .all()
    )


def test_a_resident_asks_and_the_owner_replies_in_one_thread(app, make, market):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "  주말에도 빌릴 수 있나요?  ")
    again = services.ask_question(asker, listing.id, "배터리는 몇 개인가요?")
    assert again.id == question.id  # one thread per (listing, asker)
    services.reply_question(owner, question.id, "네, 주말도 됩니다.")
    _q, thread = services.read_question(asker, question.id)
    assert [(m.author_id, m.body) for m in thread] == [
        (asker.id, "주말에도 빌릴 수 있나요?"),
        (asker.id, "배터리는 몇 개인가요?"),
        (owner.id, "네, 주말도 됩니다."),
    ]
    assert all(m.loan_id is None and m.question_id == question.id for m in thread)
    assert len(notices(owner)) == 2 and len(notices(asker)) == 1
    assert notices(asker)[0].link == f"/market/questions/{question.id}"


def test_the_owner_and_their_organisation_cannot_ask_their_own_listing(app, make, market):
    from sharing.orgs import services as org_services

    owner, member, neighbour = make.user(), make.user(), make.user()
    org = make.org(owner)
    org_services.invite(owner, org.id, member.email)
    listing = market.listing(owner, organization_id=org.id)
    for actor in (owner, member):
        with pytest.raises(Forbidden) as err:
            services.ask_question(actor, listing.id, "제 물건")
        assert err.value.code == "own_listing"
    assert db.session.execute(select(ListingQuestion)).first() is None
    question = services.ask_question(neighbour, listing.id, "조직 물건 문의")
    services.reply_question(member, question.id, "구성원이 답합니다")  # a manager replies
    assert [q.id for q in db.session.execute(services.question_threads_stmt(member)).scalars()] == [
        question.id
    ]


def test_only_the_asker_and_the_owner_read_or_write(app, make, market):
    owner, asker, stranger = make.user(), make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "아직 있나요?")
    for fn in (
        lambda: services.read_question(stranger, question.id),
        lambda: services.reply_question(stranger, question.id, "끼어들기"),
    ):
        with pytest.raises(Forbidden):
            fn()
    with pytest.raises(NotFound):
        services.read_question(asker, question.id + 999)
    services.read_question(owner, question.id)  # no error


def test_a_message_must_have_text_within_the_limit(app, make, market):
    listing = market.listing()
    asker = make.user()
    for body in ("", "   ", "가" * 2001):
        with pytest.raises(Invalid) as err:
            services.ask_question(asker, listing.id, body)
        assert "body" in err.value.fields
    assert db.session.execute(select(ListingQuestion)).first() is None


def test_unread_marks_follow_each_side(app, make, market):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "질문")
    assert services.question_unread(owner, question) and not services.question_unread(asker, question)
    services.read_question(owner, question.id)
    assert not services.question_unread(owner, db.session.get(ListingQuestion, question.id))
    services.reply_question(owner, question.id, "답")
    question = db.session.get(ListingQuestion, question.id)
    assert services.question_unread(asker, question) and not services.question_unread(owner, question)


def test_threads_list_as_asker_and_as_owner(app, make, market):
    owner, asker, other = make.user(), make.user(), make.user()
    mine = market.listing(owner, title="내 사다리")
    theirs = market.listing(other, title="이웃 자전거")
    q1 = services.ask_question(asker, mine.id, "사다리 높이는요?")
    q2 = services.ask_question(owner, theirs.id, "자전거 크기는요?")
    services.ask_question(asker, theirs.id, "저도 궁금해요")
    ids = db.session.execute(services.question_threads_stmt(owner)).scalars().all()
    assert {q.id for q in ids} == {q1.id, q2.id}


@pytest.mark.parametrize("how", ["hide", "delete"])
def test_a_hidden_or_deleted_listing_makes_its_threads_read_only(app, make, market, how):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "질문")
    if how == "hide":
        services.set_listing_hidden(make.centre(), listing.id, True)
    else:
        services.delete(owner, listing.id)
    _q, thread = services.read_question(asker, question.id)  # still readable
    assert len(thread) == 1
    for actor in (asker, owner):
        with pytest.raises(Conflict) as err:
            services.reply_question(actor, question.id, "더 쓰기")
        assert err.value.code == "thread_closed"
    with pytest.raises((Conflict, NotFound)):
        services.ask_question(asker, listing.id, "새 질문")


def test_a_paused_listing_takes_no_new_question(app, make, market):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    services.set_status(owner, listing.id, "paused")
    with pytest.raises(Conflict) as err:
        services.ask_question(asker, listing.id, "질문")
    assert err.value.code == "listing_unavailable"


def test_question_messages_are_reported_and_hidden_like_request_messages(app, make, market):
    owner, asker, stranger = make.user(), make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "광고입니다")
    message = db.session.execute(
        select(LoanMessage).where(LoanMessage.question_id == question.id)
    ).scalar_one()
    with pytest.raises(Forbidden):
        services.report_message(stranger, message.id, "spam")
    report = services.report_message(owner, message.id, "spam")
    assert (report.target_type, report.target_id) == ("message", message.id)
    with app.test_request_context():
        described = services.describe_target("message", message.id)
    assert described["url"] == f"/market/questions/{question.id}"
    services.set_message_hidden(make.centre(), message.id, True)
    _q, thread = services.read_question(owner, question.id)
    assert thread[0].hidden


def test_the_thread_stays_after_a_request_and_is_found_for_the_loan(app, make, market):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "빌려도 될까요?")
    loan = market.request(listing, asker)
    found = services.question_of_listing(loan.listing_id, loan.borrower_id)
    assert found is not None and found.id == question.id
    assert services.messages(asker, loan.id) == []  # the request's own thread stays apart
