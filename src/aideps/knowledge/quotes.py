"""Quotes against the texts of their sources: reading a source's text (a
bare file name, in one folder, and nothing else ever), and comparing a quote
with it as a person would (white space, curly quotes and dashes made plain;
an ellipsis leaves words out)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

MAX_TEXT_BYTES = 20_000_000  # a source text is an article, not a data dump

_QUOTE_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as quotes are compared: typographic quotes, dashes, ellipses and white space made plain. Case is kept."""
    return _SPACE.sub(" ", text.translate(_QUOTE_TABLE)).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """Is `quote` in `text` (both normalised)? An ellipsis in the quote stands for omitted words."""
    if quote in text:
        return True
    if "..." not in quote:
        return False
    start = 0
    for piece in quote.split("..."):
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True


def matching_prefix(quote: str, text: str) -> int:
    """Length of the longest start of `quote` that is in `text`."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    return lo


def load_texts(
    sources: Iterable[tuple[Any, Any]], report: Any, base_dir: Path | None, sources_dir: Path | None
) -> dict[str, list[str]]:
    """The normalised texts of the sources that list readable ones, by source
    id, from (id, `text` list) of each source in file order; says in `report`
    which sources were checked and which skipped (and why)."""
    texts: dict[str, list[str]] = {}
    for ident, paths in sources:
        if not isinstance(ident, str) or ident in texts or ident in report.sources_skipped:
            continue
        if not isinstance(paths, list) or not any(isinstance(p, str) for p in paths):
            report.sources_skipped[ident] = "no `text` listed"
            continue
        loaded, why, missing = [], "", False
        for p in paths:
            if not isinstance(p, str):
                continue
            text, why, missing = read_text(p, base_dir, sources_dir)
            if text is None:
                break
            loaded.append(normalise(text))
        else:
            texts[ident] = loaded
            report.sources_checked.append(ident)
            continue
        report.sources_skipped[ident] = why
        if missing:
            report.sources_missing.append(ident)
    return texts


def quote_problem(texts: dict[str, list[str]], ref: Any, quote: Any, report: Any) -> str | None:
    """None when `quote` is in the text of source `ref` (or cannot be
    compared: no text); else the end of the message ("is not in the text
    of ..."). Counts the quotes compared in `report.quote_count`."""
    if not isinstance(quote, str) or not isinstance(ref, str) or ref not in texts or not quote.strip():
        return None
    report.quote_count += 1
    wanted = normalise(quote)
    if any(quote_in_text(wanted, t) for t in texts[ref]):
        return None
    matched = max(matching_prefix(wanted, t) for t in texts[ref])
    hint = ""
    if matched >= 20:
        hint = f"; it matches the text up to '…{wanted[max(0, matched - 40):matched]}'"
    from aideps.knowledge.words import short

    return (
        f"is not in the text of source '{ref}': "
        f"\"{short(quote, 80)}\"{hint} (compared ignoring white space, curly quotes and dashes)"
    )


def read_text(name: str, base_dir: Path | None, sources_dir: Path | None) -> tuple[str | None, str, bool]:
    """(text, why not, not found) of the source text `name`: a bare file name
    in `sources_dir`, else in `base_dir`. Nothing else is ever opened: not a
    path, not a link that leads out of that folder, not a device or a FIFO."""
    import os
    import stat

    from aideps.knowledge.model import check_text_name

    if check_text_name(name) is not None:
        return None, f"not a bare file name, so not read: '{name}'", False
    folder = sources_dir if sources_dir is not None else base_dir
    if folder is None:
        return None, f"no folder to find '{name}' in", True
    shown = Path(folder) / name
    try:
        root = Path(folder).resolve(strict=True)
        if not root.is_dir():
            return None, f"not a folder: {folder}", True
        real = (root / name).resolve(strict=True)
    except FileNotFoundError:
        return None, f"text file not found: {shown}", True
    except (OSError, RuntimeError) as exc:  # a loop of links, a permission
        return None, f"cannot read {shown}: {getattr(exc, 'strerror', None) or exc}", False
    if real.parent != root:
        return None, f"text file {shown} is a link to a file outside {folder}; copy the text into the folder", False
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, f"cannot read {shown}: {exc.strerror or exc}", False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, f"text path is not a regular file: {shown}", False
        if info.st_size > MAX_TEXT_BYTES:
            return None, f"text file is larger than {MAX_TEXT_BYTES // 1_000_000} MB: {shown}", False
        with os.fdopen(fd, "rb", closefd=False) as fh:
            content = fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        return None, f"cannot read {shown}: {exc.strerror or exc}", False
    finally:
        os.close(fd)
    if len(content) > MAX_TEXT_BYTES:
        return None, f"text file is larger than {MAX_TEXT_BYTES // 1_000_000} MB: {shown}", False
    try:
        return content.decode("utf-8-sig"), "", False
    except UnicodeDecodeError:
        return None, f"text file is not UTF-8: {shown}", False
