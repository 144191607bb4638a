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

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from aideps.knowledge.problems import Problem
from aideps.knowledge.yamlwords import (
    CONTROL_IN_TEXT,
    MAX_DEPTH,
    check_characters,
    decode,
    runaway_quote,
    syntax_problem,
    too_deep_message,
)

# Limits. A real knowledge file is a few levels deep and a few tens of
# thousands of values; these are far above that and far below trouble.
MAX_VALUES = 1_000_000  # values after expanding aliases

Position = tuple[int, int]  # (line, column), 1-based

TAG_PREFIX = "tag:yaml.org,2002:"
TAG_STR = TAG_PREFIX + "str"
TAG_INT = TAG_PREFIX + "int"
TAG_FLOAT = TAG_PREFIX + "float"
TAG_BOOL = TAG_PREFIX + "bool"
TAG_NULL = TAG_PREFIX + "null"
TAG_SEQ = TAG_PREFIX + "seq"
TAG_MAP = TAG_PREFIX + "map"
TAG_MERGE = TAG_PREFIX + "merge"
TAG_VALUE = TAG_PREFIX + "value"
TAG_TIMESTAMP = TAG_PREFIX + "timestamp"

class _Resolver(Resolver):
    """The standard YAML 1.1 resolver without timestamps: dates stay text."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TAG_TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

RESOLVER = _Resolver()
CONSTRUCTOR = SafeConstructor()


class _PyEventParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def event_parser(text: str, *, use_libyaml: bool | None = None) -> Any:
    if use_libyaml is None:
        use_libyaml = yaml.__with_libyaml__
    if use_libyaml:
        from yaml.cyaml import CParser

        return CParser(text)
    return _PyEventParser(text)


# --------------------------------------------------------------------------
# Positions


@dataclass
class Info:
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

    def __init__(self, root: Any, infos: dict[int, Info], root_start: Position) -> None:
        self.root = root
        self.infos = infos
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
            info = self.infos.get(id(node))
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

    def sub(self, path: tuple) -> "Locator":
        """The locator of the node at `path`, by paths from it (the same dropped paths, from the top)."""
        node = self.root
        for step in path:
            node = node[step]
        sub = Locator(node, self.infos, self._walk(path)[0])
        sub.dropped = self.dropped
        return sub


class Item:
    """One item of a top-level list, as the readers hand it out: `section`
    is the list's key (None for a root list), `index` its place, `value` the
    data, `pos` its (line, column), `locator` the positions of its nodes by
    path from the item, `dropped` the paths (from the top) of values the
    reader dropped, having said why."""

    __slots__ = ("section", "index", "value", "pos", "locator", "dropped")

    def __init__(self, section: Any, index: int, value: Any, pos: tuple, locator: "Locator", dropped: Any) -> None:
        self.section = section
        self.index = index
        self.value = value
        self.pos = pos
        self.locator = locator
        self.dropped = dropped


class SectionEnd:
    """The end of a top-level list, after `count` items."""

    __slots__ = ("section", "count")

    def __init__(self, section: Any, count: int) -> None:
        self.section = section
        self.count = count


# --------------------------------------------------------------------------
# Building the data from events


def _show_tag(tag: str) -> str:
    if tag.startswith(TAG_PREFIX):
        return "!!" + tag[len(TAG_PREFIX) :]
    return tag


class Fatal(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    container: Any
    info: Info
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


class Builder:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Problem] = []
        self.infos: dict[int, Info] = {}
        self.anchors: dict[str, tuple[Any, int, bool, bool]] = {}  # name -> (value, size, complete, dropped)
        self.stack: list[_Frame] = []
        self.values = 0
        self.root: Any = None
        self.root_start: Position = (1, 1)
        self.done = False
        self.dropped: set[tuple] = set()
        # Streaming (aideps.knowledge.stream): the items of the lists directly under the
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
        self.last_scalar: Any = None  # the last scalar event, for runaway_quote

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
            raise Fatal(Problem(self.filename, pos[0], pos[1], msg))

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
            tag = RESOLVER.resolve(ScalarNode, value, event.implicit)
        elif tag == "!":
            tag = TAG_STR
        if tag == TAG_STR or tag == TAG_VALUE:
            result: Any = value
        elif tag == TAG_NULL:
            result = None
        elif tag in (TAG_INT, TAG_FLOAT, TAG_BOOL):
            node = ScalarNode(tag, value)
            try:
                if tag == TAG_INT:
                    result = CONSTRUCTOR.construct_yaml_int(node)
                elif tag == TAG_FLOAT:
                    result = CONSTRUCTOR.construct_yaml_float(node)
                else:
                    result = CONSTRUCTOR.construct_yaml_bool(node)
            except (ValueError, KeyError, TypeError):
                if tag == TAG_INT and len(value) > 1000:  # Python reads at most 4300 digits
                    self.problem(
                        pos,
                        f"a number {len(value):,} characters long is too long to read; "
                        "write the figure the source gives (or put text in quotes)",
                    )
                else:
                    self.problem(pos, f"'{value}' is not a valid {_show_tag(tag)} value")
                result, drop = None, True
        elif tag == TAG_MERGE:
            self.problem(pos, "merge keys ('<<') are not supported; write the fields out")
            result, drop = None, True
        else:
            self.problem(pos, self._tag_message(tag))
            result, drop = None, True
        if isinstance(result, str):
            bad = CONTROL_IN_TEXT.search(result)
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
            raise Fatal(
                Problem(
                    self.filename,
                    pos[0],
                    pos[1],
                    too_deep_message(),
                )
            )
        self.count(1, pos)
        container: Any = {} if kind == "map" else []
        info = Info(container, pos)
        if self.stack and self.stack[-1].streamed:
            self.infos, self.dropped = {}, set()  # an item of a streamed list begins
        self.infos[id(container)] = info
        drop = False
        tag = event.tag
        expected = TAG_MAP if kind == "map" else TAG_SEQ
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


def run_events(builder: Builder, parser: Any) -> Iterator[Any]:
    """Feed the parser's events to the builder, yielding each event once it
    is built in (aideps.knowledge.stream takes the streamed items out of `builder.out`
    then). Stops at the end of the stream or at a second document; raises
    Fatal (a limit) and yaml.YAMLError (a syntax error) as they come."""
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
        text, problems = decode(content, filename)
        if text is None:
            return Parsed(None, empty, problems)
    else:
        text = content[1:] if content.startswith("\ufeff") else content

    bad_chars = check_characters(text, filename)
    if bad_chars:
        return Parsed(None, empty, bad_chars)

    builder = Builder(filename)
    parser = event_parser(text, use_libyaml=use_libyaml)
    try:
        for _ in run_events(builder, parser):
            pass
    except Fatal as fatal:
        return Parsed(None, empty, builder.problems + [fatal.problem])
    except yaml.YAMLError as exc:
        problem = syntax_problem(exc, text, filename)
        problem = runaway_quote(problem, builder.last_scalar, filename)
        return Parsed(None, empty, builder.problems + [problem])
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()

    locator = Locator(builder.root, builder.infos, builder.root_start)
    locator.dropped = builder.dropped
    return Parsed(builder.root, locator, builder.problems)


def items_of(root: Any, locator: Locator, keys: Any = None) -> Iterator[Item | SectionEnd]:
    """The items of the lists under the top-level mapping `root` (those of
    `keys` only, if given), each list followed by its end, in file order: what
    the streaming reader hands out, from a document parsed whole."""
    if not isinstance(root, dict):
        return
    for key, value in root.items():
        if not isinstance(value, list) or (keys is not None and key not in keys):
            continue
        for i, item in enumerate(value):
            path = (key, i)
            yield Item(key, i, item, locator.key(path), locator.sub(path), locator.dropped)
        yield SectionEnd(key, len(value))


__all__ = ["Item", "Locator", "Parsed", "SectionEnd", "items_of", "parse", "MAX_DEPTH", "MAX_VALUES"]
