"""The one text policy for what aideps prints that came from arguments,
file names or the environment: characters that could forge a line, move
the cursor, reorder text or hide themselves are shown escaped.

(A placeholder: the full policy, shared with validate, replaces it.)
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1), bidi controls, line and paragraph
# separators, zero-width characters and other invisible format characters,
# tag characters, noncharacters and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ufdd0-\ufdef\ud800-\udfff"
    "\U000e0000-\U000e007f]"
    "|[\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff\U0009fffe\U0009ffff"
    "\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff"
    "\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escaped(text: str) -> str:
    """`text` with every unsafe character written as an escape (`\\x1b`,
    `\\u202e`, `\\U000e0041`); everything else unchanged. A byte that was not
    UTF-8 in an argument or a file name (a surrogate escape) shows as `\\xe9`."""
    return _UNSAFE.sub(_escape, text)
