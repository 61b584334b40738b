"""The call's and the declaration's tables: consistent, every state reachable, refusals in order
(state, role, then guards) with the reason in either language."""

import datetime as dt

from ronghe.core.lifecycle import refusal
from ronghe.core.messages import use_locale
from ronghe.core.programs.lifecycle import CALL, DECLARATION, MACHINES, CallFacts, DeclarationFacts
from ronghe.core.providers.lifecycle import REQUEST, RequestFacts

DAY = dt.date(2026, 5, 10)


def test_every_state_is_reachable():
    for machine in [*MACHINES.values(), REQUEST]:
        reached, frontier = {machine.initial}, [machine.initial]
        while frontier:
            for t in machine.leaving(frontier.pop()):
                if t.target not in reached:
                    reached.add(t.target)
                    frontier.append(t.target)
        assert reached == set(machine.states), machine.name


def test_it_refuses_a_call_step_by_state_then_role_then_guard():
    facts = CallFacts(today=DAY, declare_from=DAY, declare_until=DAY + dt.timedelta(days=30),
                      recommend_until=DAY + dt.timedelta(days=45))
    assert refusal(CALL, "open", "publish", {"owner"}, facts).code == "programs.transition.state"
    assert refusal(CALL, "draft", "publish", {"enterprise"}, facts).code == "programs.transition.role"
    assert refusal(CALL, "draft", "publish", {"owner"}, facts) is None
    late = CallFacts(today=DAY, declare_from=DAY - dt.timedelta(days=9), declare_until=DAY - dt.timedelta(days=1),
                     recommend_until=DAY)
    with use_locale("zh-Hans"):
        assert refusal(CALL, "draft", "publish", {"owner"}, late).message == "申报截止日期 2026-05-09 已过"
    assert refusal(CALL, "open", "close", {"owner"}, facts).code == "programs.window.running"
    assert refusal(CALL, "open", "close", {"owner"}, late) is None
    review = CallFacts(today=DAY, pending=2, accepted=3, panel=5)
    assert refusal(CALL, "recommending", "start_review", {"owner"}, review).code == "programs.pending"
    short = CallFacts(today=DAY, accepted=3, panel=5, short=1)
    with use_locale("en"):
        assert "1 declarations have too few experts" in refusal(CALL, "recommending", "start_review", {"owner"},
                                                                short).message
    assert refusal(CALL, "recommending", "start_review", {"owner"}, CallFacts(today=DAY, accepted=3, panel=5)) is None
    assert refusal(CALL, "reviewing", "shortlist", {"owner"}, CallFacts(today=DAY, sheets_missing=4)).code == \
        "programs.sheets.missing"
    notice = CallFacts(today=DAY, notice_start=DAY - dt.timedelta(days=7), notice_end=DAY)
    assert refusal(CALL, "in_notice", "publish_list", {"owner"}, notice).code == "programs.notice.running"
    over = CallFacts(today=DAY + dt.timedelta(days=1), notice_end=DAY)
    assert refusal(CALL, "in_notice", "publish_list", {"owner"}, over) is None


def test_it_refuses_a_declaration_step_with_the_reason():
    open_call = DeclarationFacts(today=DAY, declare_from=DAY, declare_until=DAY + dt.timedelta(days=5),
                                 recommend_until=DAY + dt.timedelta(days=10))
    assert refusal(DECLARATION, "draft", "submit", {"enterprise"}, open_call) is None
    failing = DeclarationFacts(today=DAY, failing=("A", "B"), missing=("申报书",))
    with use_locale("zh-Hans"):
        assert refusal(DECLARATION, "draft", "submit", {"enterprise"}, failing).message == "不符合申报条件：A；B"
    assert refusal(DECLARATION, "draft", "submit", {"enterprise"},
                   DeclarationFacts(today=DAY, missing=("申报书",))).code == "programs.materials.missing"
    assert refusal(DECLARATION, "draft", "submit", {"enterprise"},
                   DeclarationFacts(today=DAY, call_state="recommending")).code == "programs.call.closed"
    assert refusal(DECLARATION, "draft", "submit", {"enterprise"},
                   DeclarationFacts(today=DAY, declare_until=DAY - dt.timedelta(days=1))).code == "programs.call.over"
    full = DeclarationFacts(today=DAY, quota=2, recommended=2)
    assert refusal(DECLARATION, "submitted", "recommend", {"handler"}, full).code == "programs.quota.full"
    assert refusal(DECLARATION, "submitted", "recommend", {"handler"}, DeclarationFacts(today=DAY, quota=2,
                                                                                         recommended=1)) is None
    assert refusal(DECLARATION, "submitted", "recommend", {"handler"},
                   DeclarationFacts(today=DAY, at_owner=True)).code == "programs.recommend.at_owner"
    assert refusal(DECLARATION, "recommended", "accept", {"owner"},
                   DeclarationFacts(today=DAY, call_state="recommending")).code == "programs.accept.not_at_owner"
    assert refusal(DECLARATION, "recommended", "accept", {"owner", "handler"},
                   DeclarationFacts(today=DAY, call_state="recommending", at_owner=True)) is None
    assert refusal(DECLARATION, "shortlisted", "unlist", {"owner"},
                   DeclarationFacts(today=DAY, call_state="in_notice")).code == "programs.reason.missing"


def test_it_refuses_a_service_request_step_with_the_reason():
    assert refusal(REQUEST, "sent", "answer", {"enterprise"}, RequestFacts(answer="x")).code == \
        "providers.transition.role"
    assert refusal(REQUEST, "sent", "answer", {"provider"}, RequestFacts()).code == "providers.answer.missing"
    assert refusal(REQUEST, "completed", "rate", {"enterprise"}, RequestFacts(rating=6)).code == \
        "providers.rating.missing"
    assert refusal(REQUEST, "completed", "rate", {"enterprise"}, RequestFacts(rating=5)) is None
    assert refusal(REQUEST, "engaged", "complete", {"provider"}, RequestFacts()) is None
