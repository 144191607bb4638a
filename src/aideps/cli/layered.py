"""The command line's side of layered and lenient reading (aideps.knowledge.layers,
aideps.index.layers): the warning of a lenient query, and `validate` of several --data."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from os import PathLike as Path
    from typing import Any


def warn(store: Any) -> None:
    """A lenient query on a file with problems says so on stderr, with the first few."""
    meta = getattr(getattr(store, "index", None), "meta", None) or {}
    count = meta.get("problems") or 0
    if not count:
        return
    import marshal

    from aideps.render import fmt

    try:
        files = marshal.loads(meta.get("layers") or b"")
    except (EOFError, ValueError, TypeError):
        files = []
    where = ", ".join(str(f) for f in files) or "the knowledge file"
    shown = str(meta.get("shown") or "")
    print(f"aideps: {fmt.plural(count, 'problem')} in {where}, answering anyway (--lenient):", file=sys.stderr)
    for line in shown.splitlines():
        print(f"  {line}", file=sys.stderr)
    if count > len(shown.splitlines()):
        print(f"  ... and {count - len(shown.splitlines())} more (aideps validate lists them all)", file=sys.stderr)



def validate(call: Any, paths: list[Path], sources_dir: Path | None, no_quotes: bool, as_json: bool) -> int:
    """`validate` of several --data: each file (its quotes against its own sources), then the ids they share."""
    from aideps.knowledge.layers import clashes, outside_of
    from aideps.knowledge.scan import check_path
    from aideps.knowledge.text import escaped
    from aideps.render import fmt, jsonout

    reports: list = []
    for path in paths:
        reports.append(check_path(path, sources_dir=sources_dir, check_quotes=not no_quotes, outside=outside_of(reports)))
    across, _ = clashes(reports)
    problems = [p for r in reports for p in r.problems] + across
    errors = [p for p in problems if p.severity == "error"]
    notes = len(problems) - len(errors)
    names = ", ".join(escaped(str(p)) for p in paths)
    if as_json:
        call.out.write(
            jsonout.dumps(
                {
                    "files": [str(p) for p in paths],
                    "ok": not errors,
                    "errors": len(errors),
                    "notes": notes,
                    "problems": [p.to_json() for p in problems],
                    "counts": [r.counts for r in reports],
                }
            )
        )
        call.out.flush()
        return 0 if not errors else 1
    call.out.write_lines(str(p) for p in problems)
    call.out.flush()
    said = f", {fmt.plural(notes, 'note')}" if notes else ""
    if errors:
        print(f"{fmt.plural(len(errors), 'error')}{said} in {names}", file=sys.stderr)
        return 1
    total = {k: sum(r.counts.get(k) or 0 for r in reports) for k in ("entities", "relationships")}
    print(
        f"{names}: ok, layered: {fmt.plural(total['entities'], 'entity', 'entities')}, "
        f"{fmt.plural(total['relationships'], 'relationship')} in all{said}",
        file=sys.stderr,
    )
    return 0
