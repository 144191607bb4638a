"""aideps.render.emit, for every view in every format, prints what the
command lines printed before the renderers were reshaped (tests/render/
expected.json, recorded from main's CLI by tests/render/cases.py): piped
at 100, 60 and 1000 columns, with forced colour, and as CSV; JSON is
json.dumps of the result."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import CASES, EXPECTED, FIXTURES, FORMATS, VARIANTS, key, keys  # noqa: E402

from aideps import render  # noqa: E402
from aideps.graph import store  # noqa: E402
from aideps.render import Options, emit, jsonout, registry  # noqa: E402

ALL = json.loads(EXPECTED.read_text(encoding="utf-8"))


def result_of(data: str, args: list[str], fmt: str = "json") -> dict:
    """The result the command line `args` builds (as aideps.cli does) for `fmt`."""
    from aideps import analysis
    from aideps.graph import asof
    from aideps.graph.where import Where

    graph = store.graph(FIXTURES / f"{data}.yaml")
    args = list(args)
    as_of = None
    if "--as-of" in args:
        at = args.index("--as-of")
        as_of = args[at + 1]
        del args[at : at + 2]
        graph = asof.at(graph, as_of)
    command, *rest = args

    def dated(result: dict) -> dict:
        if as_of:
            result["as_of"] = graph.as_of_summary()
        return result

    if command == "show":
        return dated(graph.profile(graph.resolve(rest[0])))
    if command in ("hardware", "research", "distribution"):
        where = Where.of([rest[rest.index("--stage") + 1]]) if "--stage" in rest else None
        return dated(graph.partnership(command, None, where, "name"))
    if command == "tree":
        return dated(graph.tree(graph.resolve(rest[0]), reverse="--reverse" in rest, depth=None, kinds=[]))
    if command == "list":
        return graph.entity_list([])
    if command == "search":
        return graph.search(" ".join(rest))
    if command == "sources":
        return graph.source_list()
    if command == "timeline":
        return analysis.timeline(graph, graph.resolve(rest[0]) if rest else None)
    if command == "diff":
        return analysis.diff(graph, rest[0], rest[1], entity=None, stream=True, grouped=fmt == "text")
    if command == "why":
        a, b = graph.resolve(rest[0]), graph.resolve(rest[1])
        result = dated(analysis.why(graph, a, b, depth=4, kinds=[], limit=100))
        result.setdefault("as_of", None)
        return result
    if command == "impact":
        result = dated(analysis.impact(graph, graph.resolve(rest[0]), depth=None, kinds=[]))
        result.setdefault("as_of", None)
        return result
    if command == "stats":
        result = dated(analysis.stats(graph, top=3))
        result.setdefault("as_of", None)
        return result
    if command == "conflicts":
        return analysis.conflicts(graph, graph.resolve(rest[0]) if rest else None)
    raise AssertionError(command)


def _emitted(view: str, result: dict, fmt: str, options: Options = Options()) -> str:
    out = io.StringIO()
    emit(view, result, fmt, out, options)
    return out.getvalue()


@pytest.mark.parametrize(
    "data, view, args, fmt, variant",
    [k for k in keys() if k[3] != "json" and not (k[3] == "csv" and k[1] == "stats")],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_emit_prints_what_the_command_printed(data, view, args, fmt, variant, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in VARIANTS[variant].items():
        monkeypatch.setenv(name, value)
    quotes = "--quotes" in args
    got = _emitted(view, result_of(data, args, fmt), fmt, Options(quotes=quotes))
    assert got == ALL[key(data, args, fmt, variant)]


@pytest.mark.parametrize("data, view, args", CASES, ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_emit_json_is_the_result(data, view, args):
    result = result_of(data, args)
    assert _emitted(view, result, "json") == jsonout.dumps(result)


def test_every_view_has_an_entry_and_its_formats():
    assert set(registry.FORMATS) == set(render.VIEWS)
    assert {view for _, view, _ in CASES} == set(render.VIEWS)
    for view in render.VIEWS:
        assert render.formats(view)[:2] == ("text", "json"), view
        assert set(render.formats(view)) <= set(FORMATS)
    assert render.formats("stats") == ("text", "json")
    assert render.formats("profile") == ("text", "json", "csv")


def test_a_view_without_its_entry_fails(monkeypatch):
    monkeypatch.delitem(registry.FORMATS, "timeline")
    with pytest.raises(ValueError, match="unknown view: timeline"):
        _emitted("timeline", {}, "text")
    with pytest.raises(ValueError, match="unknown view"):
        render.formats("timeline")
    with pytest.raises(ValueError, match="no csv output for stats"):
        _emitted("stats", {}, "csv")


def test_no_color_and_no_color_env_drop_the_colour(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    result = result_of("mini", ["show", "orbit-labs"])
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = Terminal()
    emit("profile", result, "text", coloured)
    green = "\x1b[32m"  # active
    assert green in coloured.getvalue()
    plain = ALL[key("mini", ["show", "orbit-labs"], "text", "100")]
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured.getvalue()) == plain
    for options, env in ((Options(no_color=True), None), (Options(), "1")):
        if env:
            monkeypatch.setenv("NO_COLOR", env)
        out = Terminal()
        emit("profile", result, "text", out, options)
        assert green not in out.getvalue() and "\x1b[1m" in out.getvalue()  # bold stays, as in Rich


def test_tree_guides_in_ascii_when_the_output_cannot_say_them():
    result = result_of("mini", ["tree", "orbit-labs"])
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    emit("tree", result, "text", out)
    out.seek(0)
    text = out.read()
    assert text.splitlines()[1].startswith("|-- ") and "`-- " in text
    utf8 = _emitted("tree", result, "text")
    assert utf8.splitlines()[1].startswith("├── ")


def test_what_the_output_cannot_encode_is_replaced():
    result = result_of("mini", ["show", "orbit-labs"])
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    emit("profile", result, "json", out)
    out.seek(0)
    assert json.loads(out.read())["entity"]["id"] == "orbit-labs"


def test_piped_text_does_not_import_rich():
    import subprocess

    code = (
        "import io, sys\n"
        "from aideps.graph import store\n"
        "from aideps.render import emit\n"
        f"g = store.graph({str(FIXTURES / 'mini.yaml')!r})\n"
        "out = io.StringIO()\n"
        "emit('profile', g.profile('orbit-labs'), 'text', out)\n"
        "emit('tree', g.tree('orbit-labs'), 'text', out)\n"
        "emit('profile', g.profile('orbit-labs'), 'csv', out)\n"
        "assert out.getvalue()\n"
        "print('rich' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "False\n"

