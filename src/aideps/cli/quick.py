"""`aideps show NAME` without Typer: the command people run most, at once.

Importing Typer (and what it imports: Click, inspect, subprocess, pathlib,
urllib, ...) takes some 30 ms, a third of a `show` run. When the command line
is plainly `[--no-color] [--data PATH] show NAME [--json | --csv] [--quotes]
[--data PATH]`, nothing Typer does is needed: this module answers exactly
as aideps.cli's `show` does (the same graph, renderers, messages and exit
codes; tests/test_quick.py compares the two). Anything else -- help, another
option, a typo, `--as-of` -- goes to Typer, which knows everything.
"""

from __future__ import annotations

import sys

GLOBAL_FLAGS = {"--no-color"}
SHOW_FLAGS = {"--json": "json", "--csv": "csv", "--quotes": "quotes", "-q": "quotes"}


def parse(args: list[str]) -> dict | None:
    """The options of a plain `show` command line, or None when Typer should read it."""
    options = {"data": None, "global_data": None, "no_color": False, "json": False, "csv": False, "quotes": False}
    names: list[str] = []
    position = 0
    seen_command = False
    while position < len(args):
        word = args[position]
        if word == "--data" or word.startswith("--data="):
            if word == "--data":
                if position + 1 >= len(args):
                    return None
                value = args[position + 1]
                position += 2
            else:
                value = word.partition("=")[2]
                position += 1
            if not value:
                return None
            options["data" if seen_command else "global_data"] = value
            continue
        if not seen_command:
            if word in GLOBAL_FLAGS:
                options["no_color"] = True
            elif word == "show":
                seen_command = True
            else:
                return None
        elif word in SHOW_FLAGS:
            options[SHOW_FLAGS[word]] = True
        elif word.startswith("-"):
            return None
        else:
            names.append(word)
        position += 1
    if not seen_command or len(names) != 1 or (options["json"] and options["csv"]):
        return None
    options["name"] = names[0]
    return options


def show(options: dict) -> int:
    """aideps.cli.show, guarded as aideps.cli.guarded guards it: the exit code."""
    from aideps.graph import store
    from aideps.graph.core import LookupFailed
    from aideps.knowledge.problems import DataError

    try:
        graph = store.graph(store.resolve_path(options["data"] or options["global_data"]))
        result = graph.profile(graph.resolve(options["name"]))
        from aideps.render import Options, emit

        fmt = "json" if options["json"] else "csv" if options["csv"] else "text"
        emit("profile", result, fmt, sys.stdout, Options(no_color=options["no_color"], quotes=options["quotes"]))
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except LookupFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def main(args: list[str]) -> int | None:
    """Answer a plain `show` command line; None: not one, ask Typer."""
    options = parse(args)
    if options is None:
        return None
    return show(options)
