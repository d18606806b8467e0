"""HandoffWebhook against the Standard Webhooks libraries' published vector and against deliveries the real server
signs and posts to a receiver on 127.0.0.1."""

from __future__ import annotations

import base64
import email.message
import hashlib
import hmac
import json
import queue
import time

import pytest

from conftest import Server
from handoff import HandoffClient, HandoffWebhook, HandoffWebhookError, Proposal, ToolCall, WebhookFailure
from standins import Receiver, Recorded

# standard-webhooks/standard-webhooks: libraries/python/tests/test_webhooks.py (and the C# library's WebhookTest.cs).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_BODY = b'{"test": 2432232314}'
SPEC_TIME = 1614265330
SPEC_HEADERS = {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": str(SPEC_TIME), "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
EVENT = b'{"type":"case.decided","timestamp":"2026-12-01T09:59:58.512Z","data":{"workspaceId":"ws_1","case":{"id":"cs_7","status":"approved"}}}'
NOW = 1796119200  # 2026-12-01T10:00:00Z


def sign(secret: str, body: bytes, at: int, msg_id: str = "evt_42_0") -> dict[str, str]:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = base64.b64encode(hmac.new(key, f"{msg_id}.{at}.".encode() + body, hashlib.sha256).digest()).decode()
    return {"webhook-id": msg_id, "webhook-timestamp": str(at), "webhook-signature": f"v1,{mac}"}


@pytest.mark.parametrize("secret", [SPEC_SECRET, SPEC_SECRET.removeprefix("whsec_")])
def test_verify_the_spec_vector_passes_the_signature_though_its_body_is_no_handoff_event(secret: str) -> None:
    webhook = HandoffWebhook(secret, clock=lambda: SPEC_TIME)

    with pytest.raises(HandoffWebhookError) as refused:
        webhook.verify(SPEC_HEADERS, SPEC_BODY)

    # Signature and time passed; only the body's shape (no "type") is not Handoff's.
    assert refused.value.reason == WebhookFailure.INVALID_BODY


@pytest.mark.parametrize(
    ("signature", "body"),
    [
        ("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", SPEC_BODY),  # one bit off at the end
        ("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", SPEC_BODY),  # the right value under another scheme
        ("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", SPEC_BODY),  # no scheme
        ("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", b'{"test": 2432232315}'),  # the body, one character changed
    ],
)
def test_verify_the_spec_vector_altered_matches_nothing(signature: str, body: bytes) -> None:
    webhook = HandoffWebhook(SPEC_SECRET, clock=lambda: SPEC_TIME)

    with pytest.raises(HandoffWebhookError) as refused:
        webhook.verify({**SPEC_HEADERS, "webhook-signature": signature}, body)

    assert refused.value.reason == WebhookFailure.NO_MATCHING_SIGNATURE


def test_verify_a_signed_delivery_returns_the_event_with_headers_of_any_case() -> None:
    secret = "whsec_" + base64.b64encode(bytes(range(32))).decode()
    headers = {k.upper(): v for k, v in sign(secret, EVENT, NOW - 2).items()}

    event = HandoffWebhook(secret, clock=lambda: NOW).verify(headers, EVENT.decode())

    assert (event.id, event.type, event.timestamp.isoformat()) == ("evt_42_0", "case.decided", "2026-12-01T09:59:58.512000+00:00")
    assert event.data["case"]["id"] == "cs_7"


def test_verify_during_a_rotation_accepts_the_old_secret_and_the_new() -> None:
    old, new = ("whsec_" + base64.b64encode(bytes([i] * 32)).decode() for i in (1, 2))
    both = HandoffWebhook([new, old], clock=lambda: NOW)
    two_signatures = sign(new, EVENT, NOW) | {"webhook-signature": f"{sign(new, EVENT, NOW)['webhook-signature']} {sign(old, EVENT, NOW)['webhook-signature']}"}

    assert both.verify(sign(old, EVENT, NOW), EVENT).type == "case.decided"
    assert HandoffWebhook(old, clock=lambda: NOW).verify(two_signatures, EVENT).type == "case.decided"
    with pytest.raises(HandoffWebhookError):
        HandoffWebhook(new, clock=lambda: NOW).verify(sign(old, EVENT, NOW), EVENT)


@pytest.mark.parametrize(
    ("signed_at", "reason"),
    [(NOW - 301, WebhookFailure.TOO_OLD), (NOW + 301, WebhookFailure.TOO_NEW)],
)
def test_verify_a_delivery_signed_outside_the_tolerance_is_refused(signed_at: int, reason: WebhookFailure) -> None:
    secret = SPEC_SECRET

    with pytest.raises(HandoffWebhookError) as refused:
        HandoffWebhook(secret, clock=lambda: NOW).verify(sign(secret, EVENT, signed_at), EVENT)

    assert refused.value.reason == reason
    assert HandoffWebhook(secret, clock=lambda: NOW).verify(sign(secret, EVENT, NOW - 300), EVENT).id == "evt_42_0"


def test_verify_missing_headers_and_bad_timestamps_are_refused() -> None:
    webhook = HandoffWebhook(SPEC_SECRET, clock=lambda: NOW)
    good = sign(SPEC_SECRET, EVENT, NOW)

    for missing in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        with pytest.raises(HandoffWebhookError) as refused:
            webhook.verify({k: v for k, v in good.items() if k != missing}, EVENT)
        assert refused.value.reason == WebhookFailure.MISSING_HEADER
    for timestamp in ("-1", "1.5", "soon", "\u0661\u0662"):
        with pytest.raises(HandoffWebhookError) as refused:
            webhook.verify({**good, "webhook-timestamp": timestamp}, EVENT)
        assert refused.value.reason == WebhookFailure.BAD_TIMESTAMP


def test_webhook_secrets_that_are_not_secrets_are_refused() -> None:
    for bad in ("", "whsec_", "whsec_not base64!", []):
        with pytest.raises(ValueError):
            HandoffWebhook(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("tolerance", [float("nan"), float("inf"), -1])
def test_a_tolerance_that_is_no_number_of_seconds_is_refused(tolerance: float) -> None:
    # NaN would make every timestamp pass: the replay check would be off without a word.
    with pytest.raises(ValueError, match="tolerance"):
        HandoffWebhook(SPEC_SECRET, tolerance=tolerance)


def _delivery_for(deliveries: queue.Queue[Recorded], case_id: str) -> Recorded:
    while True:
        delivery = deliveries.get(timeout=90)
        if json.loads(delivery.body).get("data", {}).get("case", {}).get("id") == case_id:
            return delivery


def test_verify_a_delivery_the_server_signed_and_posted(server: Server, agent: HandoffClient, reviewer: HandoffClient) -> None:
    with Receiver() as receiver:
        status, endpoint = server.call("POST", "/v1/webhooks", server.admin_key, {"url": receiver.url + "/hooks/handoff", "eventTypes": ["case.decided"]})
        assert status == 201, endpoint
        try:
            submitted = agent.submit_case("action", summary="Refund", proposal=Proposal("Refunded.", ToolCall("issue_refund", {"amount": 5}), 0.5))
            reviewer.decide(submitted.id, "approve")
            delivery = _delivery_for(receiver.deliveries, submitted.id)
        finally:
            server.call("DELETE", f"/v1/webhooks/{endpoint['id']}", server.admin_key)

    webhook = HandoffWebhook(["whsec_" + base64.b64encode(b"an old secret, long enough....").decode(), endpoint["secret"]])
    as_http_server_gives_them = email.message.Message()
    for name, value in delivery.headers.items():
        as_http_server_gives_them[name] = value

    event = webhook.verify(as_http_server_gives_them, delivery.body)

    assert event.type == "case.decided" and event.data["case"]["status"] == "approved"
    assert event.id == delivery.headers["webhook-id"]
    with pytest.raises(HandoffWebhookError) as refused:
        webhook.verify(delivery.headers, delivery.body.replace(b'"approved"', b'"rejected"'))
    assert refused.value.reason == WebhookFailure.NO_MATCHING_SIGNATURE


def test_verify_a_case_callback_the_server_signed_with_the_workspace_secret(server: Server, agent: HandoffClient, reviewer: HandoffClient) -> None:
    status, secrets = server.call("GET", "/v1/callbacks/secret", server.admin_key)
    assert status == 200, secrets
    with Receiver() as receiver:
        submitted = agent.submit_case(
            "action", summary="Refund", proposal=Proposal("Refunded.", ToolCall("issue_refund", {"amount": 6}), 0.5),
            callback_url=receiver.url + "/decided",
        )
        assert submitted.case.callback_url == receiver.url + "/decided"
        reviewer.decide(submitted.id, "reject", text="No.")
        delivery = _delivery_for(receiver.deliveries, submitted.id)

    event = HandoffWebhook([s["secret"] for s in secrets["secrets"]], clock=time.time).verify(delivery.headers, delivery.body)

    assert event.type == "case.decided" and event.data["case"]["decision"]["text"] == "No."
