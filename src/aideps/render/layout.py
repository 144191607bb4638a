"""Rich's layout rules, as plain functions: how a line of text wraps
(rich._wrap.divide_line, Text.wrap), how a table shares a line between its
columns (rich.table's collapsing and ratio reduction), and aideps's own rule
for a table's key column (a long id folded after its hyphens). The plain kit
(aideps.render.lite) draws with them; richkit folds key columns with them,
so that both draw the same. Characters here are one cell wide (lite checks).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable

FOLD_MIN = 8  # a key column (a long id) is never folded narrower: records then
LONG_WORD = 30  # a longer word (a URL, a hash) folds rather than turn a table into records
FOLD_ROUNDS = 4  # fold_long: how many times the kits fold again at the widths drawn
_WORD = re.compile(r"\s*\S+\s*")


class Unsupported(Exception):
    """Something the plain kit does not draw exactly as Rich: use Rich."""


def divide_line(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line (fold=False: a word is never split) for text of one-cell characters."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start = match.start()
        word = match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if start:
                breaks.append(start)
            offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` (which may hold line breaks) wrapped at `width`, as
    Rich wraps a Text with overflow="ellipsis": a word wider than `width`
    keeps a line of its own, cut to `width` and ending in `…`."""
    if width < 1:
        raise Unsupported("width")
    if len(text) <= width and "\n" not in text:  # one line that fits (most): nothing to divide
        return [text]
    lines: list[str] = []
    for line in text.split("\n"):
        offsets = divide_line(line, width)
        starts = [0, *offsets]
        ends = [*offsets, len(line)]
        for a, b in zip(starts, ends):
            piece = line[a:b]
            if len(piece) > width:  # Text.rstrip_end, then Text.truncate(overflow="ellipsis")
                stripped = piece.rstrip(" ")
                piece = piece[: max(width, len(stripped))]
                if len(piece) > width:
                    piece = piece[: width - 1] + "…"
            lines.append(piece)
    return lines


def ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(most, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def collapse(widths: list[int], wraps: list[bool], most: int) -> list[int]:
    """Table._collapse_widths: narrow the widest wrapping columns first."""
    total = sum(widths)
    excess = total - most
    if any(wraps):
        while total and excess > 0:
            widest = max(width for width, wrapping in zip(widths, wraps) if wrapping)
            second = max(width if wrapping and width != widest else 0 for width, wrapping in zip(widths, wraps))
            difference = widest - second
            ratios = [1 if width == widest and wrapping else 0 for width, wrapping in zip(widths, wraps)]
            if not any(ratios) or not difference:
                break
            widths = ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - most
    return widths


_SPACE_AT_END = re.compile(r"\s+$")


def truncate(text: str, width: int, overflow: str) -> str:
    if len(text) > width:
        return text[: width - 1] + "…" if overflow == "ellipsis" else text[:width]
    return text


def cell_lines(text: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """Text.wrap of a cell's text at `width`, justified: its lines, each `width` wide."""
    if len(text) <= width and "\n" not in text:  # most cells: one line that fits, nothing to wrap
        return [text.rstrip().rjust(width) if justify == "right" else text.ljust(width)]
    out = []
    for line in text.split("\n"):
        if no_wrap:
            if len(line) > width and line[-1:].isspace():
                raise Unsupported("no_wrap")  # Rich releases differ on its trailing spaces
            pieces = [line]
        else:
            if overflow == "fold" and any(len(word.rstrip()) > width for word in _WORD.findall(line)):
                raise Unsupported("fold")
            offsets = divide_line(line, width)
            pieces = [line[a:b] for a, b in zip([0, *offsets], [*offsets, len(line)])]
            for k, piece in enumerate(pieces):  # Text.rstrip_end
                if len(piece) > width:
                    space = _SPACE_AT_END.search(piece)
                    if space:
                        pieces[k] = piece[: len(piece) - min(len(space.group()), len(piece) - width)]
        for piece in pieces:
            if justify == "right":
                piece = truncate(piece.rstrip(), width, overflow)
                out.append(" " * (width - len(piece)) + piece)
            else:
                out.append(truncate(piece, width, overflow).ljust(width))
    return out


# ---- key columns: a long id folds rather than push the table into records ---


def key_columns(columns: list[tuple[bool, str]]) -> list[int]:
    """The key columns of a table, given each column's (no_wrap, overflow): those
    declared no_wrap with overflow "fold" (kit.Kit.table): one line each, unless
    the table cannot be drawn otherwise; then folded (`fold_keys`)."""
    return [n for n, (no_wrap, overflow) in enumerate(columns) if no_wrap and overflow == "fold"]


_AFTER_HYPHEN = re.compile(r"[^-]*-|[^-]+$")
_AFTER_HYPHEN_OR_SLASH = re.compile(r"[^-/]*[-/]|[^-/]+$")


def fold_id(text: str, width: int, pieces: re.Pattern[str] = _AFTER_HYPHEN) -> str:
    """`text` over lines of at most `width` characters, broken after a hyphen
    (or what `pieces` ends a piece with) where it can be, else cut:
    'application-\nspecific-chips'."""
    if len(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for piece in pieces.findall(text) or [text]:
        if len(line) + len(piece) <= width:
            line += piece
            continue
        if line:
            lines.append(line)
        while len(piece) > width:
            lines.append(piece[:width])
            piece = piece[width:]
        line = piece
    if line:
        lines.append(line)
    return "\n".join(lines)


def fold_keys(headers: list[str], rows: list[list[str]], keys: list[int], width: int) -> list[list[str]] | None:
    """`rows` with the cells of the key columns folded (`fold_id`) to the room
    the other columns leave on a line `width` wide at their narrowest (their
    longest word), shared evenly; None when that is under FOLD_MIN."""
    count = len(headers)
    padding = [(0 if n == 0 else 1) + (0 if n == count - 1 else 1) for n in range(count)]
    room = width - (count - 1)
    for n in range(count):
        if n in keys:
            room -= padding[n]
            continue
        room -= max(map(len, " ".join([headers[n], *(row[n] for row in rows)]).split()), default=0) + padding[n]
    share = room // len(keys)
    if share < max(FOLD_MIN, *(len(headers[n]) for n in keys)):
        return None
    return [[fold_id(text, share) if n in keys else text for n, text in enumerate(row)] for row in rows]


def fold_long(
    headers: list[str], rows: list[list[str]], columns: list[tuple[bool, str]], width: int, caps: list[int] | None = None
) -> tuple[list[int], list[list[str]]] | None:
    """`rows` with what is too long for a table on a line `width` wide folded,
    and each column's length folded at: the ids of its key columns
    (`key_columns`) and, in its wrapping columns, each word longer than that
    (a URL: after a `/` or `-` where it can be). The lengths are `caps`, or
    one for all: the longest that lets every column fit at its narrowest (its
    longest word), never under LONG_WORD. None when there is no such length,
    or nothing that long. (Tried when neither the table nor `fold_keys`
    fits: one long URL in one cell would otherwise print every row as a
    record. Rich may draw a column narrower than its longest word: the kits
    then fold again, at the widths drawn.)"""
    count = len(headers)
    keys = set(key_columns(columns))
    longest: list[int] = []  # each column's longest word
    floor: list[int] = []  # what folding leaves of it: its header's longest word, or all of it
    for n, (no_wrap, _) in enumerate(columns):
        header = max(map(len, headers[n].split()), default=0)
        longest.append(max(header, max(map(len, " ".join([row[n] for row in rows]).split()), default=0)))
        floor.append(header if n in keys or not no_wrap else longest[-1])
    if caps is None:
        room = width - (count - 1) - sum((0 if n == 0 else 1) + (0 if n == count - 1 else 1) for n in range(count))

        def narrowest(cap: int) -> int:
            return sum(max(low, min(high, cap)) for low, high in zip(floor, longest))

        if max(longest, default=0) <= LONG_WORD or narrowest(LONG_WORD) > room:
            return None
        low, high = LONG_WORD, max(longest)  # the longest length that fits, by bisection
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if narrowest(middle) <= room else (low, middle - 1)
        caps = [low] * count
    foldable = [n for n in range(count) if floor[n] < longest[n] and caps[n] < longest[n]]
    if not foldable or min(caps[n] for n in foldable) < FOLD_MIN:
        return None
    out = [list(row) for row in rows]
    for n in foldable:
        for row in out:
            row[n] = fold_words(row[n], caps[n])
    return caps, out


def folded_table(
    headers: list[str], rows: list[list[str]], columns: list[tuple[bool, str]], width: int, drawn: "Callable[[list[list[str]]], tuple[Any, list[int]]]"
) -> Any:
    """A kit's table with its long ids and words folded (`fold_long`), or None.
    `drawn(texts)` makes the kit's table of the folded texts and says the
    widths (padding included) it would draw its columns at: while a column
    is drawn narrower than it was folded for, it is folded again at that;
    None as soon as that squeezes a column of prose (`roomy`)."""
    caps: list[int] | None = None
    last = len(columns) - 1
    table = None
    for _ in range(FOLD_ROUNDS):
        folded = fold_long(headers, rows, columns, width, caps)
        if folded is None:
            return None
        caps, texts = folded
        table, widths = drawn(texts)
        inners = [w - (n > 0) - (n < last) for n, w in enumerate(widths)]
        if not roomy(headers, texts, columns, inners):
            return None
        narrower = [min(cap, inner) for cap, inner in zip(caps, inners)]
        if narrower == caps:
            break
        caps = narrower
    return table


def fold_words(text: str, width: int) -> str:
    """`text` with each word longer than `width` folded over lines of at most
    `width` (`fold_id`, after a `/` or `-` where it can be): a URL, kept whole."""
    if len(text) <= width or width < 1 or max(map(len, text.split()), default=0) <= width:
        return text
    return re.sub(rf"\S{{{width + 1},}}", lambda match: fold_id(match.group(), width, _AFTER_HYPHEN_OR_SLASH), text)


def roomy(headers: list[str], rows: list[list[str]], columns: list[tuple[bool, str]], inners: list[int]) -> bool:
    """Whether each wrapping column of a folded table (`fold_long`) is drawn
    at least LONG_WORD wide (`inners`: the widths inside their padding), or
    as wide as its longest line: a table whose prose is squeezed narrower
    reads worse than its rows as records."""
    for n, (no_wrap, _) in enumerate(columns):
        if no_wrap:
            continue
        longest = max(map(len, "\n".join([headers[n], *(row[n] for row in rows)]).split("\n")))
        if inners[n] < min(longest, LONG_WORD):
            return False
    return True


def extent(texts: list[str]) -> tuple[int, int]:
    """The longest word and the longest line of `texts`."""
    joined = " ".join(texts)
    if joined.isprintable() and "  " not in joined and joined[:1] != " " and joined[-1:] != " ":
        # One line per cell, words split by single spaces, no blank
        # cell (most columns): the same answer, in C. (Printable text
        # has no line break, and no white space but the ASCII space.)
        return max(map(len, joined.split(" "))), max(map(len, texts))
    # Per text: its longest word (no longer than its line), or, without a
    # word (blank), its longest line; counted over all the texts at
    # once, in C: a word is within a line, and joining the texts by
    # line breaks splits neither their words nor their lines.
    whole = "\n".join(texts)
    line = max(map(len, whole.splitlines()), default=0)
    word = max(map(len, whole.split()), default=0)
    blanks = [text for text in texts if not text.strip()]
    if blanks:
        word = max(word, max(map(len, "\n".join(blanks).splitlines()), default=0))
    return word, line
