"""Plain output drawn without Rich (aideps.render.lite, the plain kit) is
Rich's output (aideps.render.richkit), byte for byte: every entity's profile
of the bundled, the test and a synthetic knowledge file, at several widths,
with and without quotes; every view, through emit."""

from __future__ import annotations

import functools
import random

import pytest

from aideps.graph import store
from aideps.graph.core import Graph
from aideps.render import lite, richkit, spool, table

WIDTHS = [40, 57, 80, 100, 133, 1000]


def rich_text(draw, width: int, monkeypatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    return richkit.render(draw, no_color=True)


def graphs(tmp_path):
    from test_index import MINI, synthetic

    yield "bundled", Graph(store.load(store.bundled_path(), use_cache=False))
    yield "mini", Graph(store.load(MINI, use_cache=False))
    yield "synthetic", Graph(store.load(synthetic(tmp_path / "s.yaml", entities=40, relationships=200), use_cache=False))


def test_every_profile_is_drawn_as_rich_draws_it(tmp_path, monkeypatch):
    drawn = 0
    for name, graph in graphs(tmp_path):
        for eid in graph.entities:
            result = graph.profile(eid)
            for quotes in (False, True):
                draw = functools.partial(table.profile, result, quotes=quotes)
                for width in WIDTHS:
                    try:
                        ours = lite.render(draw, width)
                    except lite.Unsupported:
                        continue
                    assert ours == rich_text(draw, width, monkeypatch), (name, eid, quotes, width)
                    drawn += 1
    assert drawn > 500  # the stand-ins drew nearly all of them


def test_what_it_cannot_draw_is_left_to_rich(monkeypatch):
    graph = Graph(store.load(store.bundled_path(), use_cache=False))
    result = graph.partnership("hardware")
    draw = functools.partial(table.partnership, result)
    # A table whose every cell fits on one line of its column is drawn as Rich draws it...
    assert lite.render(draw, 1000) == rich_text(draw, 1000, monkeypatch)
    # ...shrunk and wrapped as Rich does it, and on a line too narrow even
    # then, listed as Rich lists it: a record per row.
    assert lite.render(draw, 60) == rich_text(draw, 60, monkeypatch)
    records = lite.render(draw, 30)
    assert records == rich_text(draw, 30, monkeypatch)
    assert "─" not in records and max(map(len, records.splitlines())) <= 30
    profile = graph.profile("openai")
    profile["entity"]["description"] += " 中文"  # two cells wide
    with pytest.raises(lite.Unsupported):
        lite.render(functools.partial(table.profile, profile), 100)


def test_the_one_cell_characters_are_one_cell_for_rich():
    from rich.cells import cell_len

    ranges = lite._ONE_CELL.pattern[2:-3]
    chars = []
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            chars += [chr(c) for c in range(ord(ranges[i]), ord(ranges[i + 2]) + 1)]
            i += 3
        else:
            chars.append(ranges[i])
            i += 1
    assert len(chars) > 1000
    assert [c for c in chars if cell_len(c) != 1] == []


def test_words_wrap_as_rich_divides_them_without_splitting_a_word():
    from rich._wrap import divide_line

    rng = random.Random(5)
    alphabet = "ab cd  ef-gh→“”—·\u00e9"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        width = rng.randint(1, 25)
        assert lite.divide_line(text, width) == divide_line(text, width, fold=False), (text, width)


def test_a_word_wider_than_the_line_ends_in_an_ellipsis_as_rich_cuts_it():
    from rich.text import Text

    rng = random.Random(7)
    alphabet = "ab cd  ef-ghé"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        width = rng.randint(1, 25)
        rich_lines = [line.plain for line in Text(text, overflow="ellipsis").wrap(None, width)]
        assert lite.wrap(text, width) == rich_lines, (text, width)


def test_plain_width_follows_rich(monkeypatch):
    import io

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert lite.plain_width(io.StringIO()) == lite.PIPE_WIDTH
    monkeypatch.setenv("COLUMNS", "77")
    assert lite.plain_width(io.StringIO()) == 77
    monkeypatch.setenv("COLUMNS", "wide")
    assert lite.plain_width(io.StringIO()) is None
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert lite.plain_width(io.StringIO()) is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("FORCE_COLOR")
    assert lite.plain_width(Terminal()) is None


@pytest.mark.parametrize("width", ["100", "60"])
def test_every_command_prints_the_same_without_rich(width, monkeypatch):
    """Whatever a command draws, with the stand-ins or with Rich: the same text."""
    from typer.testing import CliRunner

    from aideps.cli.typer_app import app
    from test_index import _every_command

    monkeypatch.setenv("COLUMNS", width)
    monkeypatch.delenv("AIDEPS_DATA", raising=False)
    runner = CliRunner()
    commands = [[arg for arg in c if arg != "--json"] for c in _every_command(store.bundled_path(), ("openai", "nvidia"))]
    commands += [["show", "openai", "--quotes"], ["show", "nvidia"], ["tree", "nvidia", "--reverse"]]
    plain = {" ".join(c): runner.invoke(app, c, prog_name="aideps") for c in commands}
    monkeypatch.setattr(lite, "plain_width", lambda stream=None: None)
    for command in commands:
        expected = runner.invoke(app, command, prog_name="aideps")
        got = plain[" ".join(command)]
        assert (got.exit_code, got.stdout) == (expected.exit_code, expected.stdout), command


@pytest.mark.parametrize("width", ["100", "60", "44"])
def test_every_view_is_drawn_as_rich_draws_it(width, monkeypatch):
    """emit's text of every view, on the test files and the bundled one: with
    the plain kit where it can draw it, and with Rich only: the same text."""
    import io
    import sys
    from pathlib import Path

    from aideps import analysis
    from aideps.render import Options, emit

    sys.path.insert(0, str(Path(__file__).resolve().parent / "render"))
    from cases import CASES
    from test_emit import result_of

    bundled = store.graph(store.bundled_path())
    results = [(view, result_of(data, args, "text"), "--quotes" in args) for data, view, args in CASES]
    results += [
        ("profile", bundled.profile("openai"), True),
        ("partnership", bundled.partnership("hardware", None, None, "name"), False),
        ("diff", analysis.diff(bundled, "2020", "2025", entity=None, stream=True, grouped=True), False),
        ("impact", analysis.impact(bundled, "nvidia", depth=None, kinds=[]), False),
        ("conflicts", analysis.conflicts(bundled, None), False),
        ("timeline", analysis.timeline(bundled, "openai"), False),
    ]
    monkeypatch.setenv("COLUMNS", width)

    def emitted(view: str, result: dict, quotes: bool) -> str:
        out = io.StringIO()
        emit(view, result, "text", out, Options(quotes=quotes))
        return out.getvalue()

    plain = [emitted(*case) for case in results]
    drawn = []
    real = lite.pieces

    def counted(draw, width):
        text = real(draw, width)
        drawn.append(text)
        return text

    monkeypatch.setattr(lite, "pieces", counted)
    assert [emitted(*case) for case in results] == plain
    assert len(drawn) >= 12  # the plain kit drew the profiles, diffs, impacts, conflicts
    monkeypatch.setattr(lite, "plain_width", lambda stream=None: None)
    for case, expected in zip(results, plain):
        assert emitted(*case) == expected, case[0]


# ---- tables: drawn as Rich draws them, or left to Rich ---------------------------

import os  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.text(alphabet="abcXYZ019 -—…’é", min_size=0, max_size=14)
_LONG = st.text(alphabet="ab9/-.:", min_size=31, max_size=90)  # a URL: longer than layout.LONG_WORD
_TEXT = st.one_of(
    _WORDS,
    st.lists(_WORDS, min_size=1, max_size=3).map(" ".join),
    st.lists(_WORDS, min_size=1, max_size=3).map("\n".join),
    st.lists(_WORDS | _LONG, min_size=1, max_size=3).map(" ".join),
    st.text(alphabet=" ", min_size=31, max_size=60),  # blank, and longer than LONG_WORD
)
# A cell: None, a str, or kit.text with its own no_wrap and overflow (as `list` sets on a name).
_CELL = st.one_of(st.none(), _TEXT, st.tuples(_TEXT, st.sampled_from([None, True, False]), st.sampled_from([None, "ellipsis", "fold"])))
_COLUMN = st.fixed_dictionaries(
    {},
    optional={
        "justify": st.sampled_from(["left", "right"]),
        "no_wrap": st.booleans(),
        "style": st.just("bold"),
        "min_width": st.integers(0, 25),
        "max_width": st.integers(1, 30),
        "overflow": st.sampled_from(["ellipsis", "fold"]),
    },
)


@st.composite
def tables(draw):
    columns = draw(st.lists(st.tuples(st.text(alphabet="abc id.", max_size=9), _COLUMN), min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(_CELL, min_size=len(columns), max_size=len(columns)), max_size=6))
    title = draw(st.none() | _WORDS)
    caption = draw(st.none() | _WORDS)
    return columns, rows, title, caption


@settings(max_examples=int(os.environ.get("AIDEPS_EXAMPLES", "300")), deadline=None)
@given(tables(), st.integers(8, 140))
def test_a_table_is_drawn_as_rich_draws_it_or_left_to_rich(spec, width):
    columns, rows, title, caption = spec

    def draw(kit):
        table = kit.table(title, caption=caption)
        for header, options in columns:
            table.add_column(header, **options)
        for row in rows:
            cells = []
            for cell in row:
                if isinstance(cell, tuple):
                    text, no_wrap, overflow = cell
                    cell = kit.text(text)
                    cell.no_wrap, cell.overflow = no_wrap, overflow
                cells.append(cell)
            table.add_row(*cells)
        kit.print(table)

    try:
        ours = lite.render(draw, width)
    except lite.Unsupported:
        return
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        assert ours == richkit.render(draw, no_color=True)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def test_a_long_listing_is_drawn_without_rich_when_piped():
    """`list` of a thousand entities, piped: the plain kit draws the table
    (Rich would take seconds to measure every cell), and it is Rich's text."""
    entities = [
        {"id": f"asset-{n}", "name": f"Asset number {n}", "type": "model", "relationships": n % 7, "aliases": [], "description": ""}
        for n in range(1000)
    ]
    draw = functools.partial(table.entity_list, {"entities": entities})
    text = lite.render(draw, lite.PIPE_WIDTH)
    assert text.splitlines()[2].split() == ["asset-0", "Asset", "number", "0", "model", "0"]
    lines = text.splitlines()
    assert lines[1002:] == ["1000 entities; `aideps show ID` for one;", "--long for details"]  # wrapped at the table's width
    assert lines[1001].split() == ["asset-999", "Asset", "number", "999", "model", "5"]


def test_fold_id_breaks_after_hyphens_and_cuts_only_a_longer_piece():
    assert lite.fold_id("application-specific-chips", 26) == "application-specific-chips"
    assert lite.fold_id("application-specific-chips", 20) == "application-\nspecific-chips"
    assert lite.fold_id("stanford-center-for-artificial-intelligence", 12) == "stanford-\ncenter-for-\nartificial-\nintelligence"
    assert lite.fold_id("abcdefghijklmnopqrstuvwxyz", 10) == "abcdefghij\nklmnopqrst\nuvwxyz"
    for text in ("a-b-c", "aaaa-bbbbbbbbbbbbbbb-c", "x" * 30, "-lead-", "trail--"):
        for width in range(1, 12):
            folded = lite.fold_id(text, width)
            assert folded.replace("\n", "") == text
            assert max(map(len, folded.split("\n"))) <= width


@pytest.mark.parametrize("width", [48, 60, 80])
def test_a_long_id_folds_in_list_and_nothing_is_cropped(width, monkeypatch):
    entities = [
        {"id": "stanford-center-for-artificial-intelligence-in-medicine-and-imaging", "name": "Stanford Center for Artificial Intelligence in Medicine and Imaging", "type": "organization", "relationships": 3, "aliases": [], "description": ""},
        {"id": "gpt-4", "name": "GPT-4", "type": "model", "relationships": 12, "aliases": [], "description": ""},
    ]  # fmt: skip
    draw = functools.partial(table.entity_list, {"entities": entities})
    text = rich_text(draw, width, monkeypatch)
    assert lite.render(draw, width) == text
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    assert lines[0].split() == ["id", "name", "type", "links"]  # a table, not records
    ids = "".join(line.split()[0] for line in lines[2:-2] if line and not line.startswith(" ") and "gpt-4" not in line)
    assert ids == entities[0]["id"]  # folded, every character kept
    assert {"Artificial", "Intelligence", "Medicine", "Imaging"} <= set(" ".join(lines).split())


URL = "https://papers.example.org/paper_files/paper/2011/hash/5dd9db5e033da9c6fb5ba83c7a7ebea9-Abstract.html"


def _timeline_with_a_url(kit):
    grid = kit.table("Timeline")
    for header in ("date", "event", "what", "status", "source"):
        grid.add_column(header)
    grid.add_row("2011-12-12", "released", kit.text(f"SBU Captions  The date the [[paper]]({URL}) was published.", "bold"), "", "[2]")
    for n in range(30):
        grid.add_row(f"2019-06-{n + 1:02}", "began", f"Asset {n} → YouTube  built-on", "no stage given", f"[{n + 3}]")
    kit.print(grid)


@pytest.mark.parametrize("width", [86, 100, 120])
def test_a_long_url_folds_and_the_table_stays_a_table(width, monkeypatch):
    """One cell's 100-character URL (as an Ecosystem Graphs card's note has)
    folds, after its slashes where it can; every other row stays a table
    row, rather than every row printed as a record; nothing is cut."""
    draw = _timeline_with_a_url
    text = rich_text(draw, width, monkeypatch)
    assert lite.render(draw, width) == text
    lines = text.splitlines()
    assert lines[1].split() == ["date", "event", "what", "status", "source"]  # a table, not records
    assert max(map(len, lines)) <= width and "…" not in text
    assert sum(line.startswith("2019-06-") for line in lines) == 30  # a line (or two) per row, not a record
    what = lines[1].index("what")
    start = next(n for n, line in enumerate(lines) if line.startswith("2011"))
    end = next(n for n, line in enumerate(lines) if line.startswith("2019"))
    folded = "".join(line[what:].split("[2]")[0].strip() for line in lines[start:end])
    assert URL in folded.replace("was published.", " was published.")
    assert any(line.rstrip().endswith("/") for line in lines[start:end])  # broken after a slash
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = richkit.render(draw, no_color=False)
    assert coloured.count("\x1b[1m") >= 2  # the folded cell keeps its style on each of its lines


@pytest.mark.parametrize("width", [60, 72])
def test_a_table_whose_prose_would_be_squeezed_is_printed_as_records(width, monkeypatch):
    """Folding the URL would leave the prose column under layout.LONG_WORD:
    each row is a record then, as without a long word."""
    text = rich_text(_timeline_with_a_url, width, monkeypatch)
    assert lite.render(_timeline_with_a_url, width) == text
    lines = text.splitlines()
    assert lines[2].split() == ["date", "2011-12-12"] and "what" not in lines[1]  # records, no header row
    assert max(map(len, lines)) <= width and "…" not in text  # the URL folds in its record too
    assert URL in "".join(line[8:].strip() for line in lines[5:8]).replace("was published.", "")


def test_fold_long_folds_only_what_does_not_fit_and_keeps_every_character():
    headers = ["date", "what"]
    rows = [["2011", f"see {URL} now"], ["2012", "short words only"]]
    assert lite.fold_long(headers, rows, [(False, "ellipsis")] * 2, 200) is None  # the URL fits: nothing to fold
    caps, folded = lite.fold_long(headers, rows, [(False, "ellipsis")] * 2, 60)
    assert caps == [60 - 1 - 2 - 4] * 2  # the room the date column leaves (a space between, a pad each side)
    assert folded[1] == rows[1] and folded[0][0] == "2011"
    assert folded[0][1].replace("\n", "") == rows[0][1]
    assert max(len(word) for word in folded[0][1].split()) <= caps[1]
    assert lite.fold_long(headers, rows + [["2013", " " * 80]], [(False, "ellipsis")] * 2, 60)[1][2] == ["2013", " " * 80]  # blank: as it is
    assert lite.fold_words(" " * 80, 10) == " " * 80
    assert lite.fold_long(headers, rows, [(False, "ellipsis")] * 2, 30) is None  # under LONG_WORD: records
    assert lite.fold_long(headers, [["2011", "short"]], [(False, "ellipsis")] * 2, 20) is None  # nothing long


def test_a_grid_with_an_empty_second_column_is_drawn_as_rich_draws_it(monkeypatch):
    def draw(kit):
        grid = kit.grid(2)
        grid.add_row(kit.text("kinds:", "dim"), kit.text())
        grid.add_row(kit.text("stages:", "dim"), "")
        kit.print(grid)
        grid = kit.grid(2)
        grid.add_row("a", "b c")  # narrower than MIN_GRID_TEXT, but nothing wraps
        kit.print(grid)

    for width in (20, 80, 1000):
        assert lite.render(draw, width) == rich_text(draw, width, monkeypatch) == "kinds:\nstages:\na  b c\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(["a", "b", " ", "\n", "é", "→", "\xa0", "\u2028"]), max_size=12), min_size=1, max_size=6))
def test_a_columns_extent_is_its_longest_word_and_line(texts):
    """A column's narrowest and widest (Rich's measure of each cell): the
    longest word of any cell (a blank cell's longest line), and the longest
    line, counted over all its cells at once."""
    table = lite.Table(None, None, False)
    table.add_column("h")
    for text in texts:
        table.rows.append(((text,), None))
    word = line = 1  # the header's
    for text in texts:
        lines = text.splitlines()
        longest = max(map(len, lines)) if lines else 0
        words = text.split()
        word = max(word, min(max(map(len, words)) if words else longest, longest))
        line = max(line, longest)
    assert table._extent(0) == (word, line)
    table._extents.clear()
    table.BLOCK = 2  # measured a block of rows at a time, as a whole file's column is
    assert table._extent(0) == (word, line)


def _many_lines(kit) -> None:
    kit.print("Title  with  spaces   ")
    for n in range(2_500):
        kit.print(f"line {n} é → {'x' * (n % 7)}{' ' * (n % 3)}")
    table = kit.table("A table of many rows")
    for header in ("who", "what"):
        table.add_column(header)
    for n in range(3_000):
        table.add_row(f"row {n}", "a few words that wrap " * (n % 4))
    kit.print(table)


def _spills(monkeypatch, cls, size) -> list:
    """How much each spill of `cls` (spool.Spool, spool.Rows) wrote (`size`
    of it before): a list that fills as they happen."""
    spilled = []
    spill = cls._spill

    def counted(self):
        spilled.append(size(self))
        spill(self)

    monkeypatch.setattr(cls, "_spill", counted)
    return spilled


def test_a_long_text_is_spooled_and_written_as_it_was_drawn(monkeypatch):
    """Past Spool.LINES, the lines printed go to a temporary file and come
    back in pieces: the same text, its trailing spaces dropped as before."""
    held = lite.render(_many_lines, 60)
    spilled = _spills(monkeypatch, spool.Spool, lambda spooled: len(spooled.lines))
    monkeypatch.setattr(spool.Spool, "LINES", 97)
    assert lite.render(_many_lines, 60) == held
    assert len(spilled) > 50 and max(spilled) <= 97 + 60  # a table's lines are spooled as they are drawn
    assert held.startswith("Title  with  spaces\nline 0 é →\nline 1 é → x\n")
    assert "row 2999" in held and " \n" not in held


def _no_temporary_files(monkeypatch) -> None:
    """A disk with no room: every temporary file refused."""
    import tempfile

    def refused(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)


def test_a_spool_without_room_holds_its_lines_and_loses_none(monkeypatch):
    """No temporary file can be made, or one fills up halfway: the lines are
    held in memory instead, and the text is the same, none twice."""
    import io
    import tempfile

    held = lite.render(_many_lines, 60)
    monkeypatch.setattr(spool.Spool, "LINES", 97)
    _no_temporary_files(monkeypatch)
    assert lite.render(_many_lines, 60) == held

    class Filling(io.BytesIO):
        writes = 0

        def write(self, data):
            Filling.writes += 1
            if Filling.writes == 3:
                super().write(data[: len(data) // 2])  # half of it, then no room
                raise OSError(28, "No space left on device")
            return super().write(data)

    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: Filling())
    assert lite.render(_many_lines, 60) == held
    assert Filling.writes == 3


def _many_rows(kit) -> None:
    """A table of some hundreds of rows: cells that wrap, a cell with its own
    overflow, and a column blank in every row (left out once all are in)."""
    from aideps.render.kit import filled

    table = kit.table("Rows past what a table holds")

    def rows():
        for n in range(700):
            own = kit.text(f"id-{n}-" + "x" * (n % 40))
            own.overflow = "fold"
            yield [f"row {n}", "a few words that wrap " * (n % 5), "", own]

    filled(table, [("who", {}), ("what", {"ratio": 1}), ("blank", {}), ("id", {"no_wrap": True})], rows())
    kit.print(table)


@pytest.mark.parametrize("width", [40, 60, 100, 200])
def test_a_tables_rows_past_what_it_holds_go_to_a_file_and_draw_the_same(width, monkeypatch):
    """Past Rows.HELD, a table's rows are written to a temporary file a block
    at a time and read back to be measured and drawn: the same lines, at any
    width (wrapped, folded, as records), and the blank column still left out."""
    held = lite.render(_many_rows, width)
    written = _spills(monkeypatch, spool.Rows, lambda rows: len(rows.held))
    monkeypatch.setattr(spool.Rows, "HELD", 50)
    monkeypatch.setattr(spool.Rows, "BLOCK", 7)
    assert lite.render(_many_rows, width) == held
    assert len(written) == 700 // 50 and set(written) == {50}
    assert "blank" not in held and "699" in held


def test_a_table_without_room_for_its_rows_holds_them(monkeypatch):
    """No temporary file for a table's rows: they are held, none lost."""
    held = lite.render(_many_rows, 80)
    monkeypatch.setattr(spool.Rows, "HELD", 50)
    _no_temporary_files(monkeypatch)
    assert lite.render(_many_rows, 80) == held


def test_nothing_is_written_when_the_plain_kit_gives_up_after_spooling(monkeypatch):
    monkeypatch.setattr(spool.Spool, "LINES", 10)

    def draw(kit):
        _many_lines(kit)
        kit.print(kit.text("\x1b[31m"))  # a control character: Rich's to draw

    with pytest.raises(lite.Unsupported):
        lite.pieces(draw, 60)


@pytest.mark.parametrize("width", ["40", "100"])
def test_a_column_blank_in_every_row_is_left_out_as_rows_stream_in(width, monkeypatch):
    from aideps.render.kit import filled

    def rows():
        for n in range(50):
            yield [f"name {n}", "", f"{n} units" if n % 2 else "", ""]

    def draw(kit):
        table = kit.table("Some rows")
        filled(table, [("who", {"style": "bold"}), ("blank", {}), ("amount", {"justify": "right"}), ("none", {})], rows())
        kit.print(table)

    monkeypatch.setenv("COLUMNS", width)
    ours = lite.render(draw, int(width))
    assert ours == richkit.render(draw, no_color=True)
    header = ours.splitlines()[1]
    assert "who" in header and "amount" in header and "blank" not in header and "none" not in header


def test_a_stream_in_a_result_is_clipped_as_it_is_read():
    from aideps.graph.stream import SizedStream

    stream = SizedStream(lambda: iter([{"name": "n" * (lite.TEXT_CAP + 5)}, {"name": "short"}]), 2)
    stream.kinds = {"research": 2}
    clipped = lite.clipped({"items": stream, "title": "t"})["items"]
    assert len(clipped) == 2 and clipped.kinds == {"research": 2}
    first, second = list(clipped)
    assert first["name"].startswith("n" * lite.TEXT_CAP + "… [5 more characters")
    assert second == {"name": "short"}
    assert len(list(stream)[0]["name"]) == lite.TEXT_CAP + 5  # the result itself is not changed


@pytest.mark.parametrize("longest, walked", [(None, True), (lite.TEXT_CAP, True), (lite.TEXT_CAP // 8, False), (600, False)])
def test_a_streams_texts_known_short_are_not_walked_for_clipping(longest, walked):
    """A text answer clips a stream's items as they are read unless every
    text of the data is known to be far shorter than the cap
    (Store.longest_text): a whole file's hundreds of thousands of items then
    cost no walk. What is not streamed is clipped either way."""
    from aideps.graph.stream import SizedStream
    from aideps.render import text

    stream = SizedStream(lambda: iter([{"name": "short"}]), 1)
    seen = {}

    def renderer(result, kit):
        seen.update(result)
        kit.print(result["title"])

    lines = "".join(lite.pieces(text.framed(renderer, {"items": stream, "title": "t" * (lite.TEXT_CAP + 3)}, longest=longest), 80))
    assert (seen["items"] is not stream) is walked
    assert list(seen["items"]) == [{"name": "short"}]
    assert "[3 more characters: the whole text with --json or --csv]" in lines and len(seen["title"]) < lite.TEXT_CAP + 100
