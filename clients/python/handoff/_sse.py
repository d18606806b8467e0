"""An incremental parser of server-sent events, as the WHATWG HTML standard defines the format."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True)
class SseEvent:
    event: str
    data: str
    id: str | None


class SseParser:
    """Feed it the body's bytes as they arrive; it hands back each complete event.

    ``last_event_id`` follows every ``id:`` line, including one that comes with no data: the workspace stream names
    its position that way, and a reconnect resumes from it. As the standard has it, an id takes effect when its block
    ends (the empty line): a stream cut inside a block keeps the last whole block's id, so the event cut off comes again.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._pending = ""
        self._started = False
        self._event = ""
        self._data: list[str] = []
        self.last_event_id: str | None = None
        self._id_buffer: str | None = None

    def feed(self, chunk: bytes) -> list[SseEvent]:
        text = self._pending + self._decoder.decode(chunk)
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        events: list[SseEvent] = []
        start = 0
        while True:
            cr = text.find("\r", start)
            lf = text.find("\n", start)
            if cr < 0 and lf < 0:
                break
            if cr >= 0 and (lf < 0 or cr < lf):
                if cr + 1 == len(text):
                    break  # a CR at the end may be the first half of CRLF: wait for the next chunk
                end, following = cr, cr + 2 if text[cr + 1] == "\n" else cr + 1
            else:
                end, following = lf, lf + 1
            event = self._line(text[start:end])
            if event is not None:
                events.append(event)
            start = following
        self._pending = text[start:]
        return events

    def _line(self, line: str) -> SseEvent | None:
        if line == "":
            if self._id_buffer is not None:
                self.last_event_id = self._id_buffer
            if not self._data:
                self._event = ""
                return None
            event = SseEvent(self._event or "message", "\n".join(self._data), self.last_event_id)
            self._event, self._data = "", []
            return event
        if line.startswith(":"):
            return None  # a comment: the keep-alive
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id_buffer = value
        return None
