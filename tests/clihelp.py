"""Running aideps commands in-process, every command of the app.

`command_names()` lists the Typer app's commands, so tests that go through
"every command" cover commands added later; `argv()` fills in the required
arguments of any of them.
"""

from __future__ import annotations

import functools
from pathlib import Path
from unittest import mock

from typer.testing import CliRunner

from aideps.cli.typer_app import app

runner = CliRunner()


def run(*args: str, **kwargs):
    """CliRunner on the app, built into a Click group once (ten times faster per run)."""
    import typer.testing

    group = _group()
    with mock.patch.object(typer.testing, "_get_command", lambda _app: group):
        return runner.invoke(app, list(args), prog_name="aideps", **kwargs)


@functools.cache
def _group():
    import typer.main

    return typer.main.get_command(app)


# Commands that do not read the knowledge file (the cache's housekeeping;
# `migrate`, which converts the format-1 FILE it is given and leaves a
# format-2 file alone: tests/knowledge/test_migrate.py; `import`, which
# writes one): they neither refuse a bad file nor answer from it.
NO_DATA = frozenset({"cache", "migrate", "import"})


def command_names() -> list[str]:
    """Every command of the app that reads the knowledge file, so that a command added later is covered too."""
    return sorted(name for name in _group().commands if name not in NO_DATA)


def _sample(param, name: str, data: Path, entities: tuple[str, str], out_dir: Path | None, nth: int) -> str:
    """A value a person might give for a required argument or option."""
    kind = type(param.type).__name__
    help_text = (getattr(param, "help", None) or "").lower()
    if "Choice" in kind:
        return str(list(param.type.choices)[0])
    if "Path" in kind:
        if getattr(param.type, "dir_okay", False) and not getattr(param.type, "file_okay", True):
            return str(out_dir or data.parent)
        if getattr(param.type, "exists", False) or out_dir is None:
            return str(data)
        return str(out_dir / f"{name}.out")
    if "Int" in kind or "Float" in kind:
        return "1"
    callback = getattr(getattr(param, "callback", None), "__name__", "")
    if "date" in help_text or "date" in callback:  # Typer < 0.25 keeps an argument's help off the Click param
        return ("2020", "2025")[min(nth, 1)]
    return entities[min(nth, 1)]


def argv(name: str, data: Path, *, entities: tuple[str, str] = ("acme", "bigco"), out_dir: Path | None = None) -> list[str]:
    """`--data DATA NAME ...` with a value for each required argument and option of the command."""
    command = _group().commands[name]
    args: list[str] = []
    nth = 0
    for param in command.params:
        if not param.required:
            continue
        value = _sample(param, name, data, entities, out_dir, nth)
        nth += 1
        if param.param_type_name == "option":
            args += [param.opts[0], value]
        else:
            args += [value] * (1 if param.nargs in (1, -1) else param.nargs)
    return ["--data", str(data), name, *args]


def supports(name: str, option: str) -> bool:
    return any(option in getattr(p, "opts", ()) for p in _group().commands[name].params)
