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
    With `stream`, `single_points` and `in_house` are Streams
    (aideps.graph.stream): a large file's hundreds of thousands are viewed
    as they are written. Without `claims`, a single point's relationships
    are viewed as the text shows them, by their status only ({"stage",
    "health", "certainty"}, from their heads), and the in-house efforts
    without their claims (Graph.edge)."""
    keep = _where(where, Where.in_force())
    ok = keep.ok_head
    store = g.store
    # One pass over the relationships' heads (Store.heads: their ends, kind
    # and stage, health and certainty; not the records), counting as it goes:
    # a file of a million holds, per kind, each dependent's one provider and
    # each provider's dependents (a set only once there are two), never a
    # record per relationship; it reads whole only what it shows (a single
    # provider's relationships, for JSON) and the in-house efforts. A group's
    # dependency brings its members' inherited copies (aideps.graph.groups;
    # groups are few).
    total = dependencies = counted = 0
    names: dict[str, str] = {}  # one string per entity id, however many rows name it
    # The in-house efforts, read once and kept light (position, ends, what
    # they replace): each is read again when shown, as a hedge or an effort.
    positions = [head[0] for head in store.heads(["in_house"])]
    in_house = [
        (pos, rel["from"], rel["to"], tuple(rel.get("replaces") or ())) for pos, rel in zip(positions, store.at(positions))
    ]
    del positions
    # What relies on each supplier an in-house effort would replace (its own
    # relationships, not those its groups' members inherit).
    relying: dict[str, set[str]] = {s: set() for *_, replaces in in_house for s in replaces}
    # And what each builder itself relies on it for (positions, read later).
    builders: dict[tuple[str, str], list] = {(builder, s): [] for _, builder, _, replaces in in_house for s in replaces}
    store.prefetch_names(store.entities)  # which sources are groups; and the answer names them
    is_group: dict[str, bool] = {}
    tops: dict[str, str] = {}  # entity -> the outermost whole it is part of (`whole`)
    through: dict[str, list[str]] = defaultdict(list)  # provider -> its parts counted
    # Per kind: provider -> its dependents (one id, or a set once two);
    # dependent -> its one provider (None once several), and its relationships
    # to it (the first; `more` the others): positions, or a group's inherited copy.
    relied: dict[str, dict[str, Any]] = {kind: {} for kind in SUPPLY_KINDS}
    sole: dict[str, dict[str, str | None]] = {kind: {} for kind in SUPPLY_KINDS}
    first: dict[str, dict[str, Any]] = {kind: {} for kind in SUPPLY_KINDS}
    more: dict[tuple[str, str], list] = {}
    # Without claims, a relationship is viewed as its status only (what the
    # text shows), kept as the number of its (stage, health, certainty).
    codes: dict[tuple, int] = {}

    def whole(eid: str) -> str:
        found = tops.get(eid)
        if found is None:
            found = tops[eid] = _top(g, eid)
        return found

    def bind(source: str, target: str, kind: str, ref: Any) -> None:
        provider = whole(target) if parts else target
        skip = False
        if provider != target:
            if whole(source) == provider:
                skip = True  # within one whole: not a supplier
            elif target not in through[provider]:
                through[provider].append(target)
        if not skip:
            table = relied[kind]
            ds = table.get(provider)
            if ds is None:
                table[provider] = source
            elif ds.__class__ is str:
                if ds != source:
                    table[provider] = {ds, source}
            else:
                ds.add(source)
        ones = sole[kind]
        one = ones.get(source, _NONE)
        if one is _NONE:
            ones[source] = target
            first[kind][source] = ref
        elif one is None:
            return
        elif one == target:
            more.setdefault((kind, source), []).append(ref)
        else:
            ones[source] = None
            del first[kind][source]
            more.pop((kind, source), None)

    depend, supply = frozenset(vocab.DEPENDENCY_KINDS), frozenset(SUPPLY_KINDS)
    building = {builder for builder, _ in builders}
    passes: dict[tuple, bool] = {}  # (stage, health, certainty) -> whether it is counted
    for head in store.heads():
        total += 1
        kind = head[3]
        if kind not in depend:
            continue
        dependencies += 1
        source = names.get(head[1]) or names.setdefault(head[1], head[1])
        target = names.get(head[2]) or names.setdefault(head[2], head[2])
        if source in building and kind != "in_house" and (source, target) in builders:
            builders[(source, target)].append(head[0])
        status = head[4:]
        ok_status = passes.get(status)
        if ok_status is None:
            ok_status = passes[status] = ok(head)
        if kind not in supply or not ok_status:
            continue
        counted += 1
        if target in relying:
            relying[target].add(source)
        if claims:
            ref = head[0]
        else:
            ref = codes.get(status)
            if ref is None:
                ref = codes[status] = len(codes)
        bind(source, target, kind, ref)
        group = is_group.get(source)
        if group is None:
            group = is_group[source] = (store.name_type(source) or ("", ""))[1] == "group"
        if group:
            for copy in with_members(store, store.at([head[0]]))[1:]:
                counted += 1
                bind(copy["from"], target, kind, copy)
    providers: list[dict] = []
    for kind in SUPPLY_KINDS:
        table = relied[kind]
        if not table:
            continue
        dependents: set[str] = set()
        for ds in table.values():
            if ds.__class__ is str:
                dependents.add(ds)
            else:
                dependents.update(ds)
        # relied on by one only: no concentration
        shared = sorted(
            ((eid, ds) for eid, ds in table.items() if ds.__class__ is not str),
            key=lambda item: (-len(item[1]), g.name(item[0]).casefold()),
        )
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
    del relied, through
    # Single points of failure: who relies on one provider only for a kind
    # (its relationships to it in file order), in order of first appearance.
    in_house_by: dict[str, list[tuple]] = defaultdict(list)  # builder -> (position, what it replaces)
    for pos, builder, _, replaces in in_house:
        in_house_by[builder].append((pos, replaces))
    own_parts = 0
    chosen: list[tuple[str, str, str, list]] = []  # (who, kind, provider, its relationships)
    for kind in SUPPLY_KINDS:
        firsts = first[kind]
        for who, provider in sole[kind].items():
            if provider is None:
                continue
            if whole(provider) == whole(who):
                own_parts += 1  # Meta's Ray-Ban glasses, OpenAI's CEO: its own, not a supplier's
                continue
            chosen.append((who, kind, provider, [firsts[who], *more.get((kind, who), ())]))
    del sole, first, more
    chosen.sort(key=lambda c: (vocab.KIND_ORDER.get(c[1], 99), g.ref(c[0])["name"].casefold()))
    views = [_status({"stage": stage, "health": health, "certainty": certainty}) for stage, health, certainty in codes]

    def singles() -> Iterator[dict]:
        if claims:
            read = iter(store.at([ref for *_, via in chosen for ref in via if not isinstance(ref, dict)]))
        for who, kind, provider, via in chosen:
            hedging = [
                pos for pos, replaces in in_house_by.get(who, ()) if provider in replaces or _part_of(g, provider, replaces)
            ]
            hedged = [g.edge(rel, claims=claims) for rel in store.at(hedging)] if hedging else []
            if claims:
                shown = [g.edge(ref if isinstance(ref, dict) else next(read), claims=claims) for ref in via]
            else:
                shown = [views[ref] if ref.__class__ is int else _status(ref) for ref in via]
            yield {
                "entity": g.ref(who),
                "kind": kind,
                "provider": g.ref(provider),
                "relationships": shown,
                "hedges": hedged,
            }

    single: Any = SizedStream(singles, len(chosen)) if stream else list(singles())
    # In-house efforts that aim to remove a dependency, by the names at their ends.
    aims = sorted((e for e in in_house if e[3]), key=lambda e: (g.name(e[1]).casefold(), g.name(e[2]).casefold()))

    def efforts() -> Iterator[dict]:
        for (_, builder, _, replaces), rel in zip(aims, store.at([e[0] for e in aims])):
            replaced = []
            for supplier in replaces:
                own = list(store.at(builders[(builder, supplier)]))
                others = relying[supplier]  # (not copied less the builder: a hub's are thousands, for each effort)
                replaced.append(
                    {
                        "entity": g.ref(supplier),
                        "relied_on_by_builder": [
                            {"id": r["id"], "kind": r["kind"], "stage": r.get("stage"), "health": r.get("health"),
                             "certainty": r.get("certainty") or "stated"}
                            for r in sorted(own, key=lambda r: vocab.KIND_ORDER.get(r["kind"], 99))
                        ],
                        "dependents": len(others) - (builder in others),
                    }
                )
            yield {**g.edge(rel, claims=claims), "replacing": replaced}

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
        "in_house": SizedStream(efforts, len(aims)) if stream else list(efforts()),
    }


_NONE = object()  # not yet seen


def _status(rel: dict) -> dict:
    """A relationship's stage, health and certainty, as Graph.edge gives them."""
    return {"stage": rel.get("stage"), "health": rel.get("health"), "certainty": rel.get("certainty") or "stated"}


def _top(g: Graph, eid: str) -> str:
    """The outermost whole an entity is part of (itself when it is part of nothing)."""
    return whole_of(g.store, eid)


def _part_of(g: Graph, eid: str, wholes: list[str]) -> bool:
    """Whether `eid` is a part (at any depth) of one of `wholes`."""
    return is_part_of(g.store, eid, wholes)
