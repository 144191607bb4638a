"""Checking a large knowledge file on two cores.

Checking a file costs about as much in the checks that look at one item
alone (its model, its text, its claims, figures and dates:
`engine.check_alone`) and in writing it to the index, as in reading the
YAML and the checks across items (ids, names, references). `Split` runs
the first half in a second process, forked when the reading begins: the
reader and the checks across items stay here, and each item, as read, is
handed over (marshalled, a few hundred to a message) to be checked alone
and given to the sink there (`make_sink`, called in that process: the
index's writer opens its own connection).

Only a file without problems is checked this way to the end. The checks
across items run here exactly as in one process, so they find the same
problems in the same order; the other process does not word problems (it
has no positions): the first item it finds fault with *flags* the run, and
the caller checks the file again from the top in one process, so a file
with problems gets exactly the problems, words and positions of a check in
one process (tests/test_split.py compares them). Likewise when the other
process fails in any way.

Used on Linux, with two cores or more, for files of SPLIT_OVER bytes or
more; AIDEPS_NO_SPLIT=1 turns it off.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any, Callable

SPLIT_OVER = 1 << 19  # bytes (512 KiB, about a second of checking): below this a second process saves nothing
ENV_NO_SPLIT = "AIDEPS_NO_SPLIT"
BATCH = 200  # items to a message

_END = b"end"
_RESET = b"reset"
_FLAG = b"flag"


def possible(size: int) -> bool:
    """Whether a file of `size` bytes is checked on two cores here."""
    if size < SPLIT_OVER or os.environ.get(ENV_NO_SPLIT) or not sys.platform.startswith("linux"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - Linux has it
        cores = os.cpu_count() or 1
    return cores >= 2


class Split:
    """The other process: `hand` it each item as read (section, index, value),
    `reset` it when the reading starts again from the top, `finish` for its
    outcome; `flagged` once it has found fault with an item (or failed)."""

    def __init__(self, make_sink: Callable[[], Any] | None = None) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):  # the fork must not write what is buffered here again
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_work, args=(child, make_sink), daemon=True)
        self._process.start()
        child.close()
        self._batch: list[tuple] = []
        self.flagged = False
        self.outcome: dict | None = None

    def hand(self, section: str, index: int, value: Any) -> None:
        self._batch.append((section, index, value))
        if len(self._batch) >= BATCH:
            self._send()

    def reset(self) -> None:
        """The reading starts again from the top: the items handed so far are forgotten."""
        self._batch.clear()
        self._write(_RESET)

    def fault(self) -> None:
        """This side found what only one process words exactly (a value the reader dropped)."""
        self.flagged = True

    def _send(self) -> None:
        batch, self._batch = self._batch, []
        if not self.flagged:
            self._write(marshal.dumps(batch))
        self._listen()

    def _write(self, data: bytes) -> None:
        try:
            self._conn.send_bytes(data)
        except (OSError, ValueError):  # the other process is gone
            self.flagged = True

    def _listen(self) -> None:
        try:
            while not self.flagged and self._conn.poll():
                if self._conn.recv_bytes() == _FLAG:
                    self.flagged = True
        except (OSError, EOFError):
            self.flagged = True

    def finish(self) -> dict | None:
        """The other process's outcome once it has checked and sunk every item
        (what `make_sink`'s sink's `finish()` returned, under "sink"), or None
        when it flagged an item or failed: then check the file in one process."""
        if not self.flagged and self._batch:
            self._send()
        if self.flagged:
            self.close()
            return None
        self._write(_END)
        try:
            while True:
                message = self._conn.recv_bytes()
                if message == _FLAG:
                    self.flagged = True
                    continue
                outcome = marshal.loads(message)
                break
        except (OSError, EOFError, ValueError, TypeError):
            outcome = {"failed": "no outcome"}
        self._process.join(timeout=60)
        self.close()
        if self.flagged or outcome.get("flagged") or outcome.get("failed"):
            self.flagged = True
            return None
        self.outcome = outcome
        return outcome

    def close(self) -> None:
        """Stop the other process (it may be mid-batch, or gone)."""
        try:
            self._conn.close()
        except OSError:  # pragma: no cover
            pass
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=10)


def _work(conn: Any, make_sink: Callable[[], Any] | None) -> None:
    """The other process: check each item alone, give the valid ones to the
    sink; flag the first fault and go on only reading (so that the sender is
    never blocked); at the end, send the outcome."""
    from aideps.knowledge.engine import check_alone
    from aideps.knowledge.item_checks import models as all_models

    sys.stdout = sys.stderr = open(os.devnull, "w")  # nothing of this process is said
    faulty = False

    def add(*_: Any, **__: Any) -> None:
        nonlocal faulty
        faulty = True

    try:
        sink = make_sink() if make_sink is not None else None
        models = all_models()
        while True:
            message = conn.recv_bytes()
            if message == _END:
                break
            if message == _RESET:
                faulty = False
                if sink is not None:
                    sink.reset()
                continue
            if faulty:
                continue
            for section, index, value in marshal.loads(message):
                valid = check_alone(section, index, value, models[section], add)
                if faulty:
                    conn.send_bytes(_FLAG)
                    break
                if valid is not None and sink is not None:
                    sink(section, index, valid.model_dump(by_alias=True))
        outcome: dict = {"flagged": faulty}
        if not faulty and sink is not None:
            outcome["sink"] = sink.finish()
        conn.send_bytes(marshal.dumps(outcome))
    except BaseException as exc:  # noqa: BLE001 - any failure here means: check in one process
        try:
            conn.send_bytes(marshal.dumps({"failed": f"{type(exc).__name__}: {exc}"}))
        except BaseException:  # noqa: BLE001
            pass
