"""What the import shows on a terminal: a progress bar over the files (Rich,
on stderr, only when stderr is a terminal) and the report wrapped to its width."""

from __future__ import annotations

import sys
from typing import Any


def wrapped(lines: list[str]) -> list[str]:
    """The report as is when piped; on a terminal, wrapped at word boundaries to its width."""
    if not sys.stderr.isatty():
        return lines
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns
    out: list[str] = []
    for line in lines:
        indent = "  " if line.startswith("  ") else ""
        out.extend(
            textwrap.wrap(line, width, subsequent_indent=indent + "  ", break_on_hyphens=False) or [""]
        )
    return out


class Progress:
    """A Rich progress bar over the files, only when stderr is a terminal; else nothing."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return lambda path: None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(transient=True, console=Console(stderr=True))
        self.bar.start()
        task = self.bar.add_task("reading cards", total=self.total)
        return lambda path: self.bar.advance(task)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
