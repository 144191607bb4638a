"""`aideps` and `python -m aideps`.

`main()` answers shell completion of entity names without importing Typer
(the completion scripts that `aideps --install-completion` installs call
aideps on every TAB), handles a closed stdout pipe and Ctrl-C quietly, and
otherwise hands over to the Typer app in aideps.cli.
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
import re  # noqa: E402

PROG = "aideps"
COMPLETE_VAR = "_AIDEPS_COMPLETE"

# What the fast path must know of the command line to be sure that the word
# being completed is an entity NAME. Anything else (an option it does not
# know, option names, powershell) goes to Typer, which knows everything.
# tests/test_cli_complete.py checks these tables against the Typer app.
GLOBAL_FLAGS = frozenset({"--no-color"})
GLOBAL_VALUE_OPTIONS = frozenset({"--data"})
COMMANDS: dict[str, dict] = {
    "show": {
        "name_argument": True,
        "flags": {"--quotes", "-q", "--json", "--csv"},
        "values": {"--data", "--as-of"},
    },
    "tree": {
        "name_argument": True,
        "flags": {"--reverse", "-r", "--json", "--csv"},
        "values": {"--data", "--depth", "-d", "--kind", "-k", "--status", "-s", "--as-of"},
    },
    "timeline": {"name_argument": True, "flags": {"--json", "--csv"}, "values": {"--data"}},
    "diff": {"name_argument": False, "flags": {"--json", "--csv"}, "values": {"--data", "--entity", "-e"}},
    "why": {
        "name_argument": True,
        "flags": {"--json", "--csv"},
        "values": {"--data", "--depth", "-d", "--kind", "-k", "--status", "-s", "--limit", "--as-of"},
    },
    "impact": {
        "name_argument": True,
        "flags": {"--json", "--csv"},
        "values": {"--data", "--depth", "-d", "--kind", "-k", "--status", "-s", "--as-of"},
    },
    "conflicts": {"name_argument": True, "flags": {"--json", "--csv"}, "values": {"--data"}},
    "export": {
        "name_argument": True,
        "flags": {"--json", "--csv", "--dependencies", "--labels", "--no-labels"},
        "values": {
            "--data", "--format", "-f", "--output", "-o", "--depth", "-d", "--kind", "-k", "--status", "-s",
            "--title", "--as-of",
        },
    },
}
for _kind in ("research", "distribution", "hardware"):
    COMMANDS[_kind] = {
        "name_argument": False,
        "flags": {"--json", "--csv"},
        "values": {"--data", "--entity", "-e", "--status", "-s", "--sort", "--as-of"},
    }
NAME_OPTIONS = frozenset({"--entity", "-e"})


class _NotMine(Exception):
    """The fast path is not sure: let Typer answer."""


def _split_arg_string(string: str) -> list[str]:
    """Exactly typer._click.shell_completion.split_arg_string."""
    import shlex

    lex = shlex.shlex(string, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:
        out.append(lex.token)
    return out


def _completion_args(shell: str) -> tuple[list[str], str]:
    """(args, incomplete) as Typer's completion classes compute them."""
    if shell == "bash":
        cwords = _split_arg_string(os.environ["COMP_WORDS"])
        cword = int(os.environ["COMP_CWORD"])
        args = cwords[1:cword]
        incomplete = cwords[cword] if cword < len(cwords) else ""
        return args, incomplete
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    args = _split_arg_string(line)[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _wants_name(args: list[str], incomplete: str) -> tuple[bool, str | None, str]:
    """Whether `incomplete` is an entity NAME; also the --data value given
    (after the command wins) and the word to complete."""
    if "--" in args:
        raise _NotMine
    data = None
    position = 0
    # Global options, then the command.
    while position < len(args) and args[position].startswith("-"):
        word = args[position]
        name, eq, value = word.partition("=")
        if name in GLOBAL_VALUE_OPTIONS:
            if eq:
                data = value
            elif position + 1 < len(args):
                data = args[position + 1]
                position += 1
            else:
                raise _NotMine  # completing --data's value: a path
        elif word not in GLOBAL_FLAGS:
            raise _NotMine
        position += 1
    if position >= len(args):
        raise _NotMine  # completing the command name
    spec = COMMANDS.get(args[position])
    if spec is None:
        raise _NotMine
    position += 1
    positionals = 0
    pending: str | None = None  # an option waiting for its value
    for word in args[position:]:
        if pending is not None:
            if pending == "--data":
                data = word
            pending = None
            continue
        if word.startswith("-") and word != "-":
            name, eq, value = word.partition("=")
            if name in spec["values"]:
                if eq:
                    if name == "--data":
                        data = value
                else:
                    pending = name
            elif word not in spec["flags"]:
                raise _NotMine
            continue
        positionals += 1
    if incomplete == "=":
        incomplete = ""
    elif incomplete.startswith("-"):
        name, eq, value = incomplete.partition("=")
        if eq and name in NAME_OPTIONS and name in spec["values"] and pending is None:
            return True, data, value
        raise _NotMine  # option names: Typer lists them
    if pending is not None:
        if pending in NAME_OPTIONS:
            return True, data, incomplete
        raise _NotMine
    if spec["name_argument"] and positionals == 0:
        return True, data, incomplete
    raise _NotMine


# Rich would read markup ([...]), escapes or emoji codes (:...:) in these, and
# fish turns other whitespace into spaces; names never have them, but be sure.
_UNSAFE_HELP = re.compile(r"[\[\]\\:]|[^\S ]")


def _zsh_escape(text: str) -> str:
    return (
        text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")
    )


def fast_complete(instruction: str) -> int | None:
    """Answer `_AIDEPS_COMPLETE=complete_<shell>` for entity names as Typer
    would, byte for byte, without importing it. None: not sure, ask Typer."""
    action, _, shell = instruction.partition("_")
    if action != "complete" or shell not in ("bash", "zsh", "fish"):
        return None
    try:
        args, incomplete = _completion_args(shell)
        wanted, data, incomplete = _wants_name(args, incomplete)
    except (_NotMine, KeyError, ValueError):
        return None
    if not wanted:  # pragma: no cover - _wants_name raises instead
        return None
    try:
        from aideps.graph import store

        items = store.graph(store.resolve_path(data)).completions(incomplete)
    except Exception:
        items = []
    # Typer passes help text through Rich; only answer when that is a no-op.
    # Bash shows no help text, so it is always safe there.
    if shell != "bash" and any(_UNSAFE_HELP.search(help_) or len(help_) > 60 for _, help_ in items):
        return None
    if shell == "bash":
        out = "\n".join(value for value, _ in items)
    elif shell == "zsh":
        if items:
            body = "\n".join(f'"{_zsh_escape(value)}":"{_zsh_escape(help_)}"' for value, help_ in items)
            out = f"_arguments '*: :(({body}))'"
        else:
            out = "_files"
    else:
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if items else 1
        out = "\n".join(f"{value}\t{help_}" for value, help_ in items) if action == "get-args" and items else ""
    sys.stdout.write(out + "\n")
    sys.stdout.flush()
    return 0


def _quiet_broken_pipe() -> int:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return 141


def _only_the_command_asked(app, args: list[str]):
    """The app with only the command that `args` names plainly, else the app.

    Before running one command, Typer builds every command of the app (its
    options, types and help): with a dozen commands, that is a good part of
    the time a quick command takes. The one asked for is built the same way
    either way; anything less plain than `[--data X] [--no-color] COMMAND
    ...` (help, a typo, completion) gets the whole app."""
    position = 0
    while position < len(args):
        word = args[position]
        if word in GLOBAL_VALUE_OPTIONS:
            position += 2
        elif word in GLOBAL_FLAGS or any(word.startswith(f"{name}=") for name in GLOBAL_VALUE_OPTIONS):
            position += 1
        else:
            break
    if position >= len(args) or args[position].startswith("-") or app.registered_groups:
        return app
    import copy

    from typer.main import get_command_name

    name = args[position]
    keep = [
        info
        for info in app.registered_commands
        if (info.name or get_command_name(info.callback.__name__)) == name
    ]
    if len(keep) != 1:
        return app
    trimmed = copy.copy(app)
    trimmed.registered_commands = keep
    return trimmed


def main() -> None:
    try:
        # From here a Ctrl-C is a KeyboardInterrupt again, so that a build
        # under way cleans up after itself before the exit below.
        if signal.getsignal(signal.SIGINT) is _interrupted_while_starting:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        instruction = os.environ.get(COMPLETE_VAR)
        if instruction:
            code = fast_complete(instruction)
            if code is not None:
                sys.exit(code)
        if not instruction:
            from aideps.cli.quick import main as quick  # a plain `show NAME`, answered without Typer

            code = quick(sys.argv[1:])
            if code is not None:
                sys.exit(code)
        from aideps.cli.commands import app

        if not instruction:
            app = _only_the_command_asked(app, sys.argv[1:])
        app(prog_name=PROG)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(_quiet_broken_pipe())


if __name__ == "__main__":
    main()
