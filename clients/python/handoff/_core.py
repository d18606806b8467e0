"""What the sync and the async client share: settings, request bodies, how answers are read and checked, when to
retry and for how long. No I/O here, so both clients behave the same by construction."""

from __future__ import annotations

import json
import logging
import math
import random
import ssl
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

from .digest import proposal_digest
from .errors import (
    CaseEscalatedError,
    CaseTakenOverError,
    HandoffConnectionError,
    HandoffError,
    HandoffProblemError,
    HandoffTimeoutError,
    ProposalDigestMismatchError,
)
from .models import (
    Actor,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Message,
    Proposal,
    SubmittedCase,
    TimeoutEffect,
    Verdict,
)

log = logging.getLogger("handoff")

# 408, 429, 502, 503, 504: the server (or something in between) is busy or restarting, and the request did not take
# effect. A 500 is not among them, as in the .NET SDK: it is a bug on the server, and repeating it helps nobody.
PASSING_STATUSES = frozenset({408, 429, 502, 503, 504})
MAX_DETAIL_LENGTH = 500
USER_AGENT = "handoff-python/0.1.0"
CALL = 0  # as many tries as the client's max_attempts allows (a single call, as opposed to a wait)


@dataclass(frozen=True)
class Settings:
    """A client's settings, checked once when it is made."""

    scheme: str
    host: str
    port: int
    root_path: str
    api_key: str | None
    long_poll_wait: int
    request_timeout: float
    retry_base_delay: float
    retry_max_delay: float
    max_attempts: int
    stream_idle_timeout: float
    ssl_context: ssl.SSLContext | None
    random: Callable[[], float]

    @classmethod
    def make(
        cls,
        base_url: str,
        api_key: str | None,
        *,
        long_poll_wait: float,
        request_timeout: float,
        retry_base_delay: float,
        retry_max_delay: float,
        max_attempts: int,
        stream_idle_timeout: float,
        ssl_context: ssl.SSLContext | None,
        random_source: Callable[[], float] | None,
    ) -> Settings:
        if not base_url:
            raise ValueError("base_url is required (the server, such as http://127.0.0.1:5080/).")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an absolute http or https URL, not {base_url!r}.")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not have a query or a fragment.")
        if api_key is not None and (api_key == "" or any(c.isspace() for c in api_key)):
            raise ValueError("api_key must not be empty or contain white space.")
        if not 1 <= long_poll_wait <= 300:
            raise ValueError("long_poll_wait must be from 1 to 300 seconds.")
        if request_timeout <= 0 or retry_base_delay <= 0 or retry_max_delay < retry_base_delay:
            raise ValueError("request_timeout and retry_base_delay must be positive, and retry_max_delay at least retry_base_delay.")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1.")
        if stream_idle_timeout <= 15:
            raise ValueError("stream_idle_timeout must be more than 15 seconds (the server's keep-alive interval).")
        root = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(
            scheme=parts.scheme,
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 80),
            root_path=root,
            api_key=api_key,
            long_poll_wait=int(long_poll_wait),
            request_timeout=float(request_timeout),
            retry_base_delay=float(retry_base_delay),
            retry_max_delay=float(retry_max_delay),
            max_attempts=max_attempts,
            stream_idle_timeout=float(stream_idle_timeout),
            ssl_context=ssl_context,
            random=random_source or random.random,
        )

    def attempts(self, max_attempts: int | None) -> int | None:
        return self.max_attempts if max_attempts == CALL else max_attempts

    def target(self, path: str) -> str:
        return self.root_path + path

    def headers(self, *, body: bool, idempotency_key: str | None = None, accept: str = "application/json") -> dict[str, str]:
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        headers = {
            "Host": host if self.port == (443 if self.scheme == "https" else 80) else f"{host}:{self.port}",
            "Accept": accept,
            "User-Agent": USER_AGENT,
            # One connection per request: the clients keep no state between calls, so they are safe to share.
            "Connection": "close",
        }
        if self.api_key is not None:
            headers["Authorization"] = f"Bearer {self.api_key}"
        if body:
            headers["Content-Type"] = "application/json"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter: the pause doubles each try up to the cap, less a random part of up to
        half; a server's Retry-After is honoured when longer, capped to ``retry_max_delay`` too."""
        ceiling = min(self.retry_base_delay * 2 ** min(attempt - 1, 30), self.retry_max_delay)
        delay = ceiling * (1 - self.random() / 2)
        if retry_after is not None and retry_after > delay:
            return min(retry_after, self.retry_max_delay)
        return delay


@dataclass(frozen=True)
class Reply:
    """One answer, read whole."""

    status: int
    reason: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def replayed(self) -> bool:
        return "idempotent-replayed" in self.headers

    def json(self) -> Any:
        if not self.body:
            raise HandoffError(f"The server answered {self.status} with an empty body.")
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise HandoffError(f"The server answered {self.status} with a body that is not JSON: {self.body[:200]!r}") from e


def lower_headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a delay, or an HTTP date."""
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return max(0.0, (at - (now or datetime.now(timezone.utc))).total_seconds())


def problem(reply: Reply) -> HandoffProblemError:
    """An error answer as an exception: the problem document's parts, or the start of any other body."""
    try:
        document = json.loads(reply.body) if reply.body else None
    except ValueError:
        document = None  # an error page from something in between, such as a proxy
    if isinstance(document, dict):
        errors: dict[str, list[str]] = {}
        extensions: dict[str, Any] = {}
        for name, value in document.items():
            if name in ("type", "title", "detail", "status"):
                continue  # the response's own status is the one that counts
            if name == "errors" and isinstance(value, dict):
                for field_name, messages in value.items():
                    items = messages if isinstance(messages, list) else [messages]
                    errors[field_name] = [m if isinstance(m, str) else json.dumps(m) for m in items]
            else:
                extensions[name] = value
        text = lambda key: document[key] if isinstance(document.get(key), str) else None  # noqa: E731
        return HandoffProblemError(
            reply.status, text("title") or reply.reason or None, text("detail"), text("type"), errors, extensions
        )
    body = reply.body.decode("utf-8", "replace").strip()
    detail = body[:MAX_DETAIL_LENGTH] + "…" if len(body) > MAX_DETAIL_LENGTH else body or None
    return HandoffProblemError(reply.status, reply.reason or None, detail)


def is_passing_status(status: int) -> bool:
    return status in PASSING_STATUSES


def gave_up(failure: BaseException, method: str, path: str, timeout: float) -> BaseException:
    """What a call that ran out of tries raises: the last 5xx as it came, or the last network failure, wrapped."""
    if isinstance(failure, HandoffError):
        return failure
    if isinstance(failure, TimeoutError):
        error: HandoffConnectionError = HandoffTimeoutError(f"Handoff did not answer {method} {path} within {timeout:g} s.")
    else:
        error = HandoffConnectionError(f"Could not reach Handoff for {method} {path}: {failure}")
    error.__cause__ = failure
    return error


def case_path(case_id: str) -> str:
    if not case_id or case_id.isspace():
        raise ValueError("case_id is required.")
    return "v1/cases/" + quote(case_id, safe="")


def dumps(value: Any) -> bytes:
    # allow_nan=False: NaN and infinities are not JSON, and the server refuses them.
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def new_idempotency_key() -> str:
    return "hc_" + uuid.uuid4().hex


def seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def submit_body(
    kind: CaseKind | str,
    summary: str | None,
    channel: str | None,
    subject: Mapping[str, Any] | None,
    facts: Mapping[str, Any] | None,
    conversation: Sequence[Message | Mapping[str, Any]] | None,
    proposal: Proposal | None,
    options: Sequence[Proposal | Mapping[str, Any]] | None,
    expires_in: float | timedelta | None,
    on_timeout: TimeoutEffect | str | None,
    callback_url: str | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": str(CaseKind(kind))}
    if summary is not None:
        body["summary"] = summary
    if channel is not None:
        body["channel"] = channel
    if subject is not None:
        body["subject"] = dict(subject)
    if facts is not None:
        body["facts"] = dict(facts)
    if conversation is not None:
        body["conversation"] = [m.to_json() if isinstance(m, Message) else dict(m) for m in conversation]
    if proposal is not None:
        body["proposal"] = proposal.to_json()
    if options is not None:
        body["options"] = [Proposal.of(o).to_json() for o in options]
    if expires_in is not None:
        s = seconds(expires_in)
        body["expiresIn"] = int(s) if s.is_integer() else s
    if on_timeout is not None:
        body["onTimeout"] = str(TimeoutEffect(on_timeout))
    if callback_url is not None:
        body["callbackUrl"] = callback_url
    return body


def decision_body(
    verdict: Verdict | str, text: str | None, arguments: Mapping[str, Any] | None, option: int | None, note: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"verdict": str(Verdict(verdict))}
    if text is not None:
        body["text"] = text
    if arguments is not None:
        body["arguments"] = dict(arguments)
    if option is not None:
        body["option"] = option
    if note is not None:
        body["note"] = note
    return body


def standing(case_id: str, reply: Reply, keep_waiting_when_escalated: bool, keep_waiting_when_taken_over: bool) -> None:
    """A long-poll's 202: raises when the case escalated or was taken over (unless asked to wait on)."""
    body = reply.json()
    status = CaseStatus(body["status"])
    if status == CaseStatus.ESCALATED and not keep_waiting_when_escalated:
        raise CaseEscalatedError(case_id, Actor.maybe(body.get("assignedTo")))
    if status == CaseStatus.TAKEN_OVER and not keep_waiting_when_taken_over:
        raise CaseTakenOverError(case_id, Actor.maybe(body.get("assignedTo")))
    log.debug("Case %s is still %s; asking again.", case_id, status)


def verified(case_id: str, expected: str, reply: Reply) -> CaseDecision:
    """Fails closed: the decision must name the proposal this agent submitted, carry the result its digest names,
    and, for a plain approval, that result must be the proposal itself."""
    body = reply.json()
    if not isinstance(body, dict) or not isinstance(body.get("decision"), dict):
        raise HandoffError(f"The server's answer for case {case_id} carries no decision.")
    answer = CaseDecision.from_json(body)
    # Hashed from the JSON as it came, not from the parsed dataclass, so nothing the parsing drops can slip by.
    result = body["decision"].get("result")
    result_digest = proposal_digest(result) if result is not None else None
    mismatch = _mismatch(answer, expected, result_digest)
    if mismatch is not None:
        log.warning("Refused the decision on case %s: its %s does not match.", case_id, mismatch[0])
        raise ProposalDigestMismatchError(case_id, *mismatch)
    return answer


def _mismatch(answer: CaseDecision, expected: str, result_digest: str | None) -> tuple[str, str, str | None] | None:
    decision = answer.decision
    if not _same(decision.proposal_digest, expected):
        return ("proposalDigest", expected, decision.proposal_digest or None)
    if result_digest is None:
        # Nothing to execute, so nothing may claim a digest or an approval.
        if decision.result_digest is not None or answer.is_approved:
            return ("resultDigest", "a result", decision.result_digest)
        return None
    if not _same(decision.result_digest, result_digest):
        return ("resultDigest", result_digest, decision.result_digest)
    # An approval lets through the proposal itself; a result that differs would be an edit in disguise.
    if decision.verdict == Verdict.APPROVE and not _same(result_digest, expected):
        return ("resultDigest", expected, decision.result_digest)
    return None


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a == b


def own_receipt(case: Mapping[str, Any], outcome: str, digest: str | None, reason: str | None) -> bool:
    """Whether a case's receipt is the one this call sent: a retry whose first try was recorded but whose answer was
    lost meets its own receipt, and that is success."""
    kept = case.get("receipt")
    return (
        isinstance(kept, dict)
        and kept.get("outcome") == outcome
        and kept.get("resultDigest") == digest
        and kept.get("reason") == (reason.strip() if reason is not None else None)
    )


class Deadline:
    """An optional bound on a whole wait, in the clock's seconds."""

    def __init__(self, timeout: float | None, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._timeout = timeout
        self._at = None if timeout is None else clock() + timeout

    def left(self) -> float | None:
        return None if self._at is None else self._at - self._clock()

    def long_poll(self, wait: int) -> int:
        # Whole seconds, rounded up: with less than a second left, a poll of 0 would answer at once, again and again.
        left = self.left()
        return wait if left is None else max(0, min(wait, math.ceil(left)))

    def pause(self, delay: float) -> float:
        left = self.left()
        return delay if left is None else max(0.0, min(delay, left))

    def check(self, what: str) -> None:
        left = self.left()
        if left is not None and left <= 0:
            raise HandoffTimeoutError(f"{what} within {self._timeout:g} s.")


def expected_digest(submitted: SubmittedCase | str, proposal: Proposal | Mapping[str, Any] | None) -> tuple[str, str]:
    """The case id and the digest its decision must name."""
    if isinstance(submitted, SubmittedCase):
        if proposal is not None:
            raise TypeError("Pass the proposal only with a case id: a SubmittedCase carries its own digest.")
        return submitted.id, submitted.proposal_digest
    return submitted, proposal_digest(Proposal.of(proposal) if proposal is not None else None)


def position(last_event_id: str | None) -> int | None:
    if last_event_id is not None and last_event_id.isascii() and last_event_id.isdigit():
        return int(last_event_id)
    return None
