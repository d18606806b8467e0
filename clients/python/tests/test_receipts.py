"""Execution receipts: executed with the digest of what ran, failed with a reason, once per case."""

from __future__ import annotations

import asyncio

import pytest

from conftest import Server
from handoff import (
    AsyncHandoffClient,
    CaseDecision,
    ExecutionOutcome,
    HandoffClient,
    HandoffProblemError,
    Proposal,
    ToolCall,
)
from standins import Proxy

REFUND = Proposal("Refunded.", ToolCall("issue_refund", {"orderId": "B-1", "amount": 1450}), 0.5)


def approved(agent: HandoffClient, reviewer: HandoffClient, **edit: object) -> CaseDecision:
    submitted = agent.submit_case("action", summary="Refund", proposal=REFUND)
    if edit:
        reviewer.decide(submitted.id, "edit", **edit)  # type: ignore[arg-type]
    else:
        reviewer.decide(submitted.id, "approve")
    return agent.wait_for_decision(submitted)


def test_report_executed_records_the_digest_of_the_approved_result(agent: HandoffClient, reviewer: HandoffClient) -> None:
    decided = approved(agent, reviewer, arguments={"orderId": "B-1", "amount": 900})
    assert agent.get_case(decided.case_id).awaiting_execution_seconds is not None

    case = agent.report_executed(decided)

    assert case.receipt is not None
    assert (case.receipt.outcome, case.receipt.result_digest, case.receipt.mismatch) == (ExecutionOutcome.EXECUTED, decided.decision.result_digest, False)
    assert case.awaiting_execution_seconds is None
    assert [e.action for e in agent.stream_events(decided.case_id)][-1] == "case.executed"


def test_report_executed_with_what_else_ran_shows_the_mismatch_on_the_case(agent: HandoffClient, reviewer: HandoffClient) -> None:
    decided = approved(agent, reviewer)

    agent.report_executed(decided, executed=Proposal("Refunded.", ToolCall("issue_refund", {"orderId": "B-1", "amount": 14500}), 0.5))

    receipt = reviewer.get_case(decided.case_id).receipt
    assert receipt is not None and receipt.mismatch
    executed = [e for e in agent.stream_events(decided.case_id) if e.action == "case.executed"]
    assert executed[0].data["mismatch"] is True and executed[0].data["approvedDigest"] == decided.decision.result_digest


def test_report_failed_records_the_reason(agent: HandoffClient, reviewer: HandoffClient) -> None:
    decided = approved(agent, reviewer)

    case = agent.report_failed(decided.case_id, "The payment provider refused: card expired.")

    assert case.receipt is not None
    assert (case.receipt.outcome, case.receipt.reason, case.receipt.result_digest) == (ExecutionOutcome.FAILED, "The payment provider refused: card expired.", None)
    assert [e.action for e in agent.stream_events(decided.case_id)][-1] == "case.executionFailed"


def test_a_receipt_sent_again_alike_counts_as_success_but_another_one_is_refused_with_409(agent: HandoffClient, reviewer: HandoffClient) -> None:
    decided = approved(agent, reviewer)
    first = agent.report_executed(decided)

    again = agent.report_executed(decided)
    with pytest.raises(HandoffProblemError) as other:
        agent.report_failed(decided.case_id, "It did not work after all.")

    assert again.receipt == first.receipt
    assert other.value.status == 409 and "already has its receipt" in (other.value.detail or "")


def test_a_failed_receipt_sent_again_with_another_reason_is_refused_with_409(agent: HandoffClient, reviewer: HandoffClient) -> None:
    decided = approved(agent, reviewer)
    agent.report_failed(decided.case_id, "  Card expired.  ")

    assert agent.report_failed(decided.case_id, "Card expired.").receipt is not None  # the server trims, and so does the check
    with pytest.raises(HandoffProblemError) as raised:
        agent.report_failed(decided.case_id, "Card stolen.")
    assert raised.value.status == 409


def test_a_receipt_whose_answer_was_lost_is_retried_and_meets_itself(server: Server, reviewer: HandoffClient, pauses: object) -> None:
    first_receipt = [True]

    def lose_first_answer(method: str, path: str) -> bool:
        if method == "POST" and path.endswith("/receipt") and first_receipt[0]:
            first_receipt[0] = False
            return True
        return False

    with Proxy(server.url, drop=lose_first_answer) as proxy:
        agent = HandoffClient(proxy.url, server.agent_key, sleep=pauses)  # type: ignore[arg-type]
        decided = approved(agent, reviewer)

        case = agent.report_executed(decided)

    assert case.receipt is not None and case.receipt.result_digest == decided.decision.result_digest
    assert sum(1 for r in proxy.requests if r.path.endswith("/receipt")) == 2  # recorded by the first, 409 to the second


def test_a_receipt_for_a_case_that_is_not_approved_is_refused_with_409(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = agent.submit_case("action", summary="Refund", proposal=REFUND)
    reviewer.decide(submitted.id, "reject", text="No.")
    decided = agent.wait_for_decision(submitted)

    with pytest.raises(HandoffProblemError) as raised:
        agent.report_executed(decided)

    assert raised.value.status == 409 and raised.value.extensions["caseStatus"] == "rejected"


def test_async_report_executed_and_failed(server: Server, agent: HandoffClient, reviewer: HandoffClient) -> None:
    async def run() -> None:
        client = AsyncHandoffClient(server.url, server.agent_key)
        executed, failed = approved(agent, reviewer), approved(agent, reviewer)

        done = await client.report_executed(executed)
        again = await client.report_executed(executed)
        refused = await client.report_failed(failed.case_id, "Card expired.")

        assert done.receipt is not None and done.receipt == again.receipt and not done.receipt.mismatch
        assert refused.receipt is not None and refused.receipt.outcome == ExecutionOutcome.FAILED
        assert [e.action for e in agent.stream_events(failed.case_id)][-1] == "case.executionFailed"

    asyncio.run(run())
