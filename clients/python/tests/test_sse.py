"""The SSE parser, fed the way a network feeds it: in pieces that split lines, CRLFs and UTF-8 characters."""

from __future__ import annotations

from handoff._sse import SseParser, SseEvent

STREAM = (
    "\ufeffid: 12\r\nevent: case.created\r\ndata: {\"a\":\"\u00e9\U0001f600\"}\r\n\r\n"
    ": keep-alive\n\n"
    "id: 13\n\n"
    "id: 14\revent: case.decided\rdata: one\rdata: two\r\r"
    "event: end\ndata: {\"status\":\"approved\"}\n\n"
).encode()


def events_of(pieces: list[bytes]) -> tuple[list[SseEvent], str | None]:
    parser = SseParser()
    events = [e for piece in pieces for e in parser.feed(piece)]
    return events, parser.last_event_id


def test_the_parser_reads_events_whole_or_a_byte_at_a_time_alike() -> None:
    expected = [
        SseEvent("case.created", '{"a":"\u00e9\U0001f600"}', "12"),
        SseEvent("case.decided", "one\ntwo", "14"),
        SseEvent("end", '{"status":"approved"}', "14"),
    ]

    assert events_of([STREAM]) == (expected, "14")
    assert events_of([STREAM[i : i + 1] for i in range(len(STREAM))]) == (expected, "14")


def test_an_id_without_data_moves_the_position_and_dispatches_nothing() -> None:
    events, last = events_of([b"id: 42\n\n", b": keep-alive\n\n"])

    assert (events, last) == ([], "42")


def test_a_block_cut_off_before_its_end_leaves_the_position_of_the_last_whole_one() -> None:
    # The stream breaks after the id of event 43 but before its empty line: a reconnect must ask for what follows 42.
    events, last = events_of([b"id: 42\n\n", b"event: case.decided\nid: 43\ndata: cut off"])

    assert (events, last) == ([], "42")
