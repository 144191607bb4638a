"""Whose claim a quote is and how firmly it is said, in words (format 2:
every quoted item carries `by`, `who`, `comment` and `hedge`).

`attribution(claim, source)` is what every view prints after a quote:
nothing for the author stating it; "a reader's comment" (with the
comment's author when the source names one); "per <who>" for a report the
author cites; "<who> says" for a party; and the hedge (reported, seems,
speculation) whenever it is not stated. A hedged or reader's claim never
reads like a fact.
"""

from __future__ import annotations

from collections.abc import Mapping


def comment_of(claim: Mapping, source: Mapping | None) -> dict | None:
    """The reader's comment a claim comes from ({"id", "author"}), or None."""
    cid = claim.get("comment")
    if not cid:
        return None
    for comment in (source or {}).get("comments") or []:
        if comment.get("id") == cid:
            return {"id": cid, "author": comment.get("author")}
    return {"id": cid, "author": None}


def attribution(claim: Mapping, source: Mapping | None = None) -> str:
    """The attribution of a claim in words ("" for the author stating it)."""
    by = claim.get("by") or "author"
    who = claim.get("who")
    words: list[str] = []
    if by == "reader":
        comment = comment_of(claim, source)
        author = (comment or {}).get("author") or who
        words.append(f"a reader's comment by {author}" if author else "a reader's comment")
    elif by == "cited":
        words.append(f"per {who}" if who else "per a cited report")
    elif by == "party":
        words.append(f"{who} says" if who else "a party says")
    hedge = claim.get("hedge") or "stated"
    if hedge != "stated":
        words.append(hedge)
    return ", ".join(words)


def claim_doc(claim: Mapping, source: Mapping | None) -> dict:
    """What JSON says of whose claim a quote is: {"by", "who", "comment", "hedge", "attribution"}."""
    if not claim.get("comment") and claim.get("by") in (None, "author") and claim.get("hedge") in (None, "stated"):
        # The author stating it (most claims): no comment to find, no words.
        return {"by": "author", "who": claim.get("who"), "comment": None, "hedge": "stated", "attribution": ""}
    return {
        "by": claim.get("by") or "author",
        "who": claim.get("who"),
        "comment": comment_of(claim, source),
        "hedge": claim.get("hedge") or "stated",
        "attribution": attribution(claim, source),
    }
