"""The Typer app, built from the one declaration in aideps.cli.spec.

Each command of the spec becomes a Typer command whose parameters are made
from its arguments and options (shared options are the same objects in every
command); its body hands the parsed values to aideps.cli.run. Global options
(`--data`, `--no-color`) are taken before the command and after it; after it
wins. Typer is imported only when this module is: for help, completion
scripts, usage errors and anything the fast path (cli/fast.py) leaves to it.
"""

import enum
import inspect
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from aideps import __version__
from aideps.cli import run, spec
from aideps.cli.spec import Arg, Command, Opt

_ENUMS: dict[tuple[str, ...], type[enum.Enum]] = {}


def _choices(opt: Opt) -> type[enum.Enum]:
    found = _ENUMS.get(opt.choices)
    if found is None:
        name = "".join(part.title() for part in opt.dest.strip("_").split("_")) + f"Choice{len(_ENUMS)}"
        found = enum.Enum(name, [(v, v) for v in opt.choices], type=str, module=__name__)  # type: ignore[misc]
        _ENUMS[opt.choices] = found
    return found


def complete_name(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion of entity names (the same answer as the fast path's)."""
    try:
        from aideps.graph import store

        return store.graph(store.resolve_path(_data_option(ctx))).completions(incomplete)
    except Exception:  # a broken knowledge file must not break the shell
        return []


def _data_option(ctx: typer.Context) -> Optional[Path]:
    """--data given after the command wins over --data given before it."""
    node: Optional[typer.Context] = ctx
    while node is not None:
        value = node.params.get("data")
        if value:
            return Path(value)
        node = node.parent
    return None


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is not None:
        from aideps.knowledge.dates import problem

        trouble = problem(value)
        if trouble:
            raise typer.BadParameter(trouble)
    return value


def _option(opt: Opt) -> tuple[Any, Any]:
    """(annotation, default) of a Typer parameter for `opt`."""
    extra: dict[str, Any] = {"help": opt.help, "show_default": opt.default not in (None, False, [])}
    if opt.metavar:
        extra["metavar"] = opt.metavar
    if opt.envvar:
        extra["envvar"] = opt.envvar
    if opt.min is not None:
        extra["min"] = opt.min
    if opt.type == "date":
        extra["callback"] = _check_date
    if opt.type == "name":
        extra["autocompletion"] = complete_name
    if opt.type == "dir":
        extra.update(exists=True, file_okay=False)
    flags = list(opt.flags)
    if opt.kind == "flag":
        if opt.negative:
            flags = [f"{opt.flags[0]}/{opt.negative}", *opt.flags[1:]]
            return Annotated[Optional[bool], typer.Option(*flags, **extra)], None
        return Annotated[bool, typer.Option(*flags, **extra)], bool(opt.default)
    base: Any = {"int": int, "path": Path, "dir": Path}.get(opt.type, str)
    default = opt.default
    if opt.type == "choice":
        base = _choices(opt)
        if default is not None:
            default = base(default)
    if opt.kind == "multi":
        return Annotated[Optional[list[base]], typer.Option(*flags, **extra)], None  # type: ignore[valid-type]
    if default is None:
        return Annotated[Optional[base], typer.Option(*flags, **extra)], None
    return Annotated[base, typer.Option(*flags, **extra)], default


def _argument(arg: Arg) -> tuple[Any, Any]:
    extra: dict[str, Any] = {"metavar": arg.metavar, "help": arg.help, "show_default": False}
    if arg.type == "name":
        extra["autocompletion"] = complete_name
    if arg.type == "date":
        extra["callback"] = lambda value: _check_date(value) or value
    base: Any = Path if arg.type == "path" else str
    if arg.variadic:
        return Annotated[list[base], typer.Argument(**extra)], inspect.Parameter.empty  # type: ignore[valid-type]
    if arg.required:
        return Annotated[base, typer.Argument(**extra)], inspect.Parameter.empty
    return Annotated[Optional[base], typer.Argument(**extra)], None


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _make(command: Command):
    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    for arg in command.args:
        annotation, default = _argument(arg)
        params.append(inspect.Parameter(arg.dest, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation, default=default))
    for opt in spec.options_of(command):
        annotation, default = _option(opt)
        params.append(inspect.Parameter(opt.dest, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation, default=default))

    def body(ctx: typer.Context, **values: Any) -> None:
        state = ctx.find_root().params
        values = {key: _plain(value) for key, value in values.items()}
        values["data"] = values.get("data") or state.get("data")
        for flag in spec.GLOBAL:
            if flag.kind == "flag":
                values[flag.dest] = bool(values.get(flag.dest) or state.get(flag.dest))
        for opt in command.options:
            if opt.kind == "multi" and values.get(opt.dest) is None:
                values[opt.dest] = []
        try:
            code = run.run_command(command, values)
        except run.Usage as exc:
            raise typer.BadParameter(str(exc), param_hint=exc.hint) from None
        if code:
            raise typer.Exit(code)

    body.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    body.__annotations__ = {p.name: p.annotation for p in params}
    body.__name__ = command.name
    body.__doc__ = command.help
    return body


def _version(value: bool) -> None:
    if value:
        print(f"aideps {__version__}")
        raise typer.Exit()


def build(only: str | None = None) -> typer.Typer:
    """The app; `only`: just that command (Typer builds every command's
    options and help before running one; a plain command line needs one)."""
    app = typer.Typer(
        name="aideps",
        help=spec.APP_HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def main(ctx: typer.Context, **values: Any) -> None:
        """Global options."""

    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    for opt in spec.GLOBAL:
        annotation, default = _option(opt)
        params.append(inspect.Parameter(opt.dest, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation, default=default))
    version = Annotated[bool, typer.Option(*spec.VERSION.flags, callback=_version, is_eager=True, help=spec.VERSION.help)]
    params.append(inspect.Parameter("version", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=version, default=False))
    main.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    main.__annotations__ = {p.name: p.annotation for p in params}

    app.callback()(main)
    for command in spec.COMMANDS:
        if only is None or command.name == only:
            app.command(command.name, help=command.help)(_make(command))
    return app


_GLOBAL_VALUES = {f for opt in spec.GLOBAL if opt.takes_value for f in opt.flags}
_GLOBAL_FLAGS = {f for opt in spec.GLOBAL if not opt.takes_value for f in opt.flags}


def main(args: list[str], *, complete: bool = False) -> None:
    """Run the Typer app on `args` (exits)."""
    only = None
    if not complete:
        position = 0
        while position < len(args):
            word = args[position]
            if word in _GLOBAL_VALUES:
                position += 2
            elif word in _GLOBAL_FLAGS or word.split("=")[0] in _GLOBAL_VALUES:
                position += 1
            else:
                break
        if position < len(args) and args[position] in spec.BY_NAME:
            only = args[position]
    build(only)(args=args, prog_name="aideps")


app = build()

if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
