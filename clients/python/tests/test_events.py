"""Following events over SSE: a case's stream and the workspace's, resumed across connections a proxy cuts."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading

from conftest import Pauses, Server
from handoff import AsyncHandoffClient, CaseEvent, HandoffClient, Proposal, SubmittedCase, ToolCall
from standins import Proxy

PROPOSAL = Proposal("Refunded.", ToolCall("issue_refund", {"amount": 10}), 0.5)


def decided_case(agent: HandoffClient, reviewer: HandoffClient) -> SubmittedCase:
    """A closed case with four events: created, claimed, decided, executed."""
    submitted = agent.submit_case("action", summary="Refund", proposal=PROPOSAL)
    reviewer.claim(submitted.id)
    reviewer.decide(submitted.id, "approve")
    agent.report_executed(agent.wait_for_decision(submitted))
    return submitted


def test_stream_events_of_a_closed_case_gives_its_history_and_ends(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = decided_case(agent, reviewer)

    events = list(agent.stream_events(submitted.id))

    assert [e.action for e in events] == ["case.created", "case.claimed", "case.decided", "case.executed"]
    assert events[0].data["proposalDigest"] == submitted.proposal_digest
    assert events[1].actor is not None and events[1].actor.kind == "reviewer"
    assert all(a.sequence < b.sequence for a, b in zip(events, events[1:]))


def test_stream_events_after_the_last_event_of_a_closed_case_ends_at_once(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = decided_case(agent, reviewer)
    last = list(agent.stream_events(submitted.id))[-1]

    assert list(agent.stream_events(submitted.id, after_sequence=last.sequence)) == []
    assert [e.action for e in agent.stream_events(submitted.id, after_sequence=last.sequence - 2)] == ["case.decided", "case.executed"]


def test_stream_events_cut_mid_stream_resumes_after_the_last_event_without_losing_or_repeating_one(server: Server, reviewer: HandoffClient, pauses: Pauses) -> None:
    # Each of the first three connections carries one event, then breaks in the middle of its chunked body.
    with Proxy(server.url, cut=lambda n: 1 if n <= 3 else None, framing="chunked") as proxy:
        agent = HandoffClient(proxy.url, server.agent_key, sleep=pauses)
        submitted = decided_case(agent, reviewer)

        events = list(agent.stream_events(submitted.id))

    assert [e.action for e in events] == ["case.created", "case.claimed", "case.decided", "case.executed"]
    streams = [r for r in proxy.requests if r.path.endswith("/events")]
    assert [r.headers.get("last-event-id") for r in streams] == [None] + [str(e.sequence) for e in events[:3]]
    assert proxy.cuts == 3 and len(pauses.asked) == 3


def test_stream_events_ended_early_while_the_case_is_open_reconnects_and_follows_to_the_decision(server: Server, reviewer: HandoffClient) -> None:
    submitted_ids: list[str] = []

    def decide_while_reconnecting(_: float) -> None:
        # The pause before the reconnect: the person decides while the agent is not connected.
        reviewer.decide(submitted_ids[0], "reject", text="No.")

    # The first connection ends cleanly after one event, though the case is still open.
    with Proxy(server.url, cut=lambda n: 1 if n == 1 else None, framing="eof") as proxy:
        agent = HandoffClient(proxy.url, server.agent_key, sleep=decide_while_reconnecting)
        submitted = agent.submit_case("action", summary="Refund", proposal=PROPOSAL)
        submitted_ids.append(submitted.id)

        events = list(agent.stream_events(submitted.id))

    assert [e.action for e in events] == ["case.created", "case.decided"]
    assert events[1].data["verdict"] == "reject"
    streams = [r for r in proxy.requests if r.path.endswith("/events")]
    assert [r.headers.get("last-event-id") for r in streams] == [None, str(events[0].sequence)]


def test_stream_events_is_not_stopped_by_an_escalation(agent: HandoffClient, reviewer: HandoffClient) -> None:
    submitted = agent.submit_case("action", summary="Refund", proposal=PROPOSAL, expires_in=1, on_timeout="escalate")

    actions = []
    for event in agent.stream_events(submitted.id):
        actions.append(event.action)
        if event.action == CaseEvent.EXPIRED:
            assert not event.closes_case
            reviewer.decide(submitted.id, "approve")

    assert actions == ["case.created", "case.expired", "case.decided"]


def test_stream_all_events_resumes_across_cuts_and_names_each_case(server: Server, reviewer: HandoffClient, pauses: Pauses) -> None:
    direct = HandoffClient(server.url, server.agent_key)
    first, second = decided_case(direct, reviewer), decided_case(direct, reviewer)
    ours = {first.id, second.id}

    with Proxy(server.url, cut=lambda n: 7, framing="chunked") as proxy:
        agent = HandoffClient(proxy.url, server.agent_key, sleep=pauses)
        events: list[CaseEvent] = []
        stream = agent.stream_all_events(after_sequence=0)
        with contextlib.closing(stream):
            for event in stream:
                events.append(event)
                if event.case_id == second.id and event.action == "case.executed":
                    break

    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences))  # nothing lost in order, nothing repeated
    mine = [(e.case_id, e.action) for e in events if e.case_id in ours]
    assert mine == [(c, a) for c in (first.id, second.id) for a in ("case.created", "case.claimed", "case.decided", "case.executed")]
    assert proxy.cuts >= 1
    resumed = [r.headers.get("last-event-id") for r in proxy.requests if "/v1/events" in r.path][1:]
    assert resumed and all(h is not None and h.isdigit() for h in resumed)


def test_async_stream_all_events_from_now_resumes_from_the_position_the_server_named(server: Server, reviewer: HandoffClient) -> None:
    async def run() -> None:
        submitted_and_decided = asyncio.Event()

        async def pause(_: float) -> None:
            await submitted_and_decided.wait()  # reconnect only once the case was made and decided meanwhile

        # The first connection carries only the position the server names on connecting, then is cut.
        with Proxy(server.url, cut=lambda n: 1 if n == 1 else None) as proxy:
            agent = AsyncHandoffClient(proxy.url, server.agent_key, sleep=pause)
            seen: list[CaseEvent] = []
            case_ids: list[str] = []

            async def follow() -> None:
                async with contextlib.aclosing(agent.stream_all_events()) as stream:
                    async for event in stream:
                        seen.append(event)
                        if case_ids and event.case_id == case_ids[0] and event.action == "case.decided":
                            return

            following = asyncio.create_task(follow())
            await asyncio.to_thread(proxy.cut_done.wait, 60)
            direct = AsyncHandoffClient(server.url, server.agent_key)
            submitted = await direct.submit_case("action", summary="Refund", proposal=PROPOSAL)
            case_ids.append(submitted.id)
            reviewer.decide(submitted.id, "approve")
            submitted_and_decided.set()
            await asyncio.wait_for(following, 60)

        assert [(e.case_id, e.action) for e in seen] == [(submitted.id, "case.created"), (submitted.id, "case.decided")]
        streams = [r for r in proxy.requests if "/v1/events" in r.path]
        assert len(streams) == 2 and streams[0].headers.get("last-event-id") is None
        position = streams[1].headers.get("last-event-id")
        assert position is not None and int(position) < seen[0].sequence

    asyncio.run(run())


def test_async_stream_events_cut_mid_stream_resumes_without_losing_or_repeating(server: Server, reviewer: HandoffClient, pauses: Pauses) -> None:
    async def run() -> None:
        with Proxy(server.url, cut=lambda n: 2 if n <= 2 else None, framing="chunked") as proxy:
            submitted = decided_case(HandoffClient(proxy.url, server.agent_key), reviewer)
            agent = AsyncHandoffClient(proxy.url, server.agent_key, sleep=pauses.aio)
            events = [e async for e in agent.stream_events(submitted.id)]

        assert [e.action for e in events] == ["case.created", "case.claimed", "case.decided", "case.executed"]
        assert proxy.cuts == 2 and len(pauses.asked) == 2

    asyncio.run(run())


def test_async_wait_for_decision_is_cancelled_at_once(server: Server) -> None:
    # A stand-in that takes the long-poll and never answers, and tells when the client closes the connection.
    listener = socket.create_server(("127.0.0.1", 0))
    asked, closed = threading.Event(), threading.Event()

    def hold() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)  # the request; no answer ever comes
            asked.set()
            while connection.recv(65536):
                pass
            closed.set()  # the client hung up

    threading.Thread(target=hold, daemon=True).start()

    async def run() -> None:
        agent = AsyncHandoffClient(server.url, server.agent_key)
        submitted = await agent.submit_case("action", summary="Refund", proposal=PROPOSAL)
        host, port = listener.getsockname()
        silent = AsyncHandoffClient(f"http://{host}:{port}", server.agent_key, long_poll_wait=120)
        waiting = asyncio.create_task(silent.wait_for_decision(submitted))
        assert await asyncio.to_thread(asked.wait, 30), "the wait never asked"
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        # Checked while the loop (and the client) still live: cancelling closed the connection, not the loop's end.
        # 30 s is a bound against a hang, not a timing; the long-poll asked for 120.
        assert await asyncio.to_thread(closed.wait, 30), "cancelling the wait left its connection open"
        assert waiting.cancelled()

    try:
        asyncio.run(run())
    finally:
        listener.close()
