"""JSON in the canonical form the server hashes: RFC 8785 (JCS) with null object members dropped.

Written from the definition in docs/api.md ("Verifying the digests"), as the .NET SDK's CanonicalJson is, so that
the SDK shares no code with the server and a bug cannot hide on both sides at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["canonical_json", "format_number"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canonical_json(value: Any) -> str:
    """The canonical text of a JSON value (dicts, lists, str, int, float, bool, None); ``None`` alone is ``null``."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, to: list[str]) -> None:
    # bool first: it is an int to Python, and true/false to JSON.
    if value is None:
        to.append("null")
    elif value is True:
        to.append("true")
    elif value is False:
        to.append("false")
    elif isinstance(value, str):
        _write_string(value, to)
    elif isinstance(value, (int, float)):
        to.append(format_number(value))
    elif isinstance(value, Mapping):
        to.append("{")
        members = [(k, v) for k, v in value.items() if v is not None]
        for k, _ in members:
            if not isinstance(k, str):
                raise TypeError(f"JSON object keys are text; got {type(k).__name__} {k!r}.")
        # RFC 8785 sorts by UTF-16 code unit, as .NET's ordinal comparison does; Python compares code points, which
        # differs between supplementary characters and U+E000-U+FFFF. Big-endian UTF-16 bytes compare like code units.
        members.sort(key=lambda m: m[0].encode("utf-16-be", "surrogatepass"))
        for i, (k, v) in enumerate(members):
            if i:
                to.append(",")
            _write_string(k, to)
            to.append(":")
            _write(v, to)
        to.append("}")
    elif isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        to.append("[")
        for i, item in enumerate(value):
            if i:
                to.append(",")
            _write(item, to)  # a null inside an array stays: only object members are dropped
        to.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value.")


def _write_string(value: str, to: list[str]) -> None:
    to.append('"')
    for c in value:
        escaped = _ESCAPES.get(c)
        if escaped is not None:
            to.append(escaped)
        elif c < " ":
            to.append(f"\\u{ord(c):04x}")
        else:
            to.append(c)
    to.append('"')


def format_number(value: int | float) -> str:
    """A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 section 3.2.2.3).

    Every number is taken as the double it reads as (an int beyond 2**53 loses precision, as it does on the server):
    the shortest digits that read back as the same double, plain from 1e-6 up to 1e21, with an exponent outside.
    """
    number = float(value)  # OverflowError for an int beyond any double, which the server refuses too
    if not math.isfinite(number):
        raise ValueError(f"JSON has no number {number}.")
    if number == 0:
        return "0"  # and -0
    digits, n = _decompose(repr(abs(number)))
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        exponent = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent)}"
    return "-" + text if number < 0 else text


def _decompose(shortest: str) -> tuple[str, int]:
    """Splits repr's "123.45e-3" into its significant digits ("12345") and where the point goes before them (0)."""
    mantissa, _, exponent_text = shortest.lower().partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    significant = all_digits.lstrip("0")
    point_at = len(whole) - (len(all_digits) - len(significant)) + exponent
    return significant.rstrip("0"), point_at
