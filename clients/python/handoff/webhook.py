"""Verifying the webhooks (and case callbacks) Handoff sends, as Standard Webhooks has it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from .errors import HandoffWebhookError, WebhookFailure

__all__ = ["HandoffWebhook", "WebhookEvent"]

_SECRET_PREFIX = "whsec_"
_MAC_BYTES = 32
_DIGITS = re.compile(r"[0-9]+")
_MAX_SECONDS = 253402300799  # 9999-12-31T23:59:59Z, the latest time .NET (and Python's datetime) can hold


class _Headers(Protocol):
    def get(self, name: str, /) -> Any: ...

    def items(self) -> Any: ...


@dataclass(frozen=True)
class WebhookEvent:
    """A delivery that verified. ``id`` (``webhook-id``) is the same on every attempt: delivery is at least once, so
    keep the ids handled and skip repeats. ``timestamp`` is when the event happened (the body's), not when it was
    sent. ``data`` is the event's data: the workspace, the case as the API shows it, the audit entry."""

    id: str
    type: str
    timestamp: datetime
    data: Any
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)


class HandoffWebhook:
    """Verifies Handoff's deliveries: the ``webhook-signature`` header must carry an HMAC-SHA256 of
    ``{webhook-id}.{webhook-timestamp}.{body}`` under one of the secrets, and the timestamp must be within
    ``tolerance`` seconds of now, either way. Pass the body exactly as received (bytes), before any JSON parsing:
    re-serialized JSON is another body and fails.

    Thread safe: make one per endpoint and share it. During a secret rotation give it both secrets, the new and the
    old; Handoff signs with every secret in force, so either matches.

    :param secrets: one ``whsec_...`` secret as Handoff showed it, or several (the bare base64 is accepted too).
    :param tolerance: seconds; 5 minutes by default.
    :param clock: the time now in Unix seconds (``time.time``); tests pass their own.
    :raises ValueError: there is no secret, or one is empty or not base64.
    """

    def __init__(self, secrets: str | Iterable[str], *, tolerance: float = 300, clock: Callable[[], float] | None = None) -> None:
        self._keys = [_key(s) for s in ([secrets] if isinstance(secrets, str) else secrets)]
        if not self._keys:
            raise ValueError("At least one webhook secret is needed.")
        if not math.isfinite(tolerance) or tolerance < 0:
            # NaN would turn the replay check off without a word.
            raise ValueError(f"tolerance must be a finite number of seconds, 0 or more; it is {tolerance}.")
        self.tolerance = tolerance
        self._clock = clock or time.time

    def verify(self, headers: Mapping[str, str] | _Headers | Callable[[str], str | None], body: bytes | str) -> WebhookEvent:
        """Verifies a delivery from its headers (names matched without regard to case: a dict, ``http.server``'s
        ``self.headers``, or a function from a name to its value) and its body as received.

        :returns: the event, once the delivery verified.
        :raises HandoffWebhookError: it did not verify; ``reason`` says why. Answer 401 and act on nothing in it.
        """
        header = headers if callable(headers) else _reader(headers)
        raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        msg_id = _required(header, "webhook-id")
        timestamp_text = _required(header, "webhook-timestamp")
        signatures = _required(header, "webhook-signature")

        if not _DIGITS.fullmatch(timestamp_text) or int(timestamp_text) > _MAX_SECONDS:
            raise HandoffWebhookError(
                WebhookFailure.BAD_TIMESTAMP, f"The webhook-timestamp header '{timestamp_text}' is not a Unix time in seconds."
            )
        seconds = int(timestamp_text)
        now = self._clock()
        signed_at = datetime.fromtimestamp(seconds, timezone.utc)
        if seconds < now - self.tolerance:
            raise HandoffWebhookError(
                WebhookFailure.TOO_OLD,
                f"The delivery was signed at {signed_at:%Y-%m-%d %H:%M:%SZ}, more than {self.tolerance:g} s before this "
                "machine's clock: a replay, or a clock off.",
            )
        if seconds > now + self.tolerance:
            raise HandoffWebhookError(
                WebhookFailure.TOO_NEW,
                f"The delivery claims to be signed at {signed_at:%Y-%m-%d %H:%M:%SZ}, more than {self.tolerance:g} s "
                "after this machine's clock: a clock off.",
            )

        # The number as read, as the .NET SDK signs it ("0123" is 123).
        signed = f"{msg_id}.{seconds}.".encode() + raw
        expected = [hmac.new(k, signed, hashlib.sha256).digest() for k in self._keys]
        matched = False
        for part in signatures.split(" "):
            # Other schemes (v1a, later versions) may sit beside v1: skipped, not failed.
            if not part.startswith("v1,"):
                continue
            try:
                given = base64.b64decode(part[3:], validate=True)
            except (binascii.Error, ValueError):
                continue
            if len(given) != _MAC_BYTES:
                continue
            for mac in expected:
                # Compared in full and in constant time: how much of a forgery was right must not show in the timing.
                matched |= hmac.compare_digest(mac, given)
        if not matched:
            raise HandoffWebhookError(
                WebhookFailure.NO_MATCHING_SIGNATURE,
                "No v1 signature in webhook-signature matches the body under this endpoint's secret: it is not from "
                "Handoff, was altered on the way, or was signed with another secret.",
            )
        return _event(msg_id, signed_at, raw)


def _event(msg_id: str, signed_at: datetime, body: bytes) -> WebhookEvent:
    try:
        root = json.loads(body)
    except ValueError as e:
        raise HandoffWebhookError(WebhookFailure.INVALID_BODY, f"The body is not JSON: {e}") from e
    if not isinstance(root, dict) or not isinstance(root.get("type"), str):
        raise HandoffWebhookError(WebhookFailure.INVALID_BODY, 'The body is not a Handoff event: a JSON object with a string "type".')
    at = signed_at
    if isinstance(root.get("timestamp"), str):
        try:
            at = datetime.fromisoformat(root["timestamp"])
        except ValueError:
            pass
    return WebhookEvent(msg_id, root["type"], at, root.get("data"), root)


def _reader(headers: Mapping[str, str] | _Headers) -> Callable[[str], str | None]:
    def read(name: str) -> str | None:
        get_all = getattr(headers, "get_all", None)  # email.message.Message: a header sent on several lines
        if callable(get_all):
            values = get_all(name)
            return " ".join(values) if values else None
        value = headers.get(name)
        if value is not None:
            return str(value)
        for key, v in headers.items():
            if key.lower() == name:
                return str(v)
        return None

    return read


def _required(header: Callable[[str], str | None], name: str) -> str:
    value = header(name)
    if value is None or not value.strip():
        raise HandoffWebhookError(WebhookFailure.MISSING_HEADER, f"The {name} header is missing: this is not a Handoff webhook.")
    return value


def _key(secret: str) -> bytes:
    if not secret or not secret.strip():
        raise ValueError("A webhook secret is empty; it is whsec_ followed by base64, as Handoff showed it.")
    encoded = secret.strip().removeprefix(_SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ValueError("A webhook secret is not whsec_ followed by base64, as Handoff showed it.") from e
    if not key:
        raise ValueError("A webhook secret has no key after whsec_.")
    return key
