"""The blocking client."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any

from . import _core
from ._core import Deadline, Reply, Settings, case_path, dumps, log
from ._sse import SseParser
from ._sync_http import NETWORK_ERRORS, Stream, SyncTransport
from .digest import proposal_digest
from .errors import HandoffError, HandoffProblemError
from .models import (
    Case,
    CaseDecision,
    CaseEvent,
    CaseKind,
    CaseMessage,
    CaseMessages,
    ExecutionOutcome,
    Message,
    Proposal,
    SubmittedCase,
    TimeoutEffect,
    Verdict,
)

__all__ = ["HandoffClient"]

_END_EVENT = "end"  # after a closed case's last entry; its data is the final status, and it has no id


class HandoffClient:
    """Talks to a Handoff server for an agent (and, with a reviewer key, decides): submit a case, get it, wait for the
    person's decision, follow its events, send the execution receipt.

    Thread safe, and it keeps no state between calls besides its settings (each request has its own connection), so
    one instance may serve a whole agent. Retries: a single call (submit, get, receipt, claim) tries up to
    ``max_attempts`` times on a passing failure (a connection refused, reset or timed out; 408, 429, 502, 503, 504),
    pausing with exponential backoff and jitter and honouring ``Retry-After``; waiting for a decision and following
    events retry for as long as it takes (bound them with ``timeout`` or by leaving the loop).

    :param base_url: the server, such as ``http://127.0.0.1:5080``; a path is kept (``https://host/handoff/``).
    :param api_key: sent as ``Authorization: Bearer``; submitting needs an agent key, deciding a reviewer key.
    :param long_poll_wait: seconds one long-poll asks the server to wait (1-300); renewed until the case is decided.
    :param request_timeout: seconds one request may take (each blocking step of it); a long-poll gets this on top of
        its wait.
    :param retry_base_delay: the first pause before a retry, in seconds; doubles each time, less a random part of up
        to half.
    :param retry_max_delay: the longest pause; a server's ``Retry-After`` is capped to it too.
    :param max_attempts: tries for a single call.
    :param stream_idle_timeout: seconds an event stream may stay silent before it counts as dropped and is resumed
        (the server sends a keep-alive after 15 quiet seconds).
    :param ssl_context: for ``https``; the default verifies the server's certificate.
    :param sleep: how the client pauses between tries (``time.sleep``); tests pass their own.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        long_poll_wait: float = 60,
        request_timeout: float = 30,
        retry_base_delay: float = 1,
        retry_max_delay: float = 30,
        max_attempts: int = 5,
        stream_idle_timeout: float = 60,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], None] | None = None,
        random: Callable[[], float] | None = None,
    ) -> None:
        self._settings = Settings.make(
            base_url,
            api_key,
            long_poll_wait=long_poll_wait,
            request_timeout=request_timeout,
            retry_base_delay=retry_base_delay,
            retry_max_delay=retry_max_delay,
            max_attempts=max_attempts,
            stream_idle_timeout=stream_idle_timeout,
            ssl_context=ssl_context,
            random_source=random,
        )
        self._http = SyncTransport(self._settings)
        self._sleep = sleep or time.sleep

    # -- cases -------------------------------------------------------------------------------------------------

    def submit_case(
        self,
        kind: CaseKind | str,
        *,
        summary: str | None = None,
        channel: str | None = None,
        subject: Mapping[str, Any] | None = None,
        facts: Mapping[str, Any] | None = None,
        conversation: Sequence[Message | Mapping[str, Any]] | None = None,
        proposal: Proposal | Mapping[str, Any] | None = None,
        options: Sequence[Proposal | Mapping[str, Any]] | None = None,
        expires_in: float | timedelta | None = None,
        on_timeout: TimeoutEffect | str | None = None,
        callback_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> SubmittedCase:
        """Submits a case (``POST /v1/cases``). It carries an ``Idempotency-Key``, yours or one made for this call,
        so a try that failed in flight is repeated without ever creating a second case; pass your own, derived from
        something stable (``f"refund-{order_id}"``), to make a submission your own code repeats just as safe.

        :returns: the stored case, with the digest of the proposal computed here for checking its decision later;
            ``replayed`` when the server had this case already.
        :raises HandoffProblemError: 400 naming each bad field in ``errors``, 401/403 for the key, 422 for an
            Idempotency-Key used before with another case; or the last try's 5xx once the tries ran out.
        :raises HandoffConnectionError: the server could not be reached in any of the tries
            (:class:`HandoffTimeoutError` when the last one timed out).
        """
        submitted = Proposal.of(proposal) if proposal is not None else None
        key = idempotency_key if idempotency_key is not None else _core.new_idempotency_key()
        body = _core.submit_body(kind, summary, channel, subject, facts, conversation, submitted, options, expires_in, on_timeout, callback_url)
        reply = self._send("POST", "v1/cases", dumps(body), key)
        if reply.status not in (200, 201):
            raise _core.problem(reply)
        return SubmittedCase(Case.from_json(reply.json()), key, reply.replayed or reply.status == 200, proposal_digest(submitted))

    def get_case(self, case_id: str) -> Case:
        """The case as it stands. Its ``decision`` is not checked: act only on what ``wait_for_decision`` returns.

        :raises HandoffProblemError: 404 when the case is not in the key's workspace; 401/403 for the key.
        """
        reply = self._send("GET", case_path(case_id))
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    def wait_for_decision(
        self,
        submitted: SubmittedCase | str,
        proposal: Proposal | Mapping[str, Any] | None = None,
        *,
        keep_waiting_when_escalated: bool = False,
        keep_waiting_when_taken_over: bool = False,
        timeout: float | None = None,
    ) -> CaseDecision:
        """Waits until the case is decided and returns the decision once it is proved to be about the proposal that
        was submitted. Pass the :class:`SubmittedCase`, or a case id and the proposal exactly as it was submitted
        (None if there was none), for a case another process submitted.

        A long-poll that runs out is renewed; a dropped connection, a timeout, a restarting server or a
        502/503/504 is retried with backoff, for as long as it takes, or until ``timeout`` seconds have passed
        (:class:`HandoffTimeoutError`). A case that expires returns the decision its ``onTimeout`` made
        (``decision.timed_out``).

        :raises ProposalDigestMismatchError: the decision is not about what was proposed. Act on nothing.
        :raises CaseEscalatedError: the case escalated: nobody decided, a person will follow up.
        :raises CaseTakenOverError: a person took the conversation over: relay it.
        :raises HandoffProblemError: 404 when the case is not in the key's workspace; 401/403 for the key.
        """
        case_id, expected = _core.expected_digest(submitted, proposal)
        deadline = Deadline(timeout, time.monotonic)
        while True:
            wait = deadline.long_poll(self._settings.long_poll_wait)
            reply = self._send(
                "GET",
                f"{case_path(case_id)}/decision?wait={wait}",
                timeout=wait + self._settings.request_timeout,
                max_attempts=None,
                deadline=deadline,
            )
            if reply.status == 200:
                return _core.verified(case_id, expected, reply)
            if reply.status != 202:
                raise _core.problem(reply)
            _core.standing(case_id, reply, keep_waiting_when_escalated, keep_waiting_when_taken_over)
            deadline.check(f"No decision on case {case_id}")

    # -- receipts ----------------------------------------------------------------------------------------------

    def report_executed(self, decided: CaseDecision, executed: Proposal | Mapping[str, Any] | None = None) -> Case:
        """Tells Handoff the approved result was carried out (``POST /v1/cases/{id}/receipt``), with the digest of
        what ran: ``executed``, or the approved ``decision.result`` when None. Once per case, after it went through;
        a retry that meets its own receipt counts as success. What ran not being what was approved is recorded as a
        mismatch (``receipt.mismatch``) and the workspace's admins are told.

        :raises HandoffProblemError: 409 when the case is not approved or already has another receipt.
        """
        ran = executed if executed is not None else decided.decision.raw.get("result")
        return self._report(decided.case_id, ExecutionOutcome.EXECUTED, proposal_digest(ran), None)

    def report_failed(self, case_id: str, reason: str) -> Case:
        """Tells Handoff the approved result could not be carried out, and why: the case then shows as failed instead
        of waiting for its execution. Once per case.

        :raises HandoffProblemError: 409 when the case is not approved or already has another receipt; 400 for an
            empty reason (or one over 2,000 characters).
        """
        if not reason or reason.isspace():
            raise ValueError("reason is required: say why it could not be carried out.")
        return self._report(case_id, ExecutionOutcome.FAILED, None, reason)

    def _report(self, case_id: str, outcome: ExecutionOutcome, digest: str | None, reason: str | None) -> Case:
        body = {"outcome": str(outcome)} | ({"resultDigest": digest} if digest else {}) | ({"reason": reason} if reason else {})
        reply = self._send("POST", case_path(case_id) + "/receipt", dumps(body))
        if reply.status == 200:
            return Case.from_json(reply.json())
        if reply.status == 409:
            current = self.get_case(case_id)
            if _core.own_receipt(current.raw, str(outcome), digest, reason):
                return current
        raise _core.problem(reply)

    # -- reviewing ---------------------------------------------------------------------------------------------

    def decide(
        self,
        case_id: str,
        verdict: Verdict | str,
        *,
        text: str | None = None,
        arguments: Mapping[str, Any] | None = None,
        option: int | None = None,
        note: str | None = None,
    ) -> Case:
        """Decides a case (``POST /v1/cases/{id}/decision``; a reviewer or admin key): ``approve``; ``edit`` with the
        changed ``text`` and/or tool ``arguments``; ``choose`` an ``option`` by its 0-based index; ``reject`` with
        the reason as ``text``; ``respond`` with the answer as ``text``. ``note`` is kept with the decision.

        Sent once, not retried: a try whose answer was lost may have decided the case, and a second answers 409.

        :raises HandoffProblemError: 400 naming the field; 409 when the case is closed or held by someone else.
        """
        body = _core.decision_body(verdict, text, arguments, option, note)
        reply = self._send("POST", case_path(case_id) + "/decision", dumps(body), max_attempts=1)
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    def claim(self, case_id: str) -> Case:
        """Takes an open case (a reviewer key): only its holder may then decide or release it. Claiming a case you
        hold already changes nothing, so this is retried like a read.

        :raises HandoffProblemError: 409 when the case is closed or someone else holds it.
        """
        reply = self._send("POST", case_path(case_id) + "/claim", b"")
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    def release(self, case_id: str) -> Case:
        """Puts a case you hold back in the queue. Sent once.

        :raises HandoffProblemError: 409 when you do not hold it.
        """
        reply = self._send("POST", case_path(case_id) + "/release", b"", max_attempts=1)
        if reply.status != 200:
            raise _core.problem(reply)
        return Case.from_json(reply.json())

    # -- takeover ----------------------------------------------------------------------------------------------

    def post_customer_message(self, case_id: str, text: str) -> CaseMessage:
        """Adds what the customer said to the case's transcript, whoever owns the case. Sent once, never retried (a
        message is not idempotent): after a failure, ``wait_for_messages`` shows whether it arrived."""
        return self._post_message(case_id, "customer", text)

    def post_agent_message(self, case_id: str, text: str) -> CaseMessage:
        """Adds the agent's own reply to the transcript; refused with 409 while a person owns the conversation."""
        return self._post_message(case_id, "agent", text)

    def wait_for_messages(self, case_id: str, after: int = 0) -> CaseMessages:
        """One long-poll for messages numbered above ``after``: answers as soon as there is one, when the case changes
        status or closes, or with none when the wait runs out (then call it again)."""
        if after < 0:
            raise ValueError("after must not be negative.")
        wait = self._settings.long_poll_wait
        path = f"{case_path(case_id)}/messages?after={after}&wait={wait}"
        reply = self._send("GET", path, timeout=wait + self._settings.request_timeout, max_attempts=None)
        if reply.status != 200:
            raise _core.problem(reply)
        return CaseMessages.from_json(reply.json())

    def _post_message(self, case_id: str, role: str, text: str) -> CaseMessage:
        reply = self._send("POST", case_path(case_id) + "/messages", dumps({"role": role, "text": text}), max_attempts=1)
        if reply.status != 201:
            raise _core.problem(reply)
        return CaseMessage.from_json(reply.json())

    # -- events ------------------------------------------------------------------------------------------------

    def stream_events(self, case_id: str, after_sequence: int | None = None) -> Iterator[CaseEvent]:
        """Follows a case's events (``GET /v1/cases/{id}/events``): first its history, then each new entry as it
        happens, ending once the case is closed (the server's ``end`` event, or 204 when everything was delivered
        before). A dropped connection or a restarting server is reconnected with backoff, resuming after the last
        event received (``Last-Event-ID``): no event is lost or repeated. An escalated or taken-over case is still
        open, so its stream goes on. Leave the loop (or ``close()`` the iterator) to stop following.

        :raises HandoffProblemError: 404 when the case is not in the key's workspace; 401/403 for the key.
        """
        path = case_path(case_id) + "/events"
        last = after_sequence
        failures = 0
        while True:
            stream = self._open_events(path, last)
            if stream is None:
                return
            broken = ended = False
            try:
                parser = SseParser()
                for chunk in stream.chunks():
                    for item in parser.feed(chunk):
                        if item.event == _END_EVENT:
                            ended = True
                            break
                        event = CaseEvent.from_json(json.loads(item.data))
                        last, failures = event.sequence, 0
                        yield event
                    if ended:
                        break
            except NETWORK_ERRORS:
                broken = True
            finally:
                stream.close()
            if ended:
                return
            # The server ends a closed case's stream with its end event. A stream that ends without one was cut by
            # something in between, and is picked up again like a broken one, unless the case is closed.
            if not broken and not self._still_open(case_id):
                return
            failures += 1
            self._sleep(self._settings.backoff(failures, None))

    def stream_all_events(self, after_sequence: int | None = None) -> Iterator[CaseEvent]:
        """Follows every case of the key (``GET /v1/events``): an agent key's, the cases it submitted; a reviewer's or
        admin's, the workspace's. Each event names its ``case_id``. It starts now, or after ``after_sequence`` (0:
        the start of the log), and never ends by itself: a dropped connection is resumed after the last position the
        server named, so no event is lost or repeated. Start following before submitting, so that no decision falls
        between the two. Leave the loop (or ``close()`` the iterator) to stop.

        :raises HandoffProblemError: 401/403 for the key; 400 for a bad ``after_sequence``.
        """
        last = after_sequence
        failures = 0
        while True:
            stream = self._open_events("v1/events", last)
            assert stream is not None  # the workspace's stream never answers 204
            parser = SseParser()
            try:
                for chunk in stream.chunks():
                    for item in parser.feed(chunk):
                        event = CaseEvent.from_json(json.loads(item.data))
                        last, failures = event.sequence, 0
                        yield event
            except NETWORK_ERRORS:
                pass
            finally:
                stream.close()
            # The server names its position with an id and no event (at the start and with each keep-alive): resume
            # from there, even before the first event of this key's cases.
            position = _core.position(parser.last_event_id)
            if position is not None and position > (last if last is not None else -1):
                last = position
            failures += 1
            self._sleep(self._settings.backoff(failures, None))

    def _open_events(self, path: str, after: int | None) -> Stream | None:
        """Connects, retrying passing failures for as long as it takes; the open stream, or None for 204."""
        headers = self._settings.headers(body=False, accept="text/event-stream")
        if after is not None:
            headers["Last-Event-ID"] = str(after)
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                reply, stream = self._http.open_stream(path, headers, self._settings.request_timeout)
                if stream is not None:
                    return stream
                if reply.status == 204:
                    return None
                if not _core.is_passing_status(reply.status):
                    raise _core.problem(reply)
                retry_after = _core.retry_after(reply.headers)
                failure: BaseException = _core.problem(reply)
            except NETWORK_ERRORS as e:
                failure = e
            delay = self._settings.backoff(attempt, retry_after)
            log.info("Retrying GET %s in %.2f s (attempt %d): %s", path, delay, attempt, failure)
            self._sleep(delay)

    def _still_open(self, case_id: str) -> bool:
        """Whether the case is open; a server out of reach counts as open, so that following goes on."""
        try:
            return self.get_case(case_id).status.is_open
        except HandoffProblemError as e:
            if e.status >= 500:
                return True
            raise
        except HandoffError:
            return True

    # -- HTTP --------------------------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        idempotency_key: str | None = None,
        *,
        timeout: float | None = None,
        max_attempts: int | None = _core.CALL,
        deadline: Deadline | None = None,
    ) -> Reply:
        """Sends a request until it gets an answer that is not a passing failure, or ``max_attempts`` tries met one
        (None: no limit, for waits; ``CALL``: the client's ``max_attempts``)."""
        limit = self._settings.attempts(max_attempts)
        timeout = self._settings.request_timeout if timeout is None else timeout
        headers = self._settings.headers(body=body is not None, idempotency_key=idempotency_key)
        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            try:
                reply = self._http.request(method, path, body, headers, timeout)
                if not _core.is_passing_status(reply.status):
                    return reply
                retry_after = _core.retry_after(reply.headers)
                failure: BaseException = _core.problem(reply)
            except NETWORK_ERRORS as e:
                failure = e
            if limit is not None and attempt >= limit:
                raise _core.gave_up(failure, method, path, timeout)
            delay = self._settings.backoff(attempt, retry_after)
            if deadline is not None:
                deadline.check(f"No answer to {method} {path}")
                delay = deadline.pause(delay)
            log.info("Retrying %s %s in %.2f s (attempt %d): %s", method, path, delay, attempt, failure)
            self._sleep(delay)

