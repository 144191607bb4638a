"""YAML text -> plain Python data, with a file:line:column for every node.

The knowledge file is edited by hand, so its reader must say exactly where a
mistake is, and it must stay safe and bounded on hostile input. This module
reads the YAML *event* stream (libyaml's parser when it is installed, else
PyYAML's own; both are iterative, so no input can exhaust the stack) and
builds the data itself, which lets it:

* record the position of every mapping key and every value (`Locator`);
* report duplicate mapping keys, which PyYAML silently accepts;
* leave dates as strings (`2023-03-30` stays `"2023-03-30"`): there is no
  timestamp resolver;
* construct nothing but str, int, float, bool, None, list and dict: any other
  tag (`!!python/object/apply:...`, `!!binary`, `!custom`) is a problem and
  its node is dropped, never constructed;
* stop early, in bounded memory, on alias bombs ("billion laughs"), on very
  deep nesting and on recursive aliases;
* turn encoding and syntax errors into `Problem`s in plain words.

Positions are 1-based lines and columns, counted in characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from aideps.knowledge.problems import Problem

# Limits. A real knowledge file is a few levels deep and a few tens of
# thousands of values; these are far above that and far below trouble.
MAX_DEPTH = 64
MAX_VALUES = 1_000_000  # values after expanding aliases
MAX_CHAR_PROBLEMS = 10  # report at most this many bad characters

Position = tuple[int, int]  # (line, column), 1-based

_TAG_PREFIX = "tag:yaml.org,2002:"
_STR = _TAG_PREFIX + "str"
_INT = _TAG_PREFIX + "int"
_FLOAT = _TAG_PREFIX + "float"
_BOOL = _TAG_PREFIX + "bool"
_NULL = _TAG_PREFIX + "null"
_SEQ = _TAG_PREFIX + "seq"
_MAP = _TAG_PREFIX + "map"
_MERGE = _TAG_PREFIX + "merge"
_VALUE = _TAG_PREFIX + "value"
_TIMESTAMP = _TAG_PREFIX + "timestamp"

# Characters YAML does not allow in a stream (the set PyYAML's reader rejects).
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Control characters a double-quoted escape can still put in a value; tabs and
# line breaks are text, the rest could drive the terminal a name is printed to.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class _Resolver(Resolver):
    """The standard YAML 1.1 resolver without timestamps: dates stay text."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

_RESOLVER = _Resolver()
_CONSTRUCTOR = SafeConstructor()


class _PyEventParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _event_parser(text: str, *, use_libyaml: bool | None = None) -> Any:
    if use_libyaml is None:
        use_libyaml = yaml.__with_libyaml__
    if use_libyaml:
        from yaml.cyaml import CParser

        return CParser(text)
    return _PyEventParser(text)


# --------------------------------------------------------------------------
# Positions


@dataclass
class _Info:
    """Where one mapping or list sits, and where its keys/items sit."""

    container: Any  # kept alive so that id() stays unique
    start: Position
    keys: dict = field(default_factory=dict)  # key -> (key position, value position)
    items: list = field(default_factory=list)  # item positions


class Locator:
    """Positions of the nodes of parsed data, addressed by path.

    `locator(path)` is where a person should look for the thing at `path`:
    for a mapping key, the key; for a list item, the item. A path that does
    not exist (a missing field) gives the start of the deepest mapping or list
    on the path that does exist.
    """

    def __init__(self, root: Any, infos: dict[int, _Info], root_start: Position) -> None:
        self.root = root
        self._infos = infos
        self.root_start = root_start
        # Paths whose values were dropped (bad tag, recursive alias, ...),
        # already reported by the parser.
        self.dropped: set[tuple] = set()

    def _walk(self, path: Iterable) -> tuple[Position, Position, bool]:
        """(key-or-item position, value position, found) of the deepest node on path."""
        node = self.root
        here = self.root_start
        key_pos = here
        for step in path:
            info = self._infos.get(id(node))
            if info is None or info.container is not node:
                return here, here, False
            if isinstance(node, dict):
                if step not in node:
                    return here, here, False
                key_pos, here = info.keys[step]
            elif isinstance(node, list):
                if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < len(node):
                    return here, here, False
                key_pos = here = info.items[step]
            else:
                return here, here, False
            node = node[step]
        return key_pos, here, True

    def __call__(self, path: Iterable) -> Position:
        return self._walk(path)[0]

    def key(self, path: Iterable) -> Position:
        """The position of the key (or list item) that `path` ends with."""
        return self._walk(path)[0]

    def value(self, path: Iterable) -> Position:
        """The position of the value at `path`."""
        return self._walk(path)[1]

    def exists(self, path: Iterable) -> bool:
        return self._walk(path)[2]


# --------------------------------------------------------------------------
# Text


def _line_col(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _decode(content: bytes, filename: str) -> tuple[str | None, list[Problem]]:
    if content.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, [
            Problem(filename, 1, 1, "the file is UTF-32 (it starts with a UTF-32 byte-order mark); save the file as UTF-8")
        ]
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [
            Problem(filename, 1, 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8")
        ]
    head = content[:200]
    if len(head) >= 4 and b"\x00" in head:
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        if max(even, odd) >= len(head) // 4:
            return None, [
                Problem(filename, 1, 1, "the file looks like UTF-16 (every other byte is zero); save the file as UTF-8")
            ]
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        return content.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
        line = content.count(b"\n", 0, bad) + 1
        line_start = content.rfind(b"\n", 0, bad) + 1
        col = len(content[line_start:bad].decode("utf-8", "replace")) + 1
        more = 0
        rest = content[exc.end :].decode("utf-8", "replace")
        more = rest.count("\ufffd")
        extra = f" ({more} more bad byte{'s' if more != 1 else ''} after it)" if more else ""
        byte = content[bad : bad + 1].hex().upper()
        message = (
            f"invalid UTF-8: byte 0x{byte} cannot be decoded{extra}; "
            "the file may be in Latin-1 or Windows-1252: save the file as UTF-8"
        )
        return None, [Problem(filename, line, col, message)]


def _check_characters(text: str, filename: str) -> list[Problem]:
    problems = []
    for match in _NON_PRINTABLE.finditer(text):
        if len(problems) == MAX_CHAR_PROBLEMS:
            break
        char = match.group()
        line, col = _line_col(text, match.start())
        problems.append(
            Problem(
                filename,
                line,
                col,
                f"character U+{ord(char):04X} is not allowed in YAML (a control or non-character); remove it",
            )
        )
    return problems


# --------------------------------------------------------------------------
# Syntax errors in plain words


def _too_deep_message() -> str:
    return f"lists and mappings nested more than {MAX_DEPTH} levels deep; a knowledge file needs only a few levels"


def _syntax_problem(exc: yaml.YAMLError, text: str, filename: str, lines: Any = None) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return Problem(filename, 1, 1, f"YAML syntax error: {exc}")
    line, col = mark.line + 1, mark.column + 1
    problem = (getattr(exc, "problem", None) or "").strip()
    context = (getattr(exc, "context", None) or "").strip()
    cmark = getattr(exc, "context_mark", None)
    where = f"line {cmark.line + 1}, column {cmark.column + 1}" if cmark is not None else ""

    lines = text.splitlines() if lines is None else lines  # aideps.stream gives the lines of a file it reads lazily
    line_text = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    char = line_text[mark.column] if 0 <= mark.column < len(line_text) else ""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    opener = ""
    if cmark is not None and 0 <= cmark.line < len(lines) and 0 <= cmark.column < len(lines[cmark.line]):
        opener = lines[cmark.line][cmark.column]
    quote_it = f"put text that starts with '{opener}' in quotes"

    if "nesting depth" in problem:
        # libyaml (from PyYAML 6.0.4) has a nesting limit of its own and may
        # reach it while scanning ahead, before our builder sees the 65th
        # level: the same limit, said the same way, whichever reader speaks.
        message = _too_deep_message()
        return Problem(filename, line, col, message)
    if char == "\t" or "tab" in problem or ("\t" in indent and "indent" in problem):
        message = "a tab character: YAML indents with spaces only; replace the tab with spaces"
        if "\t" in indent and char != "\t":
            col = indent.index("\t") + 1
    elif "flow sequence" in context:
        message = f"the list opened with '[' at {where} is not closed here: a ',' or ']' is missing"
    elif "flow mapping" in context:
        message = f"the mapping opened with '{{' at {where} is not closed here: a ',' or '}}' is missing"
    elif "quoted scalar" in context and "end of stream" in problem:
        message = f"the quoted text opened at {where} is never closed: a closing quote is missing"
    elif "quoted scalar" in context and "escape" in problem:
        message = (
            f"a backslash in the double-quoted text opened at {where} starts an unknown escape; "
            "write \\\\ for a backslash, or use single quotes"
        )
    elif "quoted scalar" in context:
        message = f"the quoted text opened at {where} is broken here ({problem})"
    elif "simple key" in context and cmark is not None and mark.line == cmark.line and mark.column - cmark.column > 1024:
        message = (
            f"expected a ':' within 1,024 characters of the key that starts at {where}: "
            "a key is at most 1,024 characters long; is a line missing its ':'?"
        )
    elif "simple key" in context:
        message = f"expected a ':' after the key that starts at {where}; is a line missing its ':'?"
    elif "cannot start any token" in problem:
        shown = f"'{char}'" if char else "this character"
        message = f"{shown} cannot start a value in YAML; put the value in quotes"
    elif "alias" in context or "anchor" in context:
        what = "an alias" if "alias" in context else "an anchor"
        message = f"'{opener or '*'}' starts {what} in YAML; {quote_it}"
    elif "block scalar" in context:
        message = f"'|' and '>' start a block of text in YAML; {quote_it}"
    elif "tag" in context:
        message = f"'!' starts a tag in YAML; {quote_it}"
    elif "directive" in context or (
        "document start" in problem and any(ln.startswith("%") for ln in lines[: mark.line])
    ):
        if "directive" not in context:  # PyYAML reads the directive, then stumbles after it
            line = next(n for n, ln in enumerate(lines[: mark.line], 1) if ln.startswith("%"))
            col = 1
        message = "'%' at the start of a line starts a directive in YAML; put text that starts with '%' in quotes"
    elif "mapping values are not allowed" in problem:
        message = "a ':' here is not allowed; put text that contains ': ' in quotes"
    elif "mapping keys are not allowed" in problem:
        message = "'? ' starts a complex key in YAML; put text that starts with '?' in quotes"
    elif "block mapping" in context:
        message = (
            f"this line does not line up with the mapping that starts at {where}: "
            "check its indentation (a key, or a missing ':'?)"
        )
    elif "block collection" in context or "block sequence" in context:
        message = (
            f"this line does not line up with the list that starts at {where}: "
            "check its indentation (a '- ' item expected)"
        )
    elif "node content" in problem:
        message = "a value is expected here; is one missing, or does it start with a character YAML reserves?"
    elif "document start" in problem:
        message = "unexpected text after the end of the document: check the indentation of this line"
    else:
        message = problem or str(exc)
        if context:
            message += f" ({context}" + (f" at {where})" if where else ")")
    return Problem(filename, line, col, f"YAML syntax error: {message}")


def _runaway_quote(problem: Problem, scalar: Any, filename: str) -> Problem:
    """A quote that is never closed runs on, over line ends, to the next quote
    character, and YAML stumbles right after it, lines below the mistake.
    Say where the quoted text began."""
    if scalar is None or getattr(scalar, "style", None) not in ('"', "'"):
        return problem
    start, end = scalar.start_mark, scalar.end_mark
    if end.line <= start.line or problem.line != end.line + 1:
        return problem
    return Problem(
        filename,
        problem.line,
        problem.column,
        f"YAML syntax error: the quoted text opened at line {start.line + 1}, column {start.column + 1} "
        f"runs on to this line: is its closing quote missing? ({problem.message.removeprefix('YAML syntax error: ')})",
    )


# --------------------------------------------------------------------------
# Building the data from events


def _show_tag(tag: str) -> str:
    if tag.startswith(_TAG_PREFIX):
        return "!!" + tag[len(_TAG_PREFIX) :]
    return tag


class _Fatal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    container: Any
    info: _Info
    path: tuple
    anchor: str | None
    size: int = 1
    drop: bool = False  # the whole node is dropped (bad tag, bad key)
    # for mappings: the pending key, its position, and whether it is usable
    key: Any = None
    key_pos: Position | None = None
    has_key: bool = False
    key_ok: bool = True
    first_seen: dict = field(default_factory=dict)  # (type, key) -> line of first occurrence
    streamed: bool = False  # a top-level list whose items are handed out one at a time


class _Builder:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.infos: dict[int, _Info] = {}
        self.anchors: dict[str, tuple[Any, int, bool, bool]] = {}  # name -> (value, size, complete, dropped)
        self.stack: list[_Frame] = []
        self.values = 0
        self.root: Any = None
        self.root_start: Position = (1, 1)
        self.done = False
        self.dropped: set[tuple] = set()
        # Streaming (aideps.stream): the items of the lists directly under the
        # root are handed out one at a time through `out` and not kept, so a
        # file of any length is read in the memory of its largest item. The
        # value limit then counts the values of the item being read, plus all
        # values added by aliases, plus everything outside the lists.
        self.streaming = False
        self.out: list[tuple] = []  # ("item", path, value, pos, infos, dropped) or ("end", path, count)
        self.root_infos = self.infos
        self.root_dropped = self.dropped
        self.alias_values = 0  # values added by aliases
        self.item_mark = (0, 0)  # (values, alias_values) when the current item began
        self.last_scalar: Any = None  # the last scalar event, for _runaway_quote

    # -- helpers

    def problem(self, pos: Position, message: str) -> None:
        self.problems.append(Problem(self.filename, pos[0], pos[1], message))

    def count(self, n: int, pos: Position, alias: str | None = None) -> None:
        self.values += n
        if alias is not None:
            self.alias_values += n
        if self.values > MAX_VALUES:
            if alias is not None:
                msg = (
                    f"alias '*{alias}' expands the data past {MAX_VALUES:,} values "
                    "(an alias bomb?); write the values out instead of nesting aliases"
                )
            else:
                msg = f"the file holds more than {MAX_VALUES:,} values, far more than a knowledge file needs"
            raise _Fatal(Problem(self.filename, pos[0], pos[1], msg))

    def child_path(self) -> tuple:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.kind == "seq":
            return top.path + (len(top.container),)
        if top.has_key:
            return top.path + (top.key,)
        return top.path + ("<key>",)

    # -- adding a finished value to its parent

    def add(self, value: Any, pos: Position, size: int, *, drop: bool = False) -> None:
        if not self.stack:
            self.root = None if drop else value
            self.root_start = pos
            self.done = True
            return
        top = self.stack[-1]
        top.size += size
        if top.kind == "seq":
            path = top.path + (len(top.container),)
            if top.streamed:
                self.emit(top, value, pos, path, drop)
                return
            if drop:
                self.dropped.add(path)
                value = None
            top.container.append(value)
            top.info.items.append(pos)
            return
        if not top.has_key:
            top.has_key = True
            top.key_pos = pos
            top.key = value
            top.key_ok = not drop
            if drop:
                return
            if isinstance(value, (dict, list)):
                kind = "a mapping" if isinstance(value, dict) else "a list"
                self.problem(pos, f"a mapping key must be plain text, not {kind}")
                top.key_ok = False
                return
            marker = (type(value), value)
            first = top.first_seen.get(marker)
            if first is not None:
                self.problem(
                    pos,
                    f"duplicate key '{value}' (first at line {first}); each key may appear once in a mapping",
                )
                top.key_ok = False
                return
            top.first_seen[marker] = pos[0]
            return
        key, key_pos, key_ok = top.key, top.key_pos, top.key_ok
        top.has_key = False
        top.key = top.key_pos = None
        if not key_ok:
            return
        if drop:
            self.dropped.add(top.path + (key,))
            value = None
        top.container[key] = value
        top.info.keys[key] = (key_pos, pos)

    # -- events

    def scalar(self, event: Any) -> None:
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        self.count(1, pos)
        tag = event.tag
        value = event.value
        drop = False
        if tag is None:
            tag = _RESOLVER.resolve(ScalarNode, value, event.implicit)
        elif tag == "!":
            tag = _STR
        if tag == _STR or tag == _VALUE:
            result: Any = value
        elif tag == _NULL:
            result = None
        elif tag in (_INT, _FLOAT, _BOOL):
            node = ScalarNode(tag, value)
            try:
                if tag == _INT:
                    result = _CONSTRUCTOR.construct_yaml_int(node)
                elif tag == _FLOAT:
                    result = _CONSTRUCTOR.construct_yaml_float(node)
                else:
                    result = _CONSTRUCTOR.construct_yaml_bool(node)
            except (ValueError, KeyError, TypeError):
                if tag == _INT and len(value) > 1000:  # Python reads at most 4300 digits
                    self.problem(
                        pos,
                        f"a number {len(value):,} characters long is too long to read; "
                        "write the figure the source gives (or put text in quotes)",
                    )
                else:
                    self.problem(pos, f"'{value}' is not a valid {_show_tag(tag)} value")
                result, drop = None, True
        elif tag == _MERGE:
            self.problem(pos, "merge keys ('<<') are not supported; write the fields out")
            result, drop = None, True
        else:
            self.problem(pos, self._tag_message(tag))
            result, drop = None, True
        if isinstance(result, str):
            bad = _CONTROL_IN_TEXT.search(result)
            if bad is not None:
                self.problem(
                    pos,
                    f"the text holds the control character U+{ord(bad.group()):04X}, written as an escape "
                    "(like \\e, \\x1b or \\u001b); remove it: it could change what a terminal shows",
                )
        if event.anchor is not None:
            self.anchors[event.anchor] = (result, 1, True, drop)
        self.add(result, pos, 1, drop=drop)

    def _tag_message(self, tag: str) -> str:
        shown = _show_tag(tag)
        danger = " (it would run code)" if "python/" in tag else ""
        return (
            f"tag '{shown}' is not allowed{danger}: a knowledge file holds only text, "
            "numbers, true/false, lists and mappings"
        )

    def start(self, event: Any, kind: str) -> None:
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        if len(self.stack) >= MAX_DEPTH:
            raise _Fatal(
                Problem(
                    self.filename,
                    pos[0],
                    pos[1],
                    _too_deep_message(),
                )
            )
        self.count(1, pos)
        container: Any = {} if kind == "map" else []
        info = _Info(container, pos)
        if self.stack and self.stack[-1].streamed:
            self.infos, self.dropped = {}, set()  # an item of a streamed list begins
        self.infos[id(container)] = info
        drop = False
        tag = event.tag
        expected = _MAP if kind == "map" else _SEQ
        if tag is not None and tag != "!" and tag != expected:
            self.problem(pos, self._tag_message(tag))
            drop = True
        frame = _Frame(kind, container, info, self.child_path(), event.anchor, drop=drop)
        if self.streaming and kind == "seq" and not drop and event.anchor is None:
            root = self.stack[0] if len(self.stack) == 1 else None
            if not self.stack or (root is not None and root.kind == "map" and root.key_ok and not root.drop):
                frame.streamed = True
                self.item_mark = (self.values, self.alias_values)
        if event.anchor is not None:
            self.anchors[event.anchor] = (container, 0, False, False)
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.streamed:
            self.out.append(("end", frame.path, len(frame.container)))
        if frame.anchor is not None:
            # A refused node stays refused when an alias repeats it.
            value = None if frame.drop else frame.container
            self.anchors[frame.anchor] = (value, frame.size, True, frame.drop)
        self.add(frame.container, frame.info.start, frame.size, drop=frame.drop)

    def emit(self, top: _Frame, value: Any, pos: Position, path: tuple, drop: bool) -> None:
        """Hand out a finished item of a streamed list and forget it: its
        values no longer count towards the limit (those added by aliases do)."""
        infos, dropped = self.infos, self.dropped
        if infos is self.root_infos:  # a scalar item: no containers of its own
            infos, dropped = {}, set()
        if drop:
            dropped.add(path)
            value = None
        self.infos, self.dropped = self.root_infos, self.root_dropped
        values, aliases = self.item_mark
        self.values -= (self.values - values) - (self.alias_values - aliases)
        self.item_mark = (self.values, self.alias_values)
        top.container.append(None)  # keeps the item count (and so the paths of the next items)
        self.out.append(("item", path, value, pos, infos, dropped))

    def alias(self, event: Any) -> None:
        pos = (event.start_mark.line + 1, event.start_mark.column + 1)
        name = event.anchor
        entry = self.anchors.get(name)
        if entry is None:
            self.problem(pos, f"alias '*{name}' refers to no anchor '&{name}' defined before it")
            self.count(1, pos)
            self.add(None, pos, 1, drop=True)
            return
        value, size, complete, dropped = entry
        if not complete:
            self.problem(
                pos,
                f"alias '*{name}' is inside the very node it refers to; recursive data is not allowed",
            )
            self.count(1, pos)
            self.add(None, pos, 1, drop=True)
            return
        self.count(size, pos, alias=name)
        self.add(value, pos, size, drop=dropped)


def run_events(builder: _Builder, parser: Any) -> Iterator[Any]:
    """Feed the parser's events to the builder, yielding each event once it
    is built in (aideps.stream takes the streamed items out of `builder.out`
    then). Stops at the end of the stream or at a second document; raises
    _Fatal (a limit) and yaml.YAMLError (a syntax error) as they come."""
    while True:
        event = parser.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return
        if isinstance(event, yaml.DocumentStartEvent):
            if builder.done:
                pos = (event.start_mark.line + 1, event.start_mark.column + 1)
                builder.problem(pos, "a second YAML document starts here; a knowledge file is one document")
                return
        elif isinstance(event, yaml.ScalarEvent):
            builder.last_scalar = event
            builder.scalar(event)
        elif isinstance(event, yaml.MappingStartEvent):
            builder.start(event, "map")
        elif isinstance(event, yaml.SequenceStartEvent):
            builder.start(event, "seq")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            builder.end()
        elif isinstance(event, yaml.AliasEvent):
            builder.alias(event)
        yield event


@dataclass
class Parsed:
    data: Any
    locator: Locator
    problems: list[Problem]

    def __iter__(self):  # allows `data, locator, problems = parse(...)`
        return iter((self.data, self.locator, self.problems))


def parse(content: bytes | str, filename: str, *, use_libyaml: bool | None = None) -> Parsed:
    """Parse one YAML document into plain data, with positions.

    Returns (data, locator, problems). `data` is None when the text cannot
    be read as YAML at all (bad encoding, syntax error, limits exceeded) or
    holds no document; problems are then said. Problems that leave the rest
    readable (duplicate keys, disallowed tags) come with the data, whose
    offending values are dropped.
    """
    empty = Locator(None, {}, (1, 1))
    if isinstance(content, bytes):
        text, problems = _decode(content, filename)
        if text is None:
            return Parsed(None, empty, problems)
    else:
        text = content[1:] if content.startswith("\ufeff") else content

    bad_chars = _check_characters(text, filename)
    if bad_chars:
        return Parsed(None, empty, bad_chars)

    builder = _Builder(filename)
    parser = _event_parser(text, use_libyaml=use_libyaml)
    try:
        for _ in run_events(builder, parser):
            pass
    except _Fatal as fatal:
        return Parsed(None, empty, builder.problems + [fatal.problem])
    except yaml.YAMLError as exc:
        problem = _syntax_problem(exc, text, filename)
        problem = _runaway_quote(problem, builder.last_scalar, filename)
        return Parsed(None, empty, builder.problems + [problem])
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()

    locator = Locator(builder.root, builder.infos, builder.root_start)
    locator.dropped = builder.dropped
    return Parsed(builder.root, locator, builder.problems)


__all__ = ["Locator", "Parsed", "parse", "MAX_DEPTH", "MAX_VALUES"]
