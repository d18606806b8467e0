"""Submitting, deciding and waiting, against the real server."""

from __future__ import annotations

import threading
import uuid

import pytest

from conftest import Server
from handoff import (
    CaseEscalatedError,
    CaseStatus,
    CaseTakenOverError,
    HandoffClient,
    HandoffProblemError,
    HandoffTimeoutError,
    PolicyOutcome,
    Proposal,
    ToolCall,
    Verdict,
    proposal_digest,
)
from standins import Proxy

REFUND = Proposal("I have issued a full refund of 1450 EUR.", ToolCall("issue_refund", {"orderId": "B-11872", "amount": 1450}), 0.5)


def submit(agent: HandoffClient, proposal: Proposal = REFUND, **fields: object) -> object:
    return agent.submit_case("action", summary="Refund a damaged kettle", proposal=proposal, **fields)  # type: ignore[arg-type]


def test_wait_for_decision_after_a_reviewer_approves_returns_the_proposal(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = agent.submit_case("action", summary="Refund", facts={"amount": 1450}, proposal=REFUND)
    assert (submitted.case.status, submitted.case.outcome, submitted.replayed) == (CaseStatus.PENDING, PolicyOutcome.REVIEW, False)
    assert submitted.handling is not None

    reviewer.claim(submitted.id)
    reviewer.decide(submitted.id, Verdict.APPROVE, note="fine")
    decided = agent.wait_for_decision(submitted)

    assert decided.is_approved
    assert decided.decision.verdict == Verdict.APPROVE
    assert decided.decision.result == REFUND
    assert decided.decision.proposal_digest == decided.decision.result_digest == proposal_digest(REFUND)
    assert decided.decision.decided_by is not None and decided.decision.decided_by.kind == "reviewer"
    assert decided.decision.note == "fine"


def test_wait_for_decision_after_an_edit_returns_the_edited_arguments(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = submit(agent)
    reviewer.decide(submitted.id, "edit", text="I have issued a refund of 900 EUR.", arguments={"orderId": "B-11872", "amount": 900})

    decided = agent.wait_for_decision(submitted)

    assert decided.is_approved and decided.decision.verdict == Verdict.EDIT
    assert decided.action == ToolCall("issue_refund", {"orderId": "B-11872", "amount": 900})
    assert {c.field: (c.from_, c.to) for c in decided.decision.changes}["arguments.amount"] == (1450, 900)
    assert decided.decision.result_digest == proposal_digest(decided.decision.result)


def test_wait_for_decision_after_a_choice_returns_the_chosen_option(agent: HandoffClient, reviewer: HandoffClient) -> None:
    replacement = Proposal("We will send a replacement.", ToolCall("ship_replacement", {"orderId": "B-11872"}), 0.7)
    submitted = submit(agent, options=[replacement])
    reviewer.decide(submitted.id, "choose", option=0)

    decided = agent.wait_for_decision(submitted)

    assert (decided.is_approved, decided.decision.option, decided.decision.result) == (True, 0, replacement)


def test_wait_for_decision_after_a_rejection_returns_the_reason_and_no_result(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = submit(agent)
    reviewer.decide(submitted.id, "reject", text="Outside the return window.")

    decided = agent.wait_for_decision(submitted)

    assert (decided.status, decided.is_approved, decided.decision.text) == (CaseStatus.REJECTED, False, "Outside the return window.")
    assert decided.decision.result is None and decided.decision.result_digest is None


def test_wait_for_decision_after_a_response_returns_the_answer(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = agent.submit_case("question", summary="Do you open on Sunday?", proposal={"text": "No.", "confidence": 0.4})
    reviewer.decide(submitted.id, "respond", text="Yes, from 10 to 14.")

    decided = agent.wait_for_decision(submitted)

    assert (decided.status, decided.decision.text, decided.decision.result) == (CaseStatus.RESPONDED, "Yes, from 10 to 14.", Proposal(text="Yes, from 10 to 14."))


def test_wait_for_decision_on_a_case_the_policy_approved_answers_at_once(agent: HandoffClient) -> None:
    submitted = agent.submit_case("reply", summary="Opening hours", proposal=Proposal("We open at 9.", confidence=0.97))
    assert submitted.case.outcome == PolicyOutcome.AUTO and submitted.handling is None

    decided = agent.wait_for_decision(submitted)

    assert decided.is_approved and decided.decision.decided_by is not None and decided.decision.decided_by.kind == "policy"


def test_wait_for_decision_on_a_blocked_case_returns_the_block(agent: HandoffClient) -> None:
    submitted = agent.submit_case("reply", summary="Blocked", facts={"block": True}, proposal=Proposal("Sure.", confidence=0.99))

    decided = agent.wait_for_decision(submitted)

    assert (decided.status, decided.decision.verdict, decided.decision.text) == (CaseStatus.BLOCKED, Verdict.REJECT, "Blocked by policy.")


def test_wait_for_decision_by_case_id_checks_against_the_proposal_given(agent: HandoffClient, reviewer: HandoffClient, server: Server) -> None:
    submitted = submit(agent)
    reviewer.decide(submitted.id, "approve")
    another_process = HandoffClient(server.url, server.agent_key)

    decided = another_process.wait_for_decision(submitted.id, REFUND.to_json())

    assert decided.case_id == submitted.id and decided.is_approved


def test_wait_for_decision_renews_a_long_poll_that_ran_out(server: Server, reviewer: HandoffClient) -> None:
    with Proxy(server.url) as proxy:
        agent = HandoffClient(proxy.url, server.agent_key, long_poll_wait=1)
        submitted = submit(agent)
        result: dict[str, object] = {}
        waiting = threading.Thread(target=lambda: result.update(decided=agent.wait_for_decision(submitted)))
        waiting.start()
        # Decide only once a long-poll has run out and been asked again: two requests for the decision.
        polls = lambda: sum(1 for r in proxy.requests if "/decision" in r.path)  # noqa: E731
        for _ in range(600):
            if polls() >= 2:
                break
            threading.Event().wait(0.05)
        reviewer.decide(submitted.id, "approve")
        waiting.join(60)

    assert polls() >= 2
    assert result["decided"].is_approved  # type: ignore[attr-defined]


def test_wait_for_decision_with_a_timeout_on_an_undecided_case_raises_timeout(server: Server) -> None:
    agent = HandoffClient(server.url, server.agent_key, long_poll_wait=1)
    submitted = submit(agent)

    with pytest.raises(HandoffTimeoutError):
        agent.wait_for_decision(submitted, timeout=1)


def test_wait_for_decision_on_a_case_that_expires_to_escalated_raises_escalated(agent: HandoffClient) -> None:
    submitted = submit(agent, expires_in=1, on_timeout="escalate")

    with pytest.raises(CaseEscalatedError) as raised:
        agent.wait_for_decision(submitted)

    assert raised.value.case_id == submitted.id
    assert agent.get_case(submitted.id).status == CaseStatus.ESCALATED


def test_wait_for_decision_keeping_on_when_escalated_returns_the_later_decision(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = submit(agent, expires_in=1, on_timeout="escalate")
    with pytest.raises(CaseEscalatedError):
        agent.wait_for_decision(submitted)
    reviewer.decide(submitted.id, "approve")

    decided = agent.wait_for_decision(submitted, keep_waiting_when_escalated=True)

    assert decided.is_approved


def test_wait_for_decision_on_a_case_that_expires_to_rejected_returns_the_timed_out_decision(agent: HandoffClient) -> None:
    submitted = submit(agent, expires_in=1, on_timeout="reject")

    decided = agent.wait_for_decision(submitted)

    assert (decided.status, decided.decision.timed_out, decided.decision.decided_by) == (CaseStatus.REJECTED, True, None)
    assert decided.decision.text == "Nobody decided before the case expired."


def test_wait_for_decision_on_a_taken_over_case_raises_taken_over_and_the_relay_works(agent: HandoffClient, reviewer: HandoffClient, server: Server) -> None:
    submitted = submit(agent)
    status, _ = server.call("POST", f"/v1/cases/{submitted.id}/takeover", server.reviewer_key)
    assert status == 200

    with pytest.raises(CaseTakenOverError) as raised:
        agent.wait_for_decision(submitted)
    assert raised.value.taken_by is not None and raised.value.taken_by.kind == "reviewer"

    posted = agent.post_customer_message(submitted.id, "Is anyone there?")
    server.call("POST", f"/v1/cases/{submitted.id}/messages", server.reviewer_key, {"role": "person", "text": "Rita here."})
    news = agent.wait_for_messages(submitted.id, after=posted.number)
    assert [(m.role, m.text) for m in news.messages] == [("person", "Rita here.")]
    with pytest.raises(HandoffProblemError) as refused:
        agent.post_agent_message(submitted.id, "I can help too.")
    assert refused.value.status == 409

    server.call("POST", f"/v1/cases/{submitted.id}/handback", server.reviewer_key, {"note": "Refund agreed."})
    decided = agent.wait_for_decision(submitted)
    assert decided.is_handed_back and decided.decision.text == "Refund agreed."
    assert decided.transcript is not None and [m.text for m in decided.transcript] == ["Is anyone there?", "Rita here."]


def test_submit_case_with_the_same_key_and_body_is_a_replay_of_the_same_case(agent: HandoffClient) -> None:
    key = f"refund-{uuid.uuid4().hex}"
    first = submit(agent, idempotency_key=key)
    again = submit(agent, idempotency_key=key)

    assert (first.replayed, again.replayed) == (False, True)
    assert again.id == first.id and again.idempotency_key == key


def test_submit_case_reusing_a_key_for_another_case_raises_422_naming_the_key(agent: HandoffClient) -> None:
    key = f"refund-{uuid.uuid4().hex}"
    submit(agent, idempotency_key=key)

    with pytest.raises(HandoffProblemError) as raised:
        agent.submit_case("action", summary="Another case", proposal=REFUND, idempotency_key=key)

    assert raised.value.status == 422 and "Idempotency-Key" in raised.value.errors


def test_submit_case_that_is_not_valid_raises_400_naming_each_field(agent: HandoffClient) -> None:
    with pytest.raises(HandoffProblemError) as raised:
        agent.submit_case("action", proposal={"confidence": 2})

    problem = raised.value
    assert problem.status == 400 and problem.title == "One or more validation errors occurred."
    assert {"proposal.confidence", "proposal"} <= set(problem.errors)
    assert "proposal.confidence: Must be between 0 and 1." in str(problem)


def test_a_call_with_an_unknown_key_raises_401_with_the_servers_detail(server: Server) -> None:
    with pytest.raises(HandoffProblemError) as raised:
        HandoffClient(server.url, "hk_unknown").get_case("cs_1")

    assert raised.value.status == 401 and raised.value.detail == "The API key is unknown or revoked."


def test_decide_on_a_closed_case_raises_409_with_the_case_status(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = submit(agent)
    reviewer.decide(submitted.id, "approve")

    with pytest.raises(HandoffProblemError) as raised:
        reviewer.decide(submitted.id, "reject", text="Too late.")

    assert raised.value.status == 409 and raised.value.extensions["caseStatus"] == "approved"


def test_get_case_of_another_id_raises_404(agent: HandoffClient) -> None:
    with pytest.raises(HandoffProblemError) as raised:
        agent.get_case("cs_nothing")

    assert raised.value.status == 404


def test_client_options_that_cannot_work_are_refused_when_the_client_is_made() -> None:
    for bad in ({"long_poll_wait": 0}, {"max_attempts": 0}, {"retry_max_delay": 0.1, "retry_base_delay": 1}):
        with pytest.raises(ValueError):
            HandoffClient("http://127.0.0.1:1", "hk_x", **bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        HandoffClient("127.0.0.1:5080", "hk_x")
    with pytest.raises(ValueError):
        HandoffClient("http://127.0.0.1:5080", "hk x")


def test_a_deadline_with_less_than_a_second_left_asks_for_a_whole_second_not_zero() -> None:
    from handoff._core import Deadline

    now = [100.0]
    deadline = Deadline(30.4, lambda: now[0])
    now[0] += 30.0   # 0.4 s left: a poll of 0 would come back at once, and the wait would spin until the deadline

    assert deadline.long_poll(60) == 1
    assert Deadline(None, lambda: 0.0).long_poll(60) == 60
