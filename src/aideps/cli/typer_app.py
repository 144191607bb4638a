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
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperArgument

try:  # Typer 0.26 and later carry their own copy of Click
    from typer import _click as click
    from typer._click import shell_completion
    from typer.exceptions import Abort
except ImportError:  # Typer 0.24-0.25 use Click itself
    import click  # type: ignore[no-redef]
    from click import shell_completion  # type: ignore[no-redef]
    from click.exceptions import Abort  # type: ignore[no-redef,assignment]

from aideps import __version__
from aideps.cli import run, spec
from aideps.cli.spec import Arg, Command, Opt

_ENUMS: dict[tuple[str, ...], type[enum.Enum]] = {}
SHELLS = ("bash", "zsh", "fish", "powershell")


class _Words(click.types.StringParamType):
    """A positional argument's type, without a type name in the help
    (Typer's help would print `<str>` next to NAME)."""

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return ""


_typer_argument_metavar = TyperArgument.make_metavar


def _argument_metavar(self: Any, ctx: Any, *, usage: bool = False) -> str:
    """An argument with a metavar is written as it is (`NAME`, `[NAME]`,
    `TEXT...`) in the usage line, not `{NAME}` as Typer writes it."""
    if self.metavar is not None:
        return self.metavar
    return _typer_argument_metavar(self, ctx, usage=usage)


TyperArgument.make_metavar = _argument_metavar  # type: ignore[method-assign]


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

        return store.graph(store.resolve_paths(_data_option(ctx))).completions(incomplete)
    except Exception:  # a broken knowledge file must not break the shell
        return []


def _data_option(ctx: typer.Context) -> list[str]:
    """The --data values, those before the command first."""
    found: list[str] = []
    node: Optional[typer.Context] = ctx
    while node is not None:
        found = [str(p) for p in node.params.get("data") or []] + found
        node = node.parent
    return found


def _check_date_argument(value: str) -> str:
    return _check_date(value) or value


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is not None:
        from aideps.knowledge.dates import problem

        trouble = problem(value)
        if trouble:
            from aideps.knowledge.text import escaped

            raise typer.BadParameter(escaped(trouble))  # the value is an argument: shown, not obeyed
    return value


def _at_least(least: int):
    def check(value: Optional[int]) -> Optional[int]:
        if value is not None and value < least:
            raise typer.BadParameter(f"{value} is not in the range x>={least}.")
        return value

    return check


def _option(opt: Opt) -> tuple[Any, Any]:
    """(annotation, default) of a Typer parameter for `opt`."""
    extra: dict[str, Any] = {"help": opt.help, "show_default": opt.default not in (None, False, [])}
    if opt.hidden:
        extra["hidden"] = True
    if opt.metavar:
        extra["metavar"] = opt.metavar
    if opt.envvar:
        extra["envvar"] = opt.envvar
    if opt.type == "int":
        # No IntRange: its `<int range> [x>=0]` would show in the help.
        extra.setdefault("metavar", "N")
        if opt.min is not None:
            extra["callback"] = _at_least(opt.min)
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
        extra["callback"] = _check_date_argument
    base: Any = Path if arg.type == "path" else str
    extra["click_type"] = _Words()
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
        values["data"] = [str(p) for p in (state.get("data") or [])] + [str(p) for p in (values.get("data") or [])]
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


def _show_completion(ctx: typer.Context, value: Optional[str]) -> None:
    """Print the completion script of that shell (Typer's own flag would
    print the script of the shell it runs in, whatever was asked)."""
    if value:
        script = shell_completion.get_completion_class(_shell(value))
        print(script(ctx.find_root().command, {}, "aideps", "_AIDEPS_COMPLETE").source())
        raise typer.Exit()


def _install_completion(value: Optional[str]) -> None:
    if value:
        from typer._completion_shared import install

        if value != "auto" and value not in SHELLS:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(map(repr, SHELLS))}.")
        shell, path = install(None if value == "auto" else _shell(value), "aideps", "_AIDEPS_COMPLETE")
        print(f"{shell} completion installed in {path}")
        print("Completion will take effect once you restart the terminal")
        raise typer.Exit()


def _shell(value: Any) -> str:
    return value.value if isinstance(value, enum.Enum) else str(value)


_SHELL = enum.Enum("Shell", [(name, name) for name in SHELLS], type=str, module=__name__)  # type: ignore[misc]


def build(only: str | None = None) -> typer.Typer:
    """The app; `only`: just that command (Typer builds every command's
    options and help before running one; a plain command line needs one)."""
    from typer.completion import completion_init

    completion_init()  # Typer's completion of every shell, as add_completion would
    app = typer.Typer(
        name="aideps",
        help=spec.APP_HELP,
        no_args_is_help=True,
        add_completion=False,  # ours below: --show-completion SHELL prints that shell's script
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
    show = Annotated[
        Optional[_SHELL],
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_show_completion,
            is_eager=True,
            help=f"Print the completion script of SHELL ({', '.join(SHELLS)}) and exit.",
        ),
    ]
    params.append(inspect.Parameter("show_completion", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=show, default=None))
    install = Annotated[
        Optional[str],
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            callback=_install_completion,
            is_eager=True,
            help=f"Install completion for SHELL ({', '.join(SHELLS)}; default: the shell you run) and exit.",
        ),
    ]
    params.append(inspect.Parameter("install_completion", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=install, default=None))
    main.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    main.__annotations__ = {p.name: p.annotation for p in params}

    app.callback()(main)
    for command in spec.COMMANDS:
        if only is None or command.name == only:
            app.command(command.name, help=command.help)(_make(command))
    return app


def _sane_size() -> None:
    """COLUMNS / LINES that are not a plausible size (99999999999999999999,
    -3, 'wide') are ignored, as if unset: Rich would fail on them in --help."""
    import os

    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.isascii() and value.isdigit() and 0 < int(value[:7]) <= 10000 and len(value) <= 5):
            del os.environ[name]


_GLOBAL_VALUES = {f for opt in spec.GLOBAL if opt.takes_value for f in opt.flags}
_GLOBAL_FLAGS = {f for opt in spec.GLOBAL if not opt.takes_value for f in opt.flags}


def main(args: list[str], *, complete: bool = False) -> None:
    """Run the Typer app on `args` (exits)."""
    _sane_size()
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
    if "--install-completion" in args:  # its SHELL may be left out: the shell you run
        at = args.index("--install-completion") + 1
        if at == len(args) or args[at].startswith("-"):
            args = [*args[:at], "auto", *args[at:]]
    try:
        code = build(only)(args=args, prog_name="aideps", standalone_mode=False)
    except click.exceptions.ClickException as exc:
        _error(exc)
        sys.exit(exc.exit_code)
    except Abort:
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    except SystemExit as exc:
        # Typer's and Rich's answer to a closed stdout (help, a completion
        # script) is exit 1; aideps's, everywhere, is 141 (aideps.cli.output).
        # Our own exit codes come back as `code` above, not as SystemExit.
        if exc.code == 1 and _stdout_closed():
            from aideps.cli.output import EXIT_PIPE, silence_stdout

            silence_stdout()
            sys.exit(EXIT_PIPE)
        raise
    sys.exit(code if isinstance(code, int) else 0)


def _stdout_closed() -> bool:
    """Whether Typer (PacifyFlushWrapper) or Rich (stdout moved onto
    /dev/null) has just met a closed stdout."""
    import os

    if isinstance(sys.stdout, click.utils.PacifyFlushWrapper):
        return True
    try:
        now, null = os.fstat(sys.stdout.fileno()), os.stat(os.devnull)
    except (OSError, ValueError, AttributeError):
        return False
    return (now.st_dev, now.st_ino, now.st_rdev) == (null.st_dev, null.st_ino, null.st_rdev)


_SURROGATE_REPR = re.compile(r"\\udc([89a-f][0-9a-f])")


def _error(exc: Any) -> None:
    """A usage error: Typer's box on a terminal; plain `Usage: ...`, `Try
    ...` and `Error: ...` lines when stderr is a file or a pipe.

    Click's messages repeat what was typed (a bad value, an unknown option
    or command, an extra argument, a path), each release quoting it its own
    way; the message is shown through the one text policy
    (aideps.knowledge.text.escaped): a control character, an escape
    sequence, a bidi control or a byte that is not UTF-8 in an argument is
    written as `\\x1b`, `\\u202e`, never obeyed by the terminal."""
    from aideps.knowledge.text import escaped

    message = exc.format_message
    # Click itself (Typer 0.24-0.25) quotes a value with repr(): a byte that
    # is not UTF-8 arrives as the six characters `\udce9`; say it as the
    # policy does, `\xe9`.
    exc.format_message = lambda: _SURROGATE_REPR.sub(r"\\x\1", escaped(message()))
    try:
        pretty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        pretty = False
    if pretty:
        from typer import rich_utils

        rich_utils.rich_format_error(exc)
    else:
        exc.show()


app = build()

if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
