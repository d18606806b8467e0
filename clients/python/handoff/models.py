"""The SDK's data: what an agent sends (proposals, tool calls, messages) and what the server answers (cases,
decisions, events, receipts). Immutable dataclasses; free JSON (arguments, facts, event data) stays plain dicts, and
each answer keeps the server's JSON whole in ``raw`` for fields a newer server adds."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "Actor",
    "Case",
    "CaseDecision",
    "CaseEvent",
    "CaseKind",
    "CaseMessage",
    "CaseMessages",
    "CaseStatus",
    "Change",
    "ExecutionOutcome",
    "ExecutionReceipt",
    "Handling",
    "Message",
    "PolicyOutcome",
    "Priority",
    "Proposal",
    "Reason",
    "SubmittedCase",
    "TimeoutEffect",
    "ToolCall",
    "Verdict",
]

JsonObject = dict[str, Any]


class CaseKind(enum.StrEnum):
    """What kind of case the agent submits."""

    REPLY = "reply"
    ACTION = "action"
    QUESTION = "question"
    HANDOFF = "handoff"


class CaseStatus(enum.StrEnum):
    """Where a case stands; see docs/api.md, "Case lifecycle"."""

    PENDING = "pending"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    APPROVED = "approved"
    REJECTED = "rejected"
    RESPONDED = "responded"
    BLOCKED = "blocked"
    TAKEN_OVER = "takenOver"
    HANDED_BACK = "handedBack"

    @property
    def is_open(self) -> bool:
        """True while a person may still decide (pending, assigned, escalated, taken over)."""
        return self in (CaseStatus.PENDING, CaseStatus.ASSIGNED, CaseStatus.ESCALATED, CaseStatus.TAKEN_OVER)


class Verdict(enum.StrEnum):
    """What was decided. ``HAND_BACK`` is carried by a decision but cannot be sent to ``decide``."""

    APPROVE = "approve"
    EDIT = "edit"
    CHOOSE = "choose"
    REJECT = "reject"
    RESPOND = "respond"
    HAND_BACK = "handBack"


class PolicyOutcome(enum.StrEnum):
    """What the policy decided on submission."""

    AUTO = "auto"
    REVIEW = "review"
    ESCALATE = "escalate"
    BLOCK = "block"


class Priority(enum.StrEnum):
    """How urgent the policy made a case."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class TimeoutEffect(enum.StrEnum):
    """What happens to a pending case whose expiry passes before anyone decided."""

    REJECT = "reject"
    APPROVE = "approve"
    ESCALATE = "escalate"


class ExecutionOutcome(enum.StrEnum):
    """What the agent did with an approved case."""

    EXECUTED = "executed"
    FAILED = "failed"


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _required_time(value: Any) -> datetime:
    parsed = _time(value)
    if parsed is None:
        raise ValueError(f"Expected a date and time from the server, got {value!r}.")
    return parsed


@dataclass(frozen=True)
class ToolCall:
    """A tool call the agent wants to make: its name and its arguments (a JSON object, or None for none)."""

    name: str
    arguments: JsonObject | None = None

    def to_json(self) -> JsonObject:
        body: JsonObject = {"name": self.name}
        if self.arguments is not None:
            body["arguments"] = self.arguments
        return body

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> ToolCall:
        arguments = value.get("arguments")
        return cls(name=value["name"], arguments=dict(arguments) if arguments is not None else None)


@dataclass(frozen=True)
class Proposal:
    """What the agent proposes: a draft text, a tool call, or both, and how sure it is (0 to 1). Leave the confidence
    out and the case counts as low confidence: the policy never approves it on its own. The server hashes exactly
    this into the decision's ``proposalDigest`` (see :func:`handoff.proposal_digest`)."""

    text: str | None = None
    action: ToolCall | None = None
    confidence: float | None = None

    def to_json(self) -> JsonObject:
        body: JsonObject = {}
        if self.text is not None:
            body["text"] = self.text
        if self.action is not None:
            body["action"] = self.action.to_json()
        if self.confidence is not None:
            body["confidence"] = self.confidence
        return body

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Proposal:
        unknown = set(value) - {"text", "action", "confidence"}
        if unknown:
            raise ValueError(f"A proposal has text, action and confidence; not {', '.join(sorted(unknown))}.")
        action = value.get("action")
        return cls(
            text=value.get("text"),
            action=ToolCall.from_json(action) if action is not None else None,
            confidence=value.get("confidence"),
        )

    @classmethod
    def of(cls, value: Proposal | Mapping[str, Any]) -> Proposal:
        """A proposal given as a :class:`Proposal` or as its JSON (``{"text": ..., "action": {...}}``)."""
        return value if isinstance(value, Proposal) else cls.from_json(value)


@dataclass(frozen=True)
class Message:
    """One turn of the conversation that led to the case: who spoke (``customer``, ``agent``, ...) and what they said."""

    role: str
    text: str
    at: datetime | None = None

    def to_json(self) -> JsonObject:
        body: JsonObject = {"role": self.role, "text": self.text}
        if self.at is not None:
            body["at"] = self.at.isoformat()
        return body

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Message:
        return cls(role=value["role"], text=value["text"], at=_time(value.get("at")))


@dataclass(frozen=True)
class Actor:
    """Who did something: an API key (``agent``, ``reviewer``, ``admin``), a person, the policy or the system."""

    kind: str
    id: str
    name: str

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Actor:
        return cls(kind=value.get("kind", ""), id=value.get("id", ""), name=value.get("name", ""))

    @classmethod
    def maybe(cls, value: Any) -> Actor | None:
        return cls.from_json(value) if isinstance(value, Mapping) else None


@dataclass(frozen=True)
class Reason:
    """Why the policy came to its outcome: the rule that fired, its text and what it asked for on its own."""

    rule: str
    text: str
    outcome: PolicyOutcome | None = None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Reason:
        outcome = value.get("outcome")
        return cls(rule=value["rule"], text=value.get("text", ""), outcome=PolicyOutcome(outcome) if outcome else None)


@dataclass(frozen=True)
class Change:
    """One field a person changed against the proposal (an edit): ``text`` or ``arguments.<path>``."""

    field: str
    from_: Any = None
    to: Any = None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Change:
        return cls(field=value["field"], from_=value.get("from"), to=value.get("to"))


@dataclass(frozen=True)
class Handling:
    """What happens next to a case a person must see, to tell the customer: ``live`` (a person is rung now) or
    ``queue``, the expected wait and how it was estimated."""

    mode: str
    expected_wait: timedelta
    basis: str
    live_until: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.mode == "live"

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Handling:
        return cls(
            mode=value["mode"],
            expected_wait=timedelta(seconds=value.get("expectedWaitSeconds", 0)),
            basis=value.get("basis", ""),
            live_until=_time(value.get("liveUntil")),
        )


@dataclass(frozen=True)
class Decision:
    """The answer to a case. ``result`` is what the agent should now do (None for a rejection);
    ``proposal_digest`` names the proposal it was decided on and ``result_digest`` the result. A decision handed back
    by ``wait_for_decision`` has had both checked; one read from :class:`Case` has not."""

    verdict: Verdict
    proposal_digest: str
    decided_at: datetime
    result: Proposal | None = None
    option: int | None = None
    text: str | None = None
    note: str | None = None
    changes: tuple[Change, ...] = ()
    result_digest: str | None = None
    decided_by: Actor | None = None
    timed_out: bool = False
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Decision:
        result = value.get("result")
        return cls(
            verdict=Verdict(value["verdict"]),
            proposal_digest=value.get("proposalDigest", ""),
            decided_at=_required_time(value.get("decidedAt")),
            result=Proposal.from_json(result) if result is not None else None,
            option=value.get("option"),
            text=value.get("text"),
            note=value.get("note"),
            changes=tuple(Change.from_json(c) for c in value.get("changes") or ()),
            result_digest=value.get("resultDigest"),
            decided_by=Actor.maybe(value.get("decidedBy")),
            timed_out=bool(value.get("timedOut", False)),
            raw=dict(value),
        )


@dataclass(frozen=True)
class CaseMessage:
    """One message of a case's transcript (a takeover's conversation)."""

    number: int
    role: str
    text: str
    at: datetime
    by: Actor | None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> CaseMessage:
        return cls(
            number=value["number"],
            role=value["role"],
            text=value["text"],
            at=_required_time(value.get("at")),
            by=Actor.maybe(value.get("by")),
        )


@dataclass(frozen=True)
class CaseMessages:
    """What ``wait_for_messages`` hands back: the messages after the number asked for, and the transcript's last."""

    case_id: str
    status: CaseStatus
    assigned_to: Actor | None
    messages: tuple[CaseMessage, ...]
    last: int

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> CaseMessages:
        return cls(
            case_id=value["caseId"],
            status=CaseStatus(value["status"]),
            assigned_to=Actor.maybe(value.get("assignedTo")),
            messages=tuple(CaseMessage.from_json(m) for m in value.get("messages") or ()),
            last=value.get("last", 0),
        )


@dataclass(frozen=True)
class ExecutionReceipt:
    """The agent's receipt for an approved case, as the server keeps it. ``mismatch`` is True when what ran is not
    what was approved (the workspace's admins are told)."""

    outcome: ExecutionOutcome
    result_digest: str | None
    reason: str | None
    at: datetime
    by: Actor | None
    mismatch: bool

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> ExecutionReceipt:
        return cls(
            outcome=ExecutionOutcome(value["outcome"]),
            result_digest=value.get("resultDigest"),
            reason=value.get("reason"),
            at=_required_time(value.get("at")),
            by=Actor.maybe(value.get("by")),
            mismatch=bool(value.get("mismatch", False)),
        )


@dataclass(frozen=True)
class Case:
    """A case as the server shows it. Its ``decision`` is the server's word, not checked: to act on a decision, take
    it from ``wait_for_decision``."""

    id: str
    status: CaseStatus
    outcome: PolicyOutcome
    kind: CaseKind
    reasons: tuple[Reason, ...] = ()
    team: str | None = None
    priority: Priority | None = None
    policy_version: int | None = None
    confidence_floor: float | None = None
    summary: str | None = None
    channel: str | None = None
    subject: JsonObject | None = None
    facts: JsonObject | None = None
    conversation: tuple[Message, ...] = ()
    proposal: Proposal | None = None
    options: tuple[Proposal, ...] = ()
    created_at: datetime | None = None
    expires_at: datetime | None = None
    on_timeout: TimeoutEffect | None = None
    submitted_by: Actor | None = None
    assigned_to: Actor | None = None
    decision: Decision | None = None
    transcript: tuple[CaseMessage, ...] = ()
    receipt: ExecutionReceipt | None = None
    awaiting_execution_seconds: int | None = None
    handling: Handling | None = None
    callback_url: str | None = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Case:
        def maybe(key: str, make: Any) -> Any:
            item = value.get(key)
            return make(item) if item is not None else None

        return cls(
            id=value["id"],
            status=CaseStatus(value["status"]),
            outcome=PolicyOutcome(value["outcome"]),
            kind=CaseKind(value["kind"]),
            reasons=tuple(Reason.from_json(r) for r in value.get("reasons") or ()),
            team=value.get("team"),
            priority=maybe("priority", Priority),
            policy_version=value.get("policyVersion"),
            confidence_floor=value.get("confidenceFloor"),
            summary=value.get("summary"),
            channel=value.get("channel"),
            subject=value.get("subject"),
            facts=value.get("facts"),
            conversation=tuple(Message.from_json(m) for m in value.get("conversation") or ()),
            proposal=maybe("proposal", Proposal.from_json),
            options=tuple(Proposal.from_json(o) for o in value.get("options") or ()),
            created_at=_time(value.get("createdAt")),
            expires_at=_time(value.get("expiresAt")),
            on_timeout=maybe("onTimeout", TimeoutEffect),
            submitted_by=Actor.maybe(value.get("submittedBy")),
            assigned_to=Actor.maybe(value.get("assignedTo")),
            decision=maybe("decision", Decision.from_json),
            transcript=tuple(CaseMessage.from_json(m) for m in value.get("transcript") or ()),
            receipt=maybe("receipt", ExecutionReceipt.from_json),
            awaiting_execution_seconds=value.get("awaitingExecutionSeconds"),
            handling=maybe("handling", Handling.from_json),
            callback_url=value.get("callbackUrl"),
            raw=dict(value),
        )


@dataclass(frozen=True)
class SubmittedCase:
    """A case the server accepted, with what the client needs to check its decision later.

    ``proposal_digest`` is the digest of the proposal exactly as this client sent it, computed here, never taken from
    the server. ``replayed`` is True when the server had this case already (same key, same body) and created nothing.
    """

    case: Case
    idempotency_key: str
    replayed: bool
    proposal_digest: str

    @property
    def id(self) -> str:
        return self.case.id

    @property
    def handling(self) -> Handling | None:
        """Live or queued and the expected wait, for a case a person must see; None when the policy decided it (and
        on a replayed submission)."""
        return self.case.handling


@dataclass(frozen=True)
class CaseDecision:
    """A case's decision as ``wait_for_decision`` hands it back: its digests have been checked against the proposal
    the agent submitted. Act on ``decision.result`` (after an edit or a choice it differs from what you proposed)."""

    case_id: str
    status: CaseStatus
    decision: Decision
    transcript: tuple[CaseMessage, ...] | None = None
    raw: JsonObject = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_approved(self) -> bool:
        """True when the agent may go ahead with ``decision.result`` (by a person, the policy or a timeout)."""
        return self.status == CaseStatus.APPROVED

    @property
    def is_handed_back(self) -> bool:
        """True when the person who took the conversation over handed it back (``decision.text`` is their note)."""
        return self.status == CaseStatus.HANDED_BACK

    @property
    def action(self) -> ToolCall | None:
        """The tool call to run, as decided (a person may have edited its arguments); None when there is none."""
        return self.decision.result.action if self.decision.result is not None else None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> CaseDecision:
        transcript = value.get("transcript")
        return cls(
            case_id=value["caseId"],
            status=CaseStatus(value["status"]),
            decision=Decision.from_json(value["decision"]),
            transcript=tuple(CaseMessage.from_json(m) for m in transcript) if transcript else None,
            raw=dict(value),
        )


@dataclass(frozen=True)
class CaseEvent:
    """One entry of a case's history, as the event streams send it. ``data`` is what the entry records (``status``,
    ``verdict``, ``proposalDigest``, ...; see docs/api.md). Events carry no decision ``result``: after
    ``case.decided``, ``case.expired`` or ``case.handedBack``, take the decision from ``wait_for_decision``."""

    TAKEN_OVER = "case.takenOver"
    MESSAGE_ADDED = "case.message"
    HANDED_BACK = "case.handedBack"
    LIVE_FALLBACK = "case.liveFallback"
    DECIDED = "case.decided"
    EXPIRED = "case.expired"

    sequence: int
    action: str
    at: datetime
    actor: Actor | None
    data: JsonObject
    case_id: str | None = None
    """The case the event is about, on the workspace's stream (``stream_all_events``); None on a case's own."""

    @property
    def closes_case(self) -> bool:
        """True for the events that close a case with a decision: decided, handed back, or expired without
        escalating (an escalation leaves it open for a person)."""
        if self.action in (CaseEvent.DECIDED, CaseEvent.HANDED_BACK):
            return True
        return self.action == CaseEvent.EXPIRED and self.data.get("effect") != "escalate"

    @property
    def message_role(self) -> str | None:
        return self.data.get("role") if self.action == CaseEvent.MESSAGE_ADDED else None

    @property
    def message_text(self) -> str | None:
        return self.data.get("text") if self.action == CaseEvent.MESSAGE_ADDED else None

    @property
    def expected_wait(self) -> timedelta | None:
        seconds = self.data.get("expectedWaitSeconds") if self.action == CaseEvent.LIVE_FALLBACK else None
        return timedelta(seconds=seconds) if seconds is not None else None

    @property
    def wait_basis(self) -> str | None:
        return self.data.get("basis") if self.action == CaseEvent.LIVE_FALLBACK else None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> CaseEvent:
        return cls(
            sequence=int(value["sequence"]),
            action=value["action"],
            at=_required_time(value.get("at")),
            actor=Actor.maybe(value.get("actor")),
            data=dict(value.get("data") or {}),
            case_id=value.get("caseId"),
        )
