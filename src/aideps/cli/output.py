"""Output plumbing, once for every command and both ways in (Typer and the
fast path): stdout that degrades instead of crashing on a narrow encoding,
and what a user can cause turned into a message and an exit code, never a
traceback.

Exit codes (docs/design.md): 0 ok; 1 not found, invalid data, bad file, no
answer (`why` without a path, `search` without a match), stdout cannot be
written (closed, a full disk, any other write error: one line on stderr); 2
usage error; 130 interrupted; 141 the reader of stdout went away (a closed
pipe, EPIPE: quietly, as a process killed by SIGPIPE).
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any, Callable, TextIO

EXIT_PIPE = 141
EXIT_WRITE = 1


class WriteFailed(Exception):
    """Writing stdout failed. Not an OSError, so that nothing on the way
    (Click turns an EPIPE into exit 1) mistakes it for another failure."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error

    @property
    def pipe(self) -> bool:
        return isinstance(self.error, BrokenPipeError) or self.error.errno == errno.EPIPE


def failed_write(error: OSError) -> int:
    """After stdout could not be written: one line on stderr (none for a
    closed pipe), stdout silenced so that the interpreter's last flush does
    not complain; the exit code."""
    failure = WriteFailed(error)
    silence_stdout()
    if failure.pipe:
        return EXIT_PIPE
    try:
        print(f"aideps: cannot write the output: {failure}", file=sys.stderr)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stderr gone as well
        pass
    return EXIT_WRITE


class _Guarded:
    """sys.stdout whose write errors are WriteFailed (see `guard_stdout`)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise WriteFailed(exc) from None

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise WriteFailed(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Closed:
    """sys.stdout when the process was started with it closed (`>&-`):
    writing anything fails, as writing to a closed descriptor does."""

    encoding = "utf-8"
    errors = "strict"
    closed = False

    def write(self, text: str) -> int:
        if text:
            raise WriteFailed(OSError(errno.EBADF, "stdout is closed"))
        return 0

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    @property
    def buffer(self) -> "_Closed":
        return self


def guard_stdout() -> None:
    """At start: make every write error on stdout a WriteFailed, and a
    closed stdout one that fails on the first write. A closed descriptor 1
    is first taken by /dev/null, so that no file opened later (the index,
    the knowledge file) becomes our stdout by accident."""
    stream = sys.stdout
    closed = stream is None
    try:
        os.fstat(1)
    except OSError:
        closed = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            if devnull != 1:
                os.dup2(devnull, 1)
                os.close(devnull)
        except OSError:  # pragma: no cover
            pass
    sys.stdout = _Closed() if closed else _Guarded(stream)  # type: ignore[assignment]


def finish(code: Any) -> Any:
    """At the end: flush stdout while a failure can still become a message
    and an exit code; `code`, or the code of that failure."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except WriteFailed as exc:
        return failed_write(exc.error)
    except OSError as exc:
        return failed_write(exc)
    return code


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
            try:
                return self.stream.write(text)
            except UnicodeEncodeError:
                encoding = self.encoding
                return self.stream.write(text.encode(encoding, "replace").decode(encoding))
        except OSError as exc:
            raise WriteFailed(exc) from None

    def write_bytes(self, data: bytes) -> None:
        try:
            self.stream.flush()
            self.stream.buffer.write(data)
            self.stream.buffer.flush()
        except OSError as exc:
            raise WriteFailed(exc) from None

    def flush(self) -> None:
        try:
            self.stream.flush()  # here, where a closed pipe can still be caught
        except OSError as exc:
            raise WriteFailed(exc) from None


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
    pipe (quietly, 141), stdout that cannot be written (1). Usage errors
    pass through to the caller."""
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
    except WriteFailed as exc:
        return failed_write(exc.error)
    except BrokenPipeError as exc:
        return failed_write(exc)
