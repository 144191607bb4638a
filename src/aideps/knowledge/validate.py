"""Checking a knowledge file read whole: every problem, located to file:line:column.

`check_bytes` / `check_file` parse the YAML (`aideps.knowledge.reader`) and
feed the document's items to the one checking engine
(`aideps.knowledge.engine`), which `aideps.knowledge.scan` feeds from a
stream: the models (errors rewritten into plain words), references between
ids, duplicate ids, names and aliases that would lead to two entities, date
order, amounts without a currency and quotes against the texts of their
sources. Cycles of dependency are valid data and come back as notes.

Importing this module imports yaml and pydantic; the query path never does.
"""

from __future__ import annotations

from pathlib import Path

from aideps.knowledge.engine import Engine, first_content_line
from aideps.knowledge.problems import DataError
from aideps.knowledge.quotes import MAX_TEXT_BYTES, normalise, quote_in_text
from aideps.knowledge.reader import items_of, parse
from aideps.knowledge.report import SECTIONS, Report


def check_file(
    path: Path,
    *,
    sources_dir: Path | None = None,
    check_quotes: bool = True,
    keep_data: bool = True,
    outside: dict | None = None,
) -> Report:
    """Check the knowledge file at `path`. A missing or unreadable file is a problem, not an exception."""
    from aideps.knowledge.files import read_bytes

    path = Path(path)
    try:
        content = read_bytes(path)
    except DataError as exc:
        return Report(str(path), problems=list(exc.problems))
    return check_bytes(
        content,
        str(path),
        base_dir=path.parent,
        sources_dir=sources_dir,
        check_quotes=check_quotes,
        keep_data=keep_data,
        outside=outside,
    )


def check_bytes(
    content: bytes | str,
    filename: str,
    *,
    base_dir: Path | None = None,
    sources_dir: Path | None = None,
    check_quotes: bool = True,
    keep_data: bool = True,
    outside: dict | None = None,
) -> Report:
    """Check a knowledge file's content; `filename` is what problems are located to.

    Source texts (`text:` bare file names) are looked up in `sources_dir`,
    else in `base_dir` (the knowledge file's folder), and nowhere else: not
    through a path, not through a link out of that folder. When there are
    no errors, `report.data` is the validated data (unless `keep_data` is
    false) and `report.counts` the number of items of each section.
    """
    data: dict[str, list] | None = {s: [] for s in SECTIONS} if keep_data else None

    def sink(section: str, index: int, item: dict) -> None:
        data[section].append(item)  # type: ignore[index]

    engine = Engine(
        filename,
        base_dir=base_dir,
        sources_dir=sources_dir,
        check_quotes=check_quotes,
        sink=sink if keep_data else None,
        outside=outside,
    )
    parsed = parse(content, filename)
    for record in items_of(parsed.data, parsed.locator):
        engine.feed(record)
    report = engine.finish(
        failed=parsed.data is None,
        problems=parsed.problems,
        root=parsed.data,
        locator=parsed.locator,
        empty_line=lambda: first_content_line(content),
    )
    if report.ok and data is not None:
        report.data = data
    return report


__all__ = ["MAX_TEXT_BYTES", "Report", "SECTIONS", "check_bytes", "check_file", "normalise", "quote_in_text"]
