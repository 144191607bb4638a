"""Run aideps as a person does, on a terminal: in a pseudo-terminal of N
columns, its output read back through a terminal emulator (pyte).

`run(args, columns)` gives what the process wrote (raw), the screen's rows as
a person sees them, and the exit code; `words(text)` the words of a text;
`split_words(screen, reference)` the words on the screen that are not words
of the same answer printed without a width (piped), nor one of them cut
short with `…`: a word broken across two rows shows up here.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from dataclasses import dataclass

import pyte

ROWS = 3000  # tall enough for every answer on the bundled data: nothing scrolls away
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
# Table rules and tree guides are not words.
_NOT_WORD = re.compile(r"[\s─━│┃├└┌┐┘┬┴┼╇╈═]+")


@dataclass
class Ran:
    raw: str
    rows: list[str]
    code: int
    stderr: str


def environment(columns: int, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("AIDEPS_DATA", "NO_COLOR", "FORCE_COLOR", "PAGER", "AIDEPS_PAGER")}
    env.update(COLUMNS=str(columns), LINES=str(ROWS), TERM="xterm-256color", PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def run(args: list[str], columns: int, *, cwd: str | None = None, rows: int = ROWS, stderr_too: bool = False, **env: str) -> Ran:
    """`aideps ARGS` with stdout (and with `stderr_too` stderr) on a
    pseudo-terminal `columns` wide."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "aideps", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave if stderr_too else subprocess.PIPE,
        env=environment(columns, LINES=str(rows), **env),
        cwd=cwd,
        close_fds=True,
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed (Linux: EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    stderr = ""
    if process.stderr is not None:
        stderr = process.stderr.read().decode("utf-8", "replace")
        process.stderr.close()
    code = process.wait(timeout=60)
    raw = b"".join(chunks).decode("utf-8", "replace")
    screen = pyte.Screen(columns, ROWS)
    stream = pyte.Stream(screen)
    stream.feed(raw)
    shown = [line.rstrip() for line in screen.display]
    while shown and not shown[-1]:
        shown.pop()
    return Ran(raw, shown, code, stderr)


def piped(args: list[str], *, cwd: str | None = None) -> str:
    """The same answer, piped, without a width: its lines never wrapped."""
    env = environment(0)
    del env["COLUMNS"], env["LINES"]
    done = subprocess.run([sys.executable, "-m", "aideps", *args], capture_output=True, text=True, env=env, cwd=cwd)
    return done.stdout


def words(text: str) -> set[str]:
    return {word for word in _NOT_WORD.split(text) if word}


def plain(text: str) -> str:
    """`text` without its colour and style codes."""
    return _ANSI.sub("", text)


def raw_lines(raw: str) -> list[str]:
    """The lines the process wrote, without colour codes."""
    return _ANSI.sub("", raw).replace("\r\n", "\n").split("\n")


def split_words(rows: list[str], reference: str) -> list[str]:
    """Words on the screen that are neither a word of `reference`, nor one of
    them cut short with `…`, nor a part of a hyphenated one broken after its
    hyphens (a long id folded: 'application-' / 'specific-chips')."""
    known = words(reference)
    prefixes = {word[:n] for word in known for n in range(1, len(word))}
    parts = set()
    for word in known:
        cuts = [0, *(i + 1 for i, c in enumerate(word) if c == "-"), len(word)]
        parts.update(word[a:b] for i, a in enumerate(cuts) for b in cuts[i + 1 :])
    bad = []
    for row in rows:
        for word in _NOT_WORD.split(row):
            if not word or word in known or word in parts:
                continue
            if word.endswith("…") and (word[:-1] in prefixes or word[:-1] in known or not word[:-1]):
                continue
            bad.append(f"{word!r} in {row!r}")
    return bad
