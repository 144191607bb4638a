"""Shell completion of entity names, answered without importing Typer.

The completion scripts that `aideps --install-completion` installs call
aideps on every TAB. When the word being completed is surely an entity NAME
(by the one declaration in aideps.cli.spec: which arguments and options take
names, which options take values), this module answers exactly as Typer
would, byte for byte; anything else goes to Typer, which knows everything.
"""

from __future__ import annotations

import os
import re
import sys

from aideps.cli import spec
from aideps.knowledge.names import shell_plain


def _tables() -> tuple[frozenset, frozenset, dict, frozenset]:
    """What the fast path must know of the command line, derived from the spec."""
    global_flags = frozenset(f for opt in spec.GLOBAL if not opt.takes_value for f in opt.flags)
    global_values = frozenset(f for opt in spec.GLOBAL if opt.takes_value for f in opt.flags)
    commands: dict[str, dict] = {}
    name_options: set[str] = set()
    for command in spec.COMMANDS:
        options = spec.options_of(command)
        flags = {f for opt in options if not opt.takes_value for f in (*opt.flags, *([opt.negative] if opt.negative else []))}
        values = {f for opt in options if opt.takes_value for f in opt.flags}
        name_options |= {f for opt in options if opt.type == "name" for f in opt.flags}
        commands[command.name] = {
            "name_argument": bool(command.args) and command.args[0].type == "name",
            "flags": flags,
            "values": values,
        }
    return global_flags, global_values, commands, frozenset(name_options)


GLOBAL_FLAGS, GLOBAL_VALUE_OPTIONS, COMMANDS, NAME_OPTIONS = _tables()


class _NotMine(Exception):
    """The fast path is not sure: let Typer answer."""


def _valid_cword(text: str) -> bool:
    """COMP_CWORD as bash sets it: the index of a word, a small number."""
    return text.isascii() and text.isdigit() and len(text) <= 6


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


def answer(instruction: str) -> int | None:
    """Answer `_AIDEPS_COMPLETE=complete_<shell>` for entity names as Typer
    would, byte for byte, without importing it. None: not sure, ask Typer."""
    action, _, shell = instruction.partition("_")
    if action != "complete" or shell not in ("bash", "zsh", "fish"):
        return None
    if shell == "bash" and not _valid_cword(os.environ.get("COMP_CWORD", "")):
        # Not bash's own number (a hand-made call): no candidates, rather
        # than Typer's traceback. Nothing is printed on the terminal.
        sys.stdout.write("\n")
        sys.stdout.flush()
        return 0
    try:
        args, incomplete = _completion_args(shell)
        wanted, data, incomplete = _wants_name(args, incomplete)
    except (_NotMine, KeyError, ValueError):
        return None
    if not wanted:  # pragma: no cover - _wants_name raises instead
        return None
    try:
        from aideps.graph import store

        items = store.graph(store.resolve_paths(data)).completions(incomplete)
    except Exception:
        items = []
    # Never a word the shell would read as something else (`$(...)`, quotes,
    # spaces): the graph offers none, and this says so again where it matters.
    items = [(value, help_) for value, help_ in items if shell_plain(value)]
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
