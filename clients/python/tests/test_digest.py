"""proposal_digest against the values docs/api.md and the .NET SDK's tests publish, and against the server itself."""

from __future__ import annotations

import random

import pytest

from conftest import Server
from handoff import HandoffClient, Proposal, ToolCall, proposal_digest
from handoff._canonical import canonical_json, format_number


def test_proposal_digest_of_the_docs_refund_is_the_published_value() -> None:
    refund = Proposal("I have issued a full refund of 1450 EUR.", ToolCall("issue_refund", {"orderId": "B-11872", "amount": 1450}), 0.88)

    assert proposal_digest(refund) == "d71e16b8fc56a124cfef0e495485d43bdcb0b4a9ceea840c8a74495c8454a163"
    assert proposal_digest({"text": "We open at 9.", "confidence": 0.97}) == "637ed52293c38dbcb217a902a2a79c6f1f2f12246671ac7b27c46ec49911f3e7"


def test_proposal_digest_escapes_only_what_json_requires_sorts_keys_and_drops_nulls() -> None:
    # The .NET SDK's ProposalDigestTests vector.
    arguments = {"b": 1450, "a": 0.5, "nested": {"z": None, "y": [1, 2.25]}}
    proposal = Proposal('It\'s <ok> & "fine" — ü\n', ToolCall("refund", arguments), 0.9)

    assert proposal_digest(proposal) == "fca5275b28087c2319e17ba0ea610d1bff9b5833259698c569ebc5b2bdfa0853"


def test_proposal_digest_of_no_proposal_is_the_digest_of_null() -> None:
    assert proposal_digest(None) == "74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b"


def test_proposal_digest_ignores_how_numbers_were_written_but_not_their_values() -> None:
    def of(arguments: dict[str, object]) -> str:
        return proposal_digest(Proposal(action=ToolCall("t", arguments)))

    assert of({"a": 1, "b": 100}) == of({"b": 1.0e2, "a": 1.0})
    assert of({"a": 1, "b": 100}) != of({"a": 1, "b": 101})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (1450.0, "1450"), (0.5, "0.5"), (-2.25, "-2.25"), (0.001, "0.001"),
        (9007199254740993.0, "9007199254740992"), (1e20, "100000000000000000000"), (1e21, "1e+21"),
        (0.000001, "0.000001"), (1e-7, "1e-7"), (123e-20, "1.23e-18"), (4.5e300, "4.5e+300"),
        (333333333.33333329, "333333333.3333333"), (1e23, "1e+23"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (9007199254740993, "9007199254740992"),
    ],
)
def test_format_number_writes_numbers_as_rfc_8785_prescribes(value: float, expected: str) -> None:
    assert format_number(value) == expected


def test_canonical_json_sorts_keys_by_utf16_code_unit_not_code_point() -> None:
    # By code point U+FB01 comes before U+1F600; by UTF-16 code unit, as RFC 8785 wants, U+1F600 (0xD83D 0xDE00)
    # comes first.
    assert canonical_json({"\ufb01": 2, "\U0001f600": 1}) == '{"\U0001f600":1,"\ufb01":2}'


def test_canonical_json_refuses_what_is_not_json() -> None:
    with pytest.raises(ValueError):
        canonical_json({"a": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"a": object()})


def _random_text(rng: random.Random) -> str:
    alphabet = ["a", "Z", "0", " ", '"', "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "é", "ß", "€", "\u2028", "\ufb01", "\U0001f600", "/", "<"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))


def _random_number(rng: random.Random) -> float | int:
    return rng.choice([
        lambda: rng.randint(-(2**31), 2**31),
        lambda: rng.randint(-1000, 1000) / 100,
        lambda: 10.0 ** rng.randint(-30, 30),
        lambda: rng.uniform(-1e6, 1e6),
        lambda: rng.random() * 10 ** rng.randint(-10, 22),
    ])()


def _random_arguments(rng: random.Random, depth: int = 0) -> dict[str, object]:
    arguments: dict[str, object] = {}
    for _ in range(rng.randint(0, 5)):
        kind = rng.randint(0, 6 if depth == 0 else 4)
        value: object = [
            lambda: _random_text(rng), lambda: _random_number(rng), lambda: rng.random() < 0.5, lambda: None,
            lambda: _random_number(rng), lambda: _random_arguments(rng, depth + 1),
            lambda: [_random_number(rng), _random_text(rng), None, rng.random() < 0.5][: rng.randint(0, 4)],
        ][kind]()
        arguments[_random_text(rng) or "k"] = value
    return arguments


def test_proposal_digest_agrees_with_the_server_for_random_proposals(server: Server, agent: HandoffClient) -> None:
    # The server's digest is the oracle: a blocked case comes back with its decision, and so with proposalDigest.
    rng = random.Random(20261206)
    for i in range(40):
        proposal = Proposal(
            text=_random_text(rng) if i % 3 != 1 else None,
            action=ToolCall("t" + _random_text(rng), _random_arguments(rng)) if i % 3 != 0 else None,
            confidence=rng.random() if i % 4 else None,
        )
        submitted = agent.submit_case("action", summary="digest check", facts={"block": True}, proposal=proposal)

        assert submitted.case.decision is not None
        assert submitted.proposal_digest == submitted.case.decision.proposal_digest, proposal
