"""The one text policy: which characters may not reach a terminal from
data, and how aideps shows them when they come from elsewhere.

`unsafe(text)` finds the first character that could change what a terminal
or an editor shows without being seen: control characters (C0, DEL, C1,
tab and line breaks included), bidi controls, line and paragraph
separators, zero-width characters, tag characters, noncharacters and lone
surrogates. `aideps validate` refuses them in a knowledge file; a message
that repeats an argument, a path or a variable shows them `escaped`.
"""

from __future__ import annotations

import re
import unicodedata

# (class in words, characters); the first class that holds a character names it.
CLASSES: tuple[tuple[str, str], ...] = (
    ("a control character", "\x00-\x1f\x7f-\x9f"),
    ("a bidi control", "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"),
    ("a line or paragraph separator", "\u2028\u2029"),
    ("a zero-width character", "\u200b-\u200d\u2060-\u2064\ufeff"),
    ("a tag character", "\U000e0000-\U000e007f"),
    ("a lone surrogate", "\ud800-\udfff"),
    (
        "a noncharacter",
        "\ufdd0-\ufdef\ufffe\uffff"
        + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)),
    ),
)
UNSAFE = re.compile("[" + "".join(chars for _, chars in CLASSES) + "]")


def what(char: str) -> str:
    """The class of an unsafe character, in words ('a bidi control')."""
    for words, chars in CLASSES:  # (compiled when asked: only a refusal asks, and compiling all costs every run ~3 ms)
        if re.match(f"[{chars}]", char):
            return words
    return "a character"


def unsafe(text: str) -> tuple[int, str, str] | None:
    """(index, character, its class in words) of the first character of
    `text` that may not be shown as it is, or None when there is none."""
    match = UNSAFE.search(text)
    if match is None:
        return None
    char = match.group()
    return match.start(), char, what(char)


def code(char: str) -> str:
    """A character as U+XXXX, with its Unicode name when it has one."""
    name = unicodedata.name(char, "")
    if not name and char in "\t\n\r":
        name = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}[char]
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _escape(match: re.Match) -> str:
    n = ord(match.group())
    if 0xDC80 <= n <= 0xDCFF:  # a byte that was not UTF-8 in an argument or a file name (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    if n < 0x100:
        return f"\\x{n:02x}"
    if n < 0x10000:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def escaped(text: str) -> str:
    """`text` with every unsafe character written as an escape (\\x1b,
    \\u202e, \\U000e0041); everything else as it is."""
    return UNSAFE.sub(_escape, text)


__all__ = ["CLASSES", "UNSAFE", "code", "escaped", "unsafe", "what"]
