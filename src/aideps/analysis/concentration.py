"""Concentration: the most relied-on providers, single points of failure,
and the in-house efforts that hedge them (stats)."""

from __future__ import annotations

from collections import defaultdict

from aideps.analysis.common import SUPPLY_KINDS, Where, by_names
from aideps.graph.core import Graph
from aideps.graph.groups import with_members
from aideps.graph.where import where as _where
from aideps.graph.parts import is_part_of, whole_of
from aideps.knowledge import vocab


def stats(g: Graph, *, where: Where | None = None, top: int = 3, parts: bool = True) -> dict:
    """The `stats` command's result: per kind, the most relied-on providers;
    entities that rely on a single provider for a kind (single points of
    failure) and the in-house efforts that hedge them; every in-house effort
    that aims to replace a supplier, with what still relies on that supplier.
    With `parts` a provider counts what relies on its parts too (Microsoft
    with Azure's dependents; aideps.graph.parts), each top entry naming the
    parts it counts (`via`). A group's members count with the group's
    dependencies (aideps.graph.groups). By default, active relationships."""
    keep = _where(where, Where.in_force())
    rels = list(g.store.relationships)
    binding = [r for r in with_members(g.store, rels) if r["kind"] in SUPPLY_KINDS and keep.ok(r)]
    providers: list[dict] = []
    by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    through: dict[str, list[str]] = defaultdict(list)  # provider -> its parts counted
    for rel in binding:
        provider = _top(g, rel["to"]) if parts else rel["to"]
        if provider != rel["to"]:
            if _top(g, rel["from"]) == provider:
                continue  # within one whole: not a supplier
            if rel["to"] not in through[provider]:
                through[provider].append(rel["to"])
        by_kind[rel["kind"]][provider].add(rel["from"])
    for kind in SUPPLY_KINDS:
        table = by_kind.get(kind)
        if not table:
            continue
        dependents = {d for ds in table.values() for d in ds}
        ranked = sorted(table.items(), key=lambda item: (-len(item[1]), g.name(item[0]).casefold()))
        shared = [item for item in ranked if len(item[1]) > 1]  # relied on by one only: no concentration
        cut = shared[:top]
        if cut:  # and the ties of the last one
            cut = [item for item in shared if len(item[1]) >= len(cut[-1][1])]
        providers.append(
            {
                "kind": kind,
                "dependents": len(dependents),
                "providers": len(table),
                "top": [
                    {
                        "entity": g.ref(eid),
                        "count": len(ds),
                        "share": round(len(ds) / len(dependents), 4),
                        "dependents": sorted((g.ref(d) for d in ds), key=lambda r: r["name"].casefold()),
                        "via": sorted((g.ref(p) for p in through.get(eid, [])), key=lambda r: r["name"].casefold()),
                    }
                    for eid, ds in cut
                ],
            }
        )
    # Single points of failure.
    in_house_by: dict[str, list[dict]] = defaultdict(list)
    for rel in rels:
        if rel["kind"] == "in_house":
            in_house_by[rel["from"]].append(rel)
    single: list[dict] = []
    needs: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for rel in binding:
        needs[(rel["from"], rel["kind"])][rel["to"]].append(rel)
    own_parts = 0
    for (who, kind), table in needs.items():
        if len(table) != 1:
            continue
        (provider, via), = table.items()
        if _top(g, provider) == _top(g, who):
            own_parts += 1  # Meta's Ray-Ban glasses, OpenAI's CEO: its own, not a supplier's
            continue
        hedged = [
            g.edge(r)
            for r in in_house_by.get(who, [])
            if provider in (r.get("replaces") or []) or _part_of(g, provider, r.get("replaces") or [])
        ]
        single.append(
            {
                "entity": g.ref(who),
                "kind": kind,
                "provider": g.ref(provider),
                "relationships": [g.edge(r) for r in via],
                "hedges": hedged,
            }
        )
    single.sort(key=lambda s: (vocab.KIND_ORDER.get(s["kind"], 99), s["entity"]["name"].casefold()))
    # In-house efforts that aim to remove a dependency.
    efforts = []
    for rel in sorted((r for r in rels if r["kind"] == "in_house" and r.get("replaces")), key=lambda r: by_names(g, r)):
        replaced = []
        for supplier in rel["replaces"]:
            own = [
                r for r in g.store.outgoing(rel["from"])
                if r["to"] == supplier and r["kind"] in vocab.DEPENDENCY_KINDS and r["kind"] != "in_house"
            ]
            others = {
                r["from"]
                for r in g.store.incoming(supplier)
                if r["kind"] in SUPPLY_KINDS and keep.ok(r) and r["from"] != rel["from"]
            }
            replaced.append(
                {
                    "entity": g.ref(supplier),
                    "relied_on_by_builder": [
                        {"id": r["id"], "kind": r["kind"], "stage": r.get("stage"), "health": r.get("health"),
                         "certainty": r.get("certainty") or "stated"}
                        for r in sorted(own, key=lambda r: vocab.KIND_ORDER.get(r["kind"], 99))
                    ],
                    "dependents": len(others),
                }
            )
        efforts.append({**g.edge(rel), "replacing": replaced})
    return {
        "filters": keep.doc(),
        "filter_words": keep.words(),
        "counts": {
            "entities": len(g.store.entities),
            "relationships": len(rels),
            "dependencies": sum(1 for r in rels if r["kind"] in vocab.DEPENDENCY_KINDS),
            "counted": len(binding),
        },
        "providers": providers,
        "single_points": single,
        "single_points_own": own_parts,
        "in_house": efforts,
    }


def _top(g: Graph, eid: str) -> str:
    """The outermost whole an entity is part of (itself when it is part of nothing)."""
    return whole_of(g.store, eid)


def _part_of(g: Graph, eid: str, wholes: list[str]) -> bool:
    """Whether `eid` is a part (at any depth) of one of `wholes`."""
    return is_part_of(g.store, eid, wholes)
