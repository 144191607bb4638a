"""A plain command line, answered without importing Typer.

Importing Typer (and Click, inspect, subprocess, ...) and building its
commands costs more than most answers do. When the command line is plainly
one of aideps.cli.spec's commands with known options and values that pass
their checks, nothing Typer does is needed: `parse` reads it by the same
declaration Typer's commands are built from, and the same function of
aideps.cli.run answers. Anything else -- help, completion, a typo, an option
it does not know, a bad value, a usage error the command finds -- goes to
Typer, which says what is wrong in its own words.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

from aideps.cli import spec
from aideps.cli.spec import Command, Opt


class NotPlain(Exception):
    """Not a plain command line: let Typer read it."""


def _value(opt_or_arg: Any, word: str) -> Any:
    kind = opt_or_arg.type
    if kind == "int":
        if not word.lstrip("-").isdigit():
            raise NotPlain
        number = int(word)
        if getattr(opt_or_arg, "min", None) is not None and number < opt_or_arg.min:
            raise NotPlain
        return number
    if kind == "choice" and word not in opt_or_arg.choices:
        raise NotPlain
    if kind == "date":
        from aideps.knowledge.dates import problem

        if problem(word):
            raise NotPlain
    if kind == "dir":
        import os

        if not os.path.isdir(word):
            raise NotPlain
    if kind in ("path", "dir") and not word:
        raise NotPlain
    return word


def _table(options: tuple[Opt, ...]) -> dict[str, tuple[Opt, bool]]:
    """Each spelling of each option -> (option, the value it sets for a flag)."""
    table: dict[str, tuple[Opt, bool]] = {}
    for opt in options:
        for flag in opt.flags:
            table[flag] = (opt, True)
        if opt.negative:
            table[opt.negative] = (opt, False)
    return table


_GLOBAL = _table(spec.GLOBAL)


def _take(table: dict, args: list[str], position: int, values: dict) -> int:
    """Read the option at args[position] into values; the next position."""
    word = args[position]
    name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
    found = table.get(name)
    if found is None:
        raise NotPlain
    opt, setting = found
    if not opt.takes_value:
        if eq:
            raise NotPlain
        values[opt.dest] = setting
        return position + 1
    if eq:
        word_value = attached
        position += 1
    elif position + 1 < len(args):
        word_value = args[position + 1]
        position += 2
    else:
        raise NotPlain
    value = _value(opt, word_value)
    if opt.kind == "multi":
        values.setdefault(opt.dest, []).append(value)
    else:
        values[opt.dest] = value
    return position


def parse(args: list[str]) -> tuple[Command, dict] | None:
    """(command, values) for a plain command line, else None."""
    try:
        return _parse(args)
    except NotPlain:
        return None


def _parse(args: list[str]) -> tuple[Command, dict]:
    before: dict = {}
    position = 0
    while position < len(args) and args[position].startswith("-") and args[position] != "-":
        position = _take(_GLOBAL, args, position, before)
    if position >= len(args):
        raise NotPlain
    command = spec.BY_NAME.get(args[position])
    if command is None:
        raise NotPlain
    position += 1
    table = _table(spec.options_of(command))
    values: dict = {}
    words: list[str] = []
    while position < len(args):
        word = args[position]
        if word == "--" or word in ("-h", "--help"):
            raise NotPlain
        if word.startswith("-") and word != "-":
            position = _take(table, args, position, values)
        else:
            words.append(word)
            position += 1
    for arg in command.args:
        if arg.variadic:
            if not words:
                raise NotPlain
            values[arg.dest] = [_value(arg, w) for w in words]
            words = []
        elif words:
            values[arg.dest] = _value(arg, words.pop(0))
        elif arg.required:
            raise NotPlain
        else:
            values[arg.dest] = None
    if words:
        raise NotPlain
    for opt in spec.options_of(command):
        if opt.dest not in values:
            values[opt.dest] = [] if opt.kind == "multi" else opt.default
    # A global option after the command wins over the same before it.
    for opt in spec.GLOBAL:
        if opt.kind == "multi":  # --data before the command, then after it: layered in that order
            values[opt.dest] = list(before.get(opt.dest) or []) + list(values.get(opt.dest) or [])
        elif opt.dest not in values or values[opt.dest] in (None, False):
            values[opt.dest] = before.get(opt.dest, opt.default)
    return command, values


def main(args: list[str]) -> int | None:
    """Answer a plain command line: its exit code; None: ask Typer."""
    if len(args) == 1 and args[0] in spec.VERSION.flags:  # `aideps --version`, as Typer says it
        from aideps import __version__

        print(f"aideps {__version__}")
        return 0
    parsed = parse(args)
    if parsed is None:
        return None
    command, values = parsed
    from aideps.cli import run

    try:
        return run.run_command(command, values)
    except run.Usage:
        return None  # Typer says it, in its words, with the usage line
