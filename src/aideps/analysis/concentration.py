"""Concentration: the most relied-on providers, single points of failure,
and the in-house efforts that hedge them (stats)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from aideps.analysis.common import SUPPLY_KINDS, Where, by_names
from aideps.graph.core import Graph
from aideps.graph.groups import with_members
from aideps.graph.stream import SizedStream
from aideps.graph.where import where as _where
from aideps.graph.parts import is_part_of, whole_of
from aideps.knowledge import vocab


def stats(
    g: Graph, *, where: Where | None = None, top: int = 3, parts: bool = True, stream: bool = False, claims: bool = True
) -> dict:
    """The `stats` command's result: per kind, the most relied-on providers;
    entities that rely on a single provider for a kind (single points of
    failure) and the in-house efforts that hedge them; every in-house effort
    that aims to replace a supplier, with what still relies on that supplier.
    With `parts` a provider counts what relies on its parts too (Microsoft
    with Azure's dependents; aideps.graph.parts), each top entry naming the
    parts it counts (`via`). A group's members count with the group's
    dependencies (aideps.graph.groups). By default, active relationships.
    With `stream`, `single_points` is a Stream (aideps.graph.stream): a large
    file's hundreds of thousands are viewed as they are written; without
    `claims`, their relationships are viewed as the text shows them (their
    status: Graph.edge without claims)."""
    keep = _where(where, Where.in_force())
    store = g.store
    # One pass over the relationships' heads (Store.heads: their ends, kind
    # and stage, health and certainty; not the records): a file of a million
    # holds a small tuple for each relationship counted, not the relationship,
    # and reads whole only those it shows (a single provider's) and the
    # in-house efforts. A group's dependency brings its members' inherited
    # copies (aideps.graph.groups; groups are few).
    total = dependencies = 0
    binding: list[tuple] = []  # (from, to, kind, position or inherited copy), in file order
    names: dict[str, str] = {}  # one string per entity id, however many rows name it
    in_house = list(store.of_kinds(["in_house"]))
    # What relies on each supplier an in-house effort would replace (its own
    # relationships, not those its groups' members inherit).
    relying: dict[str, set[str]] = {s: set() for rel in in_house for s in rel.get("replaces") or []}
    # And what each builder itself relies on it for (positions, read later).
    builders: dict[tuple[str, str], list] = {(rel["from"], s): [] for rel in in_house for s in rel.get("replaces") or []}
    store.prefetch_names({head[1] for head in store.heads(vocab.DEPENDENCY_KINDS)})  # which are groups
    for head in store.heads():
        source, target, kind = names.setdefault(head[1], head[1]), names.setdefault(head[2], head[2]), head[3]
        total += 1
        if kind not in vocab.DEPENDENCY_KINDS:
            continue
        dependencies += 1
        if kind != "in_house" and (source, target) in builders:
            builders[(source, target)].append(head[0])
        counted = kind in SUPPLY_KINDS and keep.ok_head(head)
        if counted:
            binding.append((source, target, kind, head[0]))
            if target in relying:
                relying[target].add(source)
            if (store.name_type(source) or ("", ""))[1] == "group":
                binding.extend((copy["from"], target, kind, copy) for copy in with_members(store, store.at([head[0]]))[1:])
    providers: list[dict] = []
    by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    through: dict[str, list[str]] = defaultdict(list)  # provider -> its parts counted
    for source, target, kind, _ in binding:
        provider = _top(g, target) if parts else target
        if provider != target:
            if _top(g, source) == provider:
                continue  # within one whole: not a supplier
            if target not in through[provider]:
                through[provider].append(target)
        by_kind[kind][provider].add(source)
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
    del by_kind, through
    # Single points of failure: who relies on one provider only for a kind
    # (its relationships to it in file order), in order of first appearance.
    provider_of: dict[tuple[str, str], str | None] = {}  # (who, kind) -> its one provider, None for several
    for source, target, kind, _ in binding:
        key = (source, kind)
        if provider_of.setdefault(key, target) != target:
            provider_of[key] = None
    via: dict[tuple[str, str], list] = {key: [] for key, provider in provider_of.items() if provider is not None}
    for source, _, kind, ref in binding:
        found = via.get((source, kind))
        if found is not None:
            found.append(ref)
    counted = len(binding)
    del binding
    in_house_by: dict[str, list[dict]] = defaultdict(list)
    for rel in in_house:
        in_house_by[rel["from"]].append(rel)
    own_parts = 0
    chosen: list[tuple[tuple[str, str], str]] = []
    for (who, kind), provider in provider_of.items():
        if provider is None:
            continue
        if _top(g, provider) == _top(g, who):
            own_parts += 1  # Meta's Ray-Ban glasses, OpenAI's CEO: its own, not a supplier's
            del via[(who, kind)]
            continue
        chosen.append(((who, kind), provider))
    chosen.sort(key=lambda c: (vocab.KIND_ORDER.get(c[0][1], 99), g.ref(c[0][0])["name"].casefold()))

    def singles() -> Iterator[dict]:
        read = iter(store.at([ref for key, _ in chosen for ref in via[key] if not isinstance(ref, dict)]))
        for (who, kind), provider in chosen:
            hedged = [
                g.edge(r, claims=claims)
                for r in in_house_by.get(who, [])
                if provider in (r.get("replaces") or []) or _part_of(g, provider, r.get("replaces") or [])
            ]
            yield {
                "entity": g.ref(who),
                "kind": kind,
                "provider": g.ref(provider),
                "relationships": [g.edge(ref if isinstance(ref, dict) else next(read), claims=claims) for ref in via[(who, kind)]],
                "hedges": hedged,
            }

    single: Any = SizedStream(singles, len(chosen)) if stream else list(singles())
    # In-house efforts that aim to remove a dependency.
    efforts = []
    for rel in sorted((r for r in in_house if r.get("replaces")), key=lambda r: by_names(g, r)):
        replaced = []
        for supplier in rel["replaces"]:
            own = list(store.at(builders[(rel["from"], supplier)]))
            others = relying[supplier] - {rel["from"]}
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
            "relationships": total,
            "dependencies": dependencies,
            "counted": counted,
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
