"""`aideps` and `python -m aideps`: signals, then the command line.

Shell completion of entity names and plain command lines are answered
without importing Typer (aideps.cli.complete, aideps.cli.fast, both derived
from the one declaration in aideps.cli.spec); everything else goes to the
Typer app built from that declaration (aideps.cli.typer_app). A closed
stdout pipe exits quietly with 141, Ctrl-C with 130, stdout that cannot be
written (closed, a full disk) with one line on stderr and 1
(aideps.cli.output).
"""

from __future__ import annotations

import signal
import sys


def _interrupted_while_starting(signum, frame):  # pragma: no cover - timing
    # Ctrl-C while the modules are still being imported, before main() can
    # catch KeyboardInterrupt: exit 130 quietly, as main() does, not with a
    # traceback from the middle of an import.
    raise SystemExit(130)


if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when the shell ignores it (`cmd &`)
    signal.signal(signal.SIGINT, _interrupted_while_starting)

import os  # noqa: E402

COMPLETE_VAR = "_AIDEPS_COMPLETE"


def main() -> None:
    from aideps.cli import output

    output.guard_stdout()
    try:
        _main()
    except SystemExit as exc:
        sys.exit(output.finish(exc.code))
    except output.WriteFailed as exc:
        sys.exit(output.failed_write(exc.error))
    sys.exit(output.finish(0))


def _main() -> None:
    try:
        # From here a Ctrl-C is a KeyboardInterrupt again, so that a build
        # under way cleans up after itself before the exit below.
        if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        instruction = os.environ.get(COMPLETE_VAR)
        args = sys.argv[1:]
        if instruction:
            from aideps.cli import complete

            code = complete.answer(instruction)
            if code is not None:
                sys.exit(code)
        else:
            from aideps.cli import fast

            code = fast.main(args)
            if code is not None:
                sys.exit(code)
        from aideps.cli import typer_app

        typer_app.main(args, complete=bool(instruction))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError as exc:
        from aideps.cli.output import failed_write

        sys.exit(failed_write(exc))


if __name__ == "__main__":
    main()
