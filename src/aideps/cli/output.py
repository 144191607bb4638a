"""Output plumbing, once for every command and both ways in (Typer and the
fast path): stdout that degrades instead of crashing on a narrow encoding,
and what a user can cause turned into a message and an exit code, never a
traceback.

On a terminal, an answer taller than the screen goes through a pager, as
git and gh do (`paged`): $AIDEPS_PAGER, else $PAGER, else `less -R`; never
when stdout is not a terminal, nor with `--no-pager`.

Exit codes (docs/design.md): 0 ok; 1 not found, invalid data, bad file, no
answer (`why` without a path, `search` without a match), stdout cannot be
written (closed, a full disk, any other write error: one line on stderr); 2
usage error; 130 interrupted; 141 the reader of stdout went away (a closed
pipe, EPIPE: quietly, as a process killed by SIGPIPE), whichever command it was.
"""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Iterable, Iterator, TextIO

EXIT_PIPE = 141
EXIT_WRITE = 1
DEFAULT_PAGER = "less -R"


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

    def write_lines(self, lines: Iterable[str]) -> None:
        """Plain lines (no colour codes); on a terminal each is wrapped at
        word boundaries to its width, never splitting a word."""
        from aideps.render import text

        width = text.terminal_width(self)
        if width is not None:
            lines = text.fit(list(lines), width)
        self.write("".join(f"{line}\n" for line in lines))


class Paged(Out):
    """stdout on a terminal, held until the answer is complete: then written
    straight to the terminal when it fits the screen, else through `pager`."""

    def __init__(self, stream: TextIO, pager: str | None) -> None:
        super().__init__(stream)
        self.pager = pager
        self.held: list[str] = []

    def write(self, text: str) -> int:
        self.held.append(text)
        return len(text)

    def write_bytes(self, data: bytes) -> None:  # pragma: no cover - images never go to a terminal
        self.finish()
        super().write_bytes(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        text, self.held = "".join(self.held), []
        if not text:
            return
        import shutil

        tall = self.pager is not None and text.count("\n") >= shutil.get_terminal_size().lines
        if not tall or not page(text, self.pager):
            super().write(text)
            self.stream.flush()


def pager_command() -> str | None:
    """The pager to use on a terminal: $AIDEPS_PAGER, else $PAGER, else
    `less -R`; None when it is empty or `cat`."""
    command = os.environ.get("AIDEPS_PAGER")
    if command is None:
        command = os.environ.get("PAGER")
    if command is None:
        command = DEFAULT_PAGER
    command = command.strip()
    return None if command in ("", "cat") else command


def page(text: str, command: str) -> bool:
    """Show `text` through the pager `command` (split into words as a shell
    would, and run without one); False when it cannot be started. Ctrl-C is
    the pager's while it runs; quitting it early is fine."""
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # git's default: quit if one screen, keep colours, leave the text
    env.setdefault("LV", "-c")
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        return False
    if not words:
        return False
    try:
        process = subprocess.Popen(words, stdin=subprocess.PIPE, env=env)
    except OSError:  # not found, not executable: the text goes to the terminal
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        assert process.stdin is not None
        try:
            process.stdin.write(text.encode(getattr(sys.stdout, "encoding", None) or "utf-8", "replace"))
            process.stdin.close()
        except (BrokenPipeError, OSError):  # the reader quit before the end
            pass
        process.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return True


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


@contextmanager
def paged(stream: TextIO, *, enabled: bool = True) -> Iterator[Out]:
    """stdout for one command: through the pager when `stream` is a terminal,
    paging is `enabled` (not --no-pager) and a pager is set (`pager_command`)."""
    out = Out(stream)
    command = pager_command() if enabled and out.isatty() else None
    if command is None:
        yield out
        return
    held = Paged(stream, command)
    try:
        yield held
    except BaseException:  # interrupted: what is held goes straight out, no pager
        held.pager = None
        held.finish()
        raise
    held.finish()


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
    except RecursionError:
        # An answer nested deeper than Python recurses: `tree` without
        # --depth along a chain of a thousand dependencies (benchmarks/generate.py's M).
        print("aideps: the answer nests too deep to build (a chain of about a thousand or more); "
              "narrow it with --depth N", file=sys.stderr)
        return 1
