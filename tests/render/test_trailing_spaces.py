"""Rich pads every cell with spaces; the Rich kit strips them at the end of
each line, before any colour codes that end it. Done line by line: a regular
expression over the whole text backtracked on each run of padding (minutes
for a wide timeline of a few thousand rows)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from aideps.render.richkit import without_trailing_spaces

ONE_LINE = re.compile(r"^(.*?)[ ]*((?:\x1b\[[0-9;]*m)*)$", re.DOTALL)


def reference(text: str) -> str:
    """The same, said the slow and obvious way: line by line, a full match."""
    out = []
    for line in text.split("\n"):
        body, tail = ONE_LINE.match(line).groups()
        out.append(body + tail)
    return "\n".join(out)


pieces = st.sampled_from([" ", "  ", "a", "m", "\n", "\x1b[0m", "\x1b[1;31m", "\x1b[", "é"])


@given(st.lists(pieces, max_size=60).map("".join))
def test_strips_exactly_the_padding_before_the_closing_colour_codes(text):
    assert without_trailing_spaces(text) == reference(text)


def test_a_wide_padded_screen():
    row = "x" + " " * 3000 + "y" + " " * 3000 + "\x1b[0m"
    assert without_trailing_spaces("\n".join([row] * 50)) == "\n".join(["x" + " " * 3000 + "y\x1b[0m"] * 50)
