"""JSON output: the json module only, never Rich (Rich wraps long lines).

Every command's document is the finished result from aideps.graph, as
documented in docs/json.md: exact numbers, dates as strings, UTF-8. Strict
JSON: a NaN or an infinity is refused (NotJSON), never written as the
`NaN` / `Infinity` that JSON parsers reject.
"""

from __future__ import annotations

import sys

from aideps.graph.stream import SizedStream, Stream

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import IO, Any, Iterator


class NotJSON(ValueError):
    """A value that strict JSON cannot hold (NaN, an infinity)."""


def dumps(document: Any) -> str:
    """The document as `json.dumps(indent=2, ensure_ascii=False,
    allow_nan=False)` writes it, and a newline (encoded by `_Encoder`: about
    twice as fast)."""
    return "".join(chunks(document))


def chunks(document: Any) -> Iterator[str]:
    """`dumps(document)` in pieces of some tens of kilobytes: a large
    document (a hub's tens of thousands of relationships) is written as it is
    encoded, without holding all its text at once. Encoded by `_Encoder`,
    which writes what `json.dumps(indent=2, ensure_ascii=False)` writes
    (tests/test_render.py compares them) about twice as fast: the json
    module's own encoder is pure Python as soon as it indents."""
    encoder = _Encoder()
    yield from encoder.chunks(document)
    yield "\n"


class _Encoder:
    """JSON with an indent of 2, as json.dumps writes it (allow_nan=False, no sort)."""

    CHUNK = 1 << 16
    # orjson costs some 45 ms to import (it imports dataclasses, uuid,
    # zoneinfo...): more than this class takes to write most answers. It is
    # taken once a document has grown past this many characters.
    FAST_AFTER = 1 << 18
    # ... or as soon as a list this long begins (with dicts or lists in it:
    # a thousand such items make some hundreds of kilobytes).
    FAST_FROM = 1000

    def __init__(self) -> None:
        from json.encoder import encode_basestring

        self.string = encode_basestring
        self.out: list[str] = []
        self.size = 0
        self.written = 0  # characters flushed so far
        self.fast: "tuple[Any, Any] | bool | None" = None  # orjson, once the document is large
        self.eager = False  # a long list has begun: take orjson at its first dict or list

    def _whole(self, value: Any, newline: str) -> bool:
        """Write a dict or list at once by orjson (C, some twenty times quicker
        than this class): a list's items and a dict's dict values (a dict's
        list values are written item by item, so that a long list comes in
        pieces), and only when it writes exactly what json writes: its compact
        text must equal the json module's own compact text (C too), else
        this class writes it. They differ on floats below 1e-4 (0.00001 for
        1e-05), NaN and infinities (null for json's refusal), integers beyond
        64 bits and lone surrogates (which orjson refuses): those go the slow,
        exact way."""
        fast = self.fast
        if not fast:
            if fast is False or (not self.eager and self.written + self.size < self.FAST_AFTER):
                return False
            fast = self.fast = _fast_encoder() or False
            if not fast:  # pragma: no cover - orjson is a dependency
                return False
        orjson, compact = fast  # type: ignore[misc]
        try:
            if orjson.dumps(value) != compact(value).encode("utf-8"):
                return False
            text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
        except (TypeError, ValueError, OverflowError, RecursionError, UnicodeError):
            return False
        if newline != "\n":
            text = text.replace("\n", newline)
        self.out.append(text)
        self.size += len(text)
        return True

    def chunks(self, document: Any) -> Iterator[str]:
        yield from self._value(document, "\n")
        if self.out:
            yield "".join(self.out)

    def _flush(self) -> Iterator[str]:
        if self.size >= self.CHUNK:
            yield "".join(self.out)
            self.out.clear()
            self.written += self.size
            self.size = 0

    def _scalar(self, value: Any) -> str | None:
        if isinstance(value, str):
            return self.string(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            if value != value or value in (float("inf"), -float("inf")):
                raise NotJSON(f"a number JSON cannot hold (NaN or infinity): {float.__repr__(value)}")
            return float.__repr__(value)
        return None

    def _value(self, value: Any, newline: str) -> Iterator[str]:
        out = self.out
        text = self._scalar(value)
        if text is not None:
            out.append(text)
            self.size += len(text)
            return
        if isinstance(value, dict):
            if not value:
                out.append("{}")
                return
            inner = newline + "  "
            out.append("{")
            first = True
            for key, item in value.items():
                if isinstance(key, str):
                    shown = self.string(key)
                else:
                    scalar = self._scalar(key)
                    if scalar is None:
                        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
                    shown = scalar if isinstance(key, str) else self.string(scalar)
                out.append(("" if first else ",") + inner + shown + ": ")
                first = False
                text = self._scalar(item)
                if text is not None:
                    out.append(text)
                    self.size += len(text) + len(shown) + 4
                elif isinstance(item, dict) and self._whole(item, inner):
                    yield from self._flush()
                else:
                    yield from self._value(item, inner)
            out.append(newline + "}")
            yield from self._flush()
            return
        if isinstance(value, (list, tuple, Stream)):
            if not self.eager and self.fast is None and isinstance(value, (list, tuple, SizedStream)):
                self.eager = len(value) >= self.FAST_FROM
            inner = newline + "  "
            first = True
            for item in value:
                out.append(("[" if first else ",") + inner)
                first = False
                text = self._scalar(item)
                if text is not None:
                    out.append(text)
                    self.size += len(text) + 4
                elif isinstance(item, (dict, list)) and self._whole(item, inner):
                    yield from self._flush()
                else:
                    yield from self._value(item, inner)
            if first:  # nothing in it
                out.append("[]")
                return
            out.append(newline + "]")
            yield from self._flush()
            return
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _fast_encoder() -> "tuple[Any, Any] | None":
    """orjson and the json module's compact C encoder, or None without orjson."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; the exact encoder stands in
        return None
    from json import encoder

    if encoder.c_make_encoder is None:  # pragma: no cover - CPython has it
        return None

    def refuse(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    # json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")),
    # its C encoder made once (json.dumps makes one per call), without the
    # check for circular references (a document is a tree; RecursionError
    # would end a cycle).
    c_encoder = encoder.c_make_encoder(None, refuse, encoder.encode_basestring, None, ":", ",", False, False, False)

    def compact(value: Any) -> str:
        return "".join(c_encoder(value, 0))

    return orjson, compact
