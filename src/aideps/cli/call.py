"""What every command is given and the few steps they share: Call (the
global options and where output goes), Usage (a usage error, exit 2), the
output format chosen, the graph as of a date, the --stage/--health/--certainty
filter, and handing a result to aideps.render. Used by aideps.cli.run and
aideps.cli.run_export.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, TextIO

from aideps.cli import layered, output


class Usage(Exception):
    """A usage error (exit 2), worded for Click's `Invalid value for HINT: MESSAGE`."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class Call:
    """What every command is given besides its own options. (A plain class:
    dataclasses costs every run some 15 ms of imports.)"""

    def __init__(
        self,
        data: list[str] | None = None,  # --data, each time given (layered in order)
        no_color: bool = False,
        lenient: bool = False,  # --lenient or AIDEPS_LENIENT=1: answer despite problems that are not structural
        csv_raw: bool = False,  # --csv-raw: CSV cells exactly, formulas not neutralised
        out: TextIO | None = None,
    ) -> None:
        self.data = list(data or [])
        self.no_color = no_color
        self.lenient = lenient
        self.csv_raw = csv_raw
        self.out = out if out is not None else output.Out(sys.stdout)
        self.longest: int | None = None  # the longest text of the graph read (Store.longest_text), once read

    def __repr__(self) -> str:
        return f"Call(data={self.data!r}, no_color={self.no_color}, lenient={self.lenient}, csv_raw={self.csv_raw})"


def chosen_format(as_json: bool, as_csv: bool = False) -> str:
    if as_json and as_csv:
        raise Usage("choose one of --json and --csv", "'--json' / '--csv'")
    return "json" if as_json else "csv" if as_csv else "text"


def graph_of(call: Call, as_of: str | None = None):
    """The graph of the knowledge file (from its compiled index), as of a date when asked."""
    from aideps.graph import store

    paths = store.resolve_paths(call.data)  # several: layered
    target = paths[0] if len(paths) == 1 else paths
    graph = store.graph(target, lenient=True) if call.lenient else store.graph(target)
    _answering()
    layered.warn(graph.store)
    call.longest = graph.store.longest_text()
    if as_of is None:
        return graph
    from aideps.graph import asof

    return asof.at(graph, as_of)


# The cyclic garbage collector's thresholds while an answer is made from the
# index: a large answer keeps millions of small objects alive until it is
# written (records, views, names, sort records) and makes almost no
# reference cycles; at Python's defaults (700, 10, 10) the collector walks
# the long-lived ones again and again: a third of `tree HUB --reverse
# --depth 2` on a million relationships (42 -> 28 s, the same peak memory).
# Cycles are still collected, after 200,000 allocations rather than 700.
# Not while the index is built or a file validated: checking a million
# items leaves cycles that would pile up (430 MiB at these thresholds
# against 326; docs/design.md, "Answers that stream").
ANSWERING_GC = (200_000, 30, 30)


def _answering() -> None:
    import gc

    gc.set_threshold(*ANSWERING_GC)


def dated(result: dict, graph, *, always: bool = False) -> dict:
    """Say in the result which date it is as of (when it is; `always`: null otherwise)."""
    summary = graph.as_of_summary()
    if summary is not None or always:
        result["as_of"] = summary
    return result


def emit_view(call: Call, view: str, result: dict, fmt: str, **options: Any) -> None:
    from aideps.render import Options, emit

    emit(view, result, fmt, call.out, Options(no_color=call.no_color, csv_raw=call.csv_raw, longest=call.longest, **options))
    call.out.flush()


def where_of(stage, health, certainty, status):
    """The filter of --stage, --health and --certainty, with --status (format 1's
    words, through vocab.FORMAT1_STATUS) added; None when nothing is chosen."""
    from aideps.graph.where import Where, combine, from_status

    chosen = Where.of(stage or None, health or None, certainty or None)
    if status:
        chosen = combine(chosen, from_status(status))
    return chosen or None
