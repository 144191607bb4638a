"""Output plumbing, once for every command and both ways in (Typer and the
fast path): stdout that degrades instead of crashing on a narrow encoding,
and what a user can cause turned into a message and an exit code, never a
traceback.

Exit codes (docs/design.md): 0 ok; 1 not found, invalid data, bad file, no
answer (`why` without a path, `search` without a match); 2 usage error; 130
interrupted; 141 the reader of stdout went away (as a process killed by
SIGPIPE).
"""

from __future__ import annotations

import os
import sys
from typing import Callable, TextIO

EXIT_PIPE = 141


class Out:
    """stdout for renderers: text that the stream's encoding cannot hold
    (PYTHONIOENCODING=ascii and the like) is replaced, not a crash."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        try:
            return self.stream.isatty()
        except (AttributeError, ValueError):
            return False

    def fileno(self) -> int:
        return self.stream.fileno()

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except UnicodeEncodeError:
            encoding = self.encoding
            return self.stream.write(text.encode(encoding, "replace").decode(encoding))

    def write_bytes(self, data: bytes) -> None:
        self.stream.flush()
        self.stream.buffer.write(data)
        self.stream.buffer.flush()

    def flush(self) -> None:
        self.stream.flush()  # here, where a closed pipe can still be caught


def silence_stdout() -> None:
    """After the reader of our stdout has gone: send whatever is still
    buffered to /dev/null, so the interpreter's last flush cannot complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - not a real file
        pass


def guarded(run: Callable[[], int]) -> int:
    """Run a command; what a user can cause becomes a message on stderr and
    an exit code: invalid data (1), a name that is not found (1), a closed
    pipe (quietly, 141). Usage errors pass through to the caller."""
    from aideps.graph.core import LookupFailed
    from aideps.knowledge.problems import DataError

    try:
        return run()
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except LookupFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:
        silence_stdout()
        return EXIT_PIPE
