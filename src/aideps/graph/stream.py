"""A list read as it is written (a large export's nodes and edges)."""

from __future__ import annotations

TYPE_CHECKING = False  # (not typing's: it costs every run ~9 ms of start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Iterable, Iterator


class Stream:
    """A list that is read as it is written: the items of `make()`, an
    iterable made afresh each time the stream is iterated (a large export's
    nodes and edges, read from the index as the document is encoded, never
    held together). JSON writes it as a list; `count` is how many items the
    last iteration gave."""

    def __init__(self, make: Callable[[], Iterable[Any]]) -> None:
        self._make = make
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        self.count = 0
        for item in self._make():
            self.count += 1
            yield item

    def map(self, change: Callable[[Any], Any]) -> "Stream":
        """This stream with `change(item)` for each item, as it is read (a
        copy: its length and whatever else it says of its items are kept)."""
        import copy

        mapped = copy.copy(self)
        make = self._make
        mapped._make = lambda: map(change, make())
        mapped.count = 0
        return mapped


class SizedStream(Stream):
    """A Stream whose length is known before it is read (`len()`, and false
    when empty), for a text report that says how many before it lists them."""

    def __init__(self, make: Callable[[], Iterable[Any]], length: int) -> None:
        super().__init__(make)
        self.length = length

    def __len__(self) -> int:
        return self.length
