"""Text output for people: drawn through a layout kit, or plain lines.

`drawn(renderer)` is the text of a renderer that draws through a kit
(aideps.render.kit): plain text without Rich when the output is not a
terminal (aideps.render.lite), else Rich (aideps.render.richkit), the same
text either way. `lines(render)` is the text of a renderer of plain lines
(tree, why), in ASCII when the output cannot encode box-drawing characters.
Both frame an as-of result (one with a truthy "as_of"): the date and what
it leaves out above, the doubts below.
"""

from __future__ import annotations

from typing import IO, Any, Callable, Iterable, Iterator

from aideps.render import lite, when

# Characters of a tree and of a why path that an ASCII terminal cannot print.
BOX_DRAWING = "├─│└·…"


def draw(draw: Callable[[Any], None], out: IO[str], *, no_color: bool = False) -> str:
    """What `draw(kit)` prints, for `out`: without Rich when `out` gets plain
    text and the plain kit draws it exactly, else with Rich."""
    width = lite.plain_width(out)
    if width is not None:
        try:
            return lite.render(draw, width)
        except lite.Unsupported:
            pass
    from aideps.render import richkit

    return richkit.render(draw, out, no_color=no_color)


def framed(renderer: Callable[..., None], result: dict, **options: Any) -> Callable[[Any], None]:
    """`renderer(result, kit, **options)`, with the as-of date above and its doubts below."""

    result = lite.clipped(result)  # an enormous text is drawn cut (lite.TEXT_CAP)

    def frame(kit: Any) -> None:
        if result.get("as_of"):
            kit.print(kit.text(when.heading(result["as_of"]), "dim"))
        renderer(result, kit, **options)
        footer = when.footer(result) if result.get("as_of") else []
        if footer:
            kit.print()
            for line in footer:
                kit.print(kit.text(line, "dim"))

    return frame


def framed_lines(body: Iterable[str], result: dict) -> Iterator[str]:
    """Lines, with the as-of date above and its doubts below."""
    if not result.get("as_of"):
        yield from body
        return
    yield when.heading(result["as_of"])
    yield from body
    footer = when.footer(result)
    if footer:
        yield ""
        yield from footer


def encodable(text: str, out: IO[str]) -> bool:
    """Whether `out` can write `text` (its encoding; UTF-8 when it has none)."""
    try:
        text.encode(getattr(out, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
