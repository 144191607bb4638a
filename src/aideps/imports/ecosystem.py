"""`aideps import ecosystem-graphs DIR`: Stanford CRFM's Ecosystem Graphs as
a format-2 knowledge file, faithful to what the cards say and no more.

- Each organization a card names is an entity of type `organization` (the
  cards do not say whether it is a company, a lab or a university); a card
  naming several ("Meta, CMU") gives its asset several `parents`.
- Each card is an entity (model, dataset, application) and a source: the
  card's url, no date (cards have none), a note naming the file. Cards with
  the same name and the same makers (one asset filed twice) are one entity
  with both sources.
- The card's created_date is the asset's own dated event: `released` or
  `announced` when the date's explanation says so, else `other` ("created",
  the card's word); the explanation is the event's `date_note`.
- license, access, modality and size are facts (a size with a number is a
  number with its unit).
- Each dependency is a relationship of kind `built_on` (the cards' "used to
  create", without saying trained on, fine-tuned from or uses), citing the
  card's `dependencies` field; it starts at the card's created_date (the
  asset was made with it), and its stage is left out, as the card's is.
  A name no card has becomes an `unknown` placeholder entity, so the file
  validates; a name that matches a card only when case or spacing is ignored
  leads to that card; a name several cards share leads to the one with a
  maker in common, else to the last one (as the website does).
- Names are kept as written; only where two entities would share a name (an
  asset named like its maker, two makers' assets of one name) is the asset's
  name qualified: "Dragonfly (Together)". Ids are slugs of the names.

Every claim cites the card's field (`field: dependencies`), never a made-up
quote. The output order is fixed: sources, then organizations, assets and
placeholders, each as the files list them; relationships by card, then by
the card's order of dependencies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from aideps.imports.cards import Card, asset_files, event_kind, read_cards
from aideps.imports.mess import Mess
from aideps.knowledge.names import fold

CARD_TYPES = {"model": "model", "dataset": "dataset", "application": "application"}
SITE = "https://github.com/stanford-crfm/ecosystem-graphs/blob/main"
PUBLISHER = "Stanford CRFM Ecosystem Graphs"
HEADER = (
    "# Imported by `aideps import ecosystem-graphs` from Stanford CRFM's Ecosystem Graphs.\n"
    "# Each card is a source; every claim cites the card's field (`field:`), not a quote.\n"
    "# Dependencies are `built_on`: the cards say an asset was used to create another, not how.\n"
)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "x"


class Names:
    """Ids and names handed out so that each leads to one entity, as the checks fold them."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def free(self, ident: str, name: str) -> bool:
        return ident not in self.taken and fold(name) not in self.taken

    def claim(self, base_id: str, names: list[str], qualifiers: list[str]) -> tuple[str, str]:
        """The first of `names` not taken (else numbered), and an id from it."""
        chosen = next((n for n in names if fold(n) not in self.taken), None)
        if chosen is None:
            number = 2
            while fold(f"{names[-1]} {number}") in self.taken:
                number += 1
            chosen = f"{names[-1]} {number}"
        candidates = [base_id] + [f"{base_id}-{slug(q)}" for q in qualifiers] + [slug(chosen)]
        ident = next((c for c in candidates if c not in self.taken), "")
        number = 2
        while not ident or ident in self.taken:
            ident = f"{base_id}-{number}"
            number += 1
        self.taken.add(ident)
        self.taken.add(fold(chosen))
        return ident, chosen


@dataclass
class Asset:
    """One entity made of one card (or of several cards of one asset)."""

    cards: list[Card]
    id: str = ""
    name: str = ""
    parents: list[str] = field(default_factory=list)

    @property
    def card(self) -> Card:
        return self.cards[0]


def _source_id(asset: Asset, index: int) -> str:
    return f"eg-{asset.id}" if index == 0 else f"eg-{asset.id}-{index + 1}"


def _summary(a: str, b: str) -> str:
    return f"{a} was made with {b}, per its Ecosystem Graphs card"


class Importer:
    def __init__(self, folder: Path, *, on_file: Callable[[Path], None] | None = None) -> None:
        self.folder = folder
        self.files = asset_files(folder)
        self.on_file = on_file
        self.mess = Mess()
        self.names = Names()
        self.orgs: dict[str, tuple[str, str]] = {}  # folded org name -> (id, name)
        self.assets: list[Asset] = []
        self.by_name: dict[str, list[Asset]] = {}  # exact name -> assets
        self.by_fold: dict[str, list[Asset]] = {}
        self.placeholders: dict[str, dict] = {}  # folded name -> entity

    # -- reading

    def read(self) -> None:
        same: dict[tuple[str, tuple[str, ...]], Asset] = {}
        skipped: list = []
        org_order: list[str] = []
        for card in read_cards(self.files, on_file=self.on_file, skipped=skipped):
            self.mess.card(card)
            for org in card.organizations:
                if fold(org) not in self.orgs:
                    self.orgs[fold(org)] = ("", org)
                    org_order.append(org)
            key = (card.name, tuple(fold(o) for o in card.organizations))
            if key in same:
                same[key].cards.append(card)
                continue
            asset = same[key] = Asset([card])
            self.assets.append(asset)
            self.by_name.setdefault(card.name, []).append(asset)
        for file, position, why in skipped:
            self.mess.add("skipped_entries", f"{file} entry {position}: {why}")
        # Organizations first: they keep their names.
        for org in org_order:
            ident, name = self.names.claim(slug(org), [org], [])
            self.orgs[fold(org)] = (ident, name)
        org_names = set(self.orgs)
        for name, assets in self.by_name.items():
            if len(assets) > 1 or any(len(a.cards) > 1 for a in assets):
                self.mess.duplicate(name, [c for a in assets for c in a.cards], merged=len(assets) == 1)
        for asset in self.assets:
            card = asset.card
            asset.parents = [self.orgs[fold(o)][0] for o in card.organizations]
            kind = CARD_TYPES.get(card.type, card.type or "asset")
            first_org = card.organizations[0] if card.organizations else kind
            shared = len(self.by_name[card.name]) > 1
            choices = [card.name] if not shared else []
            if shared and fold(first_org) != fold(card.name):
                choices.append(f"{card.name} ({first_org})")
            choices += [f"{card.name} ({kind})", f"{card.name} ({first_org}, {kind})", f"{card.name} ({card.file[7:]})"]
            ident, name = self.names.claim(slug(card.name), choices, [first_org, kind])
            asset.id, asset.name = ident, name
            if name != card.name:
                why = "an organization has this name" if fold(card.name) in org_names else "several cards have this name"
                self.mess.add("renamed", f"{card.name!r} ({card.file}) shown as {name!r}: {why}")
            self.by_fold.setdefault(loose(card.name), []).append(asset)

    # -- resolving a dependency

    def resolve(self, ref: str, asset: Asset) -> tuple[str, str]:
        """(entity id, how): exact, folded, organization, ambiguous or placeholder."""
        exact = self.by_name.get(ref)
        how = "exact"
        if not exact:
            exact = self.by_fold.get(loose(ref))
            how = "folded"
        if exact:
            if len(exact) == 1:
                return exact[0].id, how
            mine = set(asset.parents)
            shared = [a for a in exact if mine & set(a.parents)]
            chosen = (shared or exact)[-1]
            self.mess.add("ambiguous", f"{asset.card.name!r} depends on {ref!r}, the name of {len(exact)} cards: chose {chosen.name!r}")
            return chosen.id, "ambiguous"
        org = self.orgs.get(fold(ref))
        if org is not None:
            return org[0], "organization"
        key = loose(ref)
        entity = self.placeholders.get(key)
        if entity is None:
            ident, name = self.names.claim(slug(ref), [ref, f"{ref} (unknown)"], ["unknown"])
            entity = self.placeholders[key] = {
                "id": ident,
                "name": name,
                "type": "unknown",
                "provenance": [{"source": _source_id(asset, 0), "field": "dependencies"}],
            }
        return entity["id"], "placeholder"

    # -- the knowledge file

    def build(self) -> dict:
        self.read()
        ids = {a.id: a for a in self.assets}
        relationships: list[dict] = []
        edges: list[tuple[str, str]] = []
        for asset in self.assets:
            seen: set[str] = set()
            for index, card in enumerate(asset.cards):
                for ref in card.dependencies:
                    target, how = self.resolve(ref, asset)
                    self.mess.reference(card, ref, how)
                    if target == asset.id:
                        self.mess.add("self_dependencies", f"{card.name!r} ({card.file}) lists itself")
                        continue
                    if target in seen:
                        self.mess.add("repeated_dependencies", f"{card.name!r} ({card.file}) lists {ref!r} twice")
                        continue
                    seen.add(target)
                    edges.append((asset.id, target))
                    prov: dict[str, Any] = {"source": _source_id(asset, index), "field": "dependencies"}
                    if card.dependencies_note:
                        prov["note"] = card.dependencies_note
                    name = ids[target].name if target in ids else self.name_of(target)
                    relationship = {
                        "id": f"{asset.id}-built-on-{target}",
                        "from": asset.id,
                        "to": target,
                        "kind": "built_on",
                        "summary": _summary(asset.name, name),
                    }
                    if card.created:
                        # Made with it: the dependency is as old as the asset.
                        relationship["start"] = card.created
                        relationship["date_note"] = "the card's created_date: the asset was made with it"
                    relationship["provenance"] = [prov]
                    relationships.append(relationship)
                    dep = ids.get(target)
                    if dep is not None:
                        self.mess.older(card, dep.card)
        self.mess.cycles(edges, {a.id: a.name for a in self.assets})
        return {
            "format": 2,
            "sources": [s for a in self.assets for s in self.sources_of(a)],
            "entities": self.org_entities() + [self.entity_of(a) for a in self.assets] + list(self.placeholders.values()),
            "relationships": relationships,
        }

    def name_of(self, ident: str) -> str:
        for org_id, name in self.orgs.values():
            if org_id == ident:
                return name
        for entity in self.placeholders.values():
            if entity["id"] == ident:
                return entity["name"]
        return ident

    def org_entities(self) -> list[dict]:
        first: dict[str, str] = {}
        for asset in self.assets:
            for parent in asset.parents:
                first.setdefault(parent, _source_id(asset, 0))
        return [
            {"id": ident, "name": name, "type": "organization", "provenance": [{"source": first[ident], "field": "organization"}]}
            for ident, name in self.orgs.values()
        ]

    def sources_of(self, asset: Asset) -> list[dict]:
        out = []
        for index, card in enumerate(asset.cards):
            source: dict[str, Any] = {
                "id": _source_id(asset, index),
                "title": f"{card.name} (Ecosystem Graphs card)",
                "publisher": PUBLISHER,
                "url": card.url or f"{SITE}/{card.file}",
                "note": f"{card.file}, card {card.position}" + ("" if card.url else "; the card gives no url"),
            }
            out.append(source)
        return out

    def entity_of(self, asset: Asset) -> dict:
        card = asset.card
        entity: dict[str, Any] = {
            "id": asset.id,
            "name": asset.name,
            "type": CARD_TYPES.get(card.type, "unknown"),
        }
        if card.description:
            entity["description"] = card.description
        if asset.parents:
            entity["parents"] = list(dict.fromkeys(asset.parents))
        events = []
        facts = []
        for index, each in enumerate(asset.cards):
            source = _source_id(asset, index)
            if each.created:
                kind = event_kind(each.created_note)
                event: dict[str, Any] = {"kind": kind, "date": each.created}
                if kind == "other":
                    event["summary"] = "created (the card's created_date)"
                if each.created_note:
                    event["date_note"] = each.created_note
                event.update({"source": source, "field": "created_date"})
                events.append(event)
            for fact in each.facts:
                facts.append({**fact, "source": source, "field": fact["key"]})
        if events:
            entity["events"] = sorted(events, key=lambda e: e["date"])
        if facts:
            entity["facts"] = facts
        entity["provenance"] = [{"source": _source_id(asset, i), "field": "name"} for i in range(len(asset.cards))]
        return entity


def loose(name: str) -> str:
    """A name with case and spacing ignored: "LLaMA 2", "Llama2" and "llama 2" are one."""
    return "".join(fold(name).split())


def run(folder: Path, *, on_file: Callable[[Path], None] | None = None) -> tuple[dict, Mess, int]:
    """(knowledge file, mess, number of files) of an Ecosystem Graphs checkout."""
    importer = Importer(folder, on_file=on_file)
    doc = importer.build()
    return doc, importer.mess, len(importer.files)


def dump(doc: dict) -> bytes:
    """The knowledge file as YAML (block style, keys in the order given)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return (HEADER + "\n" + text).encode("utf-8")


class ImportRefused(Exception):
    """The output cannot be written where asked (the input, or an existing file without --force)."""


def check_output(output: Path, folder: Path, *, force: bool) -> None:
    """Refuse to write over the catalogue read, and over an existing file without `force`."""
    target = output.resolve()
    inputs = {p.resolve() for p in asset_files(folder)}
    if target in inputs or target == folder.resolve():
        raise ImportRefused(f"{output} is part of the input; write the knowledge file elsewhere")
    if output.is_dir():
        raise ImportRefused(f"{output} is a folder; name a file")
    if (output.exists() or output.is_symlink()) and not force:
        raise ImportRefused(f"{output} exists; pass --force to replace it")


def write(output: Path, doc: dict) -> None:
    """The knowledge file, written atomically."""
    from aideps.knowledge.atomic import replace_file

    replace_file(output, dump(doc))
