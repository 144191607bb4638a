"""Each store answers the whole storage protocol (aideps.graph.protocol.Store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aideps.graph import asof, store
from aideps.graph.asof import AsOfStore
from aideps.graph.core import Graph
from aideps.graph.indexed import IndexStore
from aideps.graph.memory import MemoryStore
from aideps.graph.protocol import OPERATIONS, Store

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"
BUNDLED = Path(__file__).resolve().parents[2] / "data" / "entities.yaml"


def _stores(mini_data) -> dict:
    memory = MemoryStore(mini_data)
    index = store.graph(MINI).store
    return {"memory": memory, "index": index, "as_of": AsOfStore(memory, "2024-06"), "as_of_index": AsOfStore(index, "2030")}


def test_operations_are_exactly_the_protocol():
    declared = {name for name in vars(Store) if not name.startswith("_")}
    assert declared == set(OPERATIONS)


@pytest.mark.parametrize("which", ["memory", "index", "as_of", "as_of_index"])
def test_every_store_satisfies_the_protocol(mini_data, which):
    found = _stores(mini_data)[which]
    assert isinstance(found, Store)
    for name in OPERATIONS:
        assert hasattr(found, name), name


def test_the_stores_are_what_each_graph_is_on(mini_data):
    assert isinstance(Graph(mini_data).store, MemoryStore)
    indexed = store.graph(MINI)
    assert isinstance(indexed.store, IndexStore)
    assert isinstance(asof.at(indexed, "2024").store, AsOfStore)
    assert asof.at(indexed, None) is indexed


@pytest.mark.parametrize("which", ["memory", "index"])
def test_unknown_ids_give_empty_answers(mini_data, which):
    found = _stores(mini_data)[which]
    for read in (found.children, found.touching, found.outgoing, found.incoming):
        assert read("no-such-entity") == []
    assert found.entity("no-such-entity") is None and found.name_type("no-such-entity") is None
    assert found.any_to("no-such-entity", "hardware") is False
    assert found.ids("name", "no such entity") == []
    assert found.as_of_summary() is None and found.as_of_note("x") is None


def test_memory_and_index_agree_operation_by_operation(mini_data):
    memory, index = MemoryStore(mini_data), store.graph(MINI).store
    assert list(memory.entities) == list(index.entities)
    assert list(memory.relationships) == list(index.relationships)
    assert dict(memory.sources) == dict(index.sources)
    assert memory.degrees() == index.degrees()
    assert memory.keys() == index.keys()
    kinds = {rel["kind"] for rel in memory.relationships}
    for kind in kinds:
        assert memory.targets(kind) == index.targets(kind)
        assert memory.of_kinds([kind]) == index.of_kinds([kind])
    for eid in memory.entities:
        assert memory.entity(eid) == index.entity(eid)
        assert memory.name_type(eid) == index.name_type(eid)
        assert memory.children(eid) == index.children(eid)
        assert memory.touching(eid) == index.touching(eid)
        assert memory.outgoing(eid) == index.outgoing(eid)
        assert memory.incoming(eid) == index.incoming(eid)
        for kind in kinds:
            assert memory.any_to(eid, kind) == index.any_to(eid, kind)
        for side, rels in (("from", memory.outgoing(eid)), ("to", memory.incoming(eid))):
            # An entity's heads: those of its relationships on that side, each
            # at the position `at` reads it back from.
            found = index.heads_of(eid, side)
            assert [h[1:] for h in found] == [h[1:] for h in memory.heads_of(eid, side)] == [
                (r["from"], r["to"], r["kind"], r.get("stage"), r.get("health"), r.get("certainty")) for r in rels
            ]
            assert list(index.at(h[0] for h in found)) == rels == list(memory.at(h[0] for h in memory.heads_of(eid, side)))
    for prefix in ("", "o", "O", "zz"):
        assert memory.completions(prefix) == index.completions(prefix)
    for chosen in (None, sorted(kinds)[:1], sorted(kinds)[1:], []):
        assert memory.ordered(chosen) == list(index.ordered(chosen))
        heads = list(index.heads(chosen))
        assert [h[1:] for h in memory.heads(chosen)] == [h[1:] for h in heads]
        assert list(index.at(h[0] for h in reversed(heads))) == [memory.relationships[p] for p, *_ in reversed(list(memory.heads(chosen)))]


SUMMIT = """  - id: mini-summit
    name: The Mini Summit
    type: event
    description: A made-up summit, dated by a fact and not by an event.
    facts:
      - key: date
        value: "2024-05"
        source: mini-sands
        quote: The Mini Summit met in May 2024.
    provenance:
      - source: mini-sands
        quote: The Mini Summit met in May 2024.
"""


@pytest.mark.parametrize("path", ["bundled", "summit"])
def test_dated_entities_are_what_timeline_reads_of_entities(tmp_path, path):
    """Every entity with events and every event entity with facts, in file
    order, with its type, description, events and facts; the same from the
    index's small column as from the records and through an as-of view."""
    if path == "summit":  # an event entity dated by its facts only (the bundled file has none)
        path = tmp_path / "summit.yaml"
        path.write_text(MINI.read_text(encoding="utf-8").replace("entities:\n", "entities:\n" + SUMMIT, 1), encoding="utf-8")
    index = store.graph(BUNDLED if path == "bundled" else path).store
    memory = MemoryStore(index.data())
    dated = list(index.dated_entities())
    assert dated == list(memory.dated_entities()) == list(AsOfStore(index, "2024").dated_entities())
    expected = [e for e in memory.entities.values() if e.get("events") or (e["type"] == "event" and e.get("facts"))]
    assert [eid for eid, _ in dated] == [e["id"] for e in expected] != []
    for (_, when), entity in zip(dated, expected):
        assert when == {
            "type": entity["type"], "description": entity["description"], "events": entity["events"],
            "facts": entity["facts"] if entity["type"] == "event" else [],
        }


def test_ordered_is_the_export_order_and_heads_the_file_order(mini_data):
    from aideps.knowledge import vocab

    index = store.graph(MINI).store
    ordered = list(index.ordered())
    assert len(ordered) == len(mini_data["relationships"]) > 2
    assert ordered == sorted(
        mini_data["relationships"], key=lambda r: (vocab.KIND_ORDER[r["kind"]], r["from"], r["to"], r["id"])
    )
    assert [r["kind"] for r in ordered] != [r["kind"] for r in mini_data["relationships"]]  # the order is the sort's
    assert [h[1:] for h in index.heads()] == [
        (r["from"], r["to"], r["kind"], r.get("stage"), r.get("health"), r.get("certainty"))
        for r in mini_data["relationships"]
    ]
    hardware = list(index.ordered(["hardware"]))
    assert hardware and all(r["kind"] == "hardware" for r in hardware)


def test_a_bad_date_is_refused_in_plain_words(mini_data):
    with pytest.raises(ValueError, match="is not a date"):
        asof.at(Graph(mini_data), "2024-13")


def test_a_filter_keeps_a_head_as_it_keeps_its_relationship(mini_data):
    from aideps.graph.where import NO_STAGE, Where

    index = store.graph(MINI).store
    filters = [
        Where(), Where.in_force(), Where.standing(), Where.of(["announced", NO_STAGE]),
        Where.of(None, ["strained"]), Where.of(None, None, ["reported", "stated"]),
    ]
    rels = list(index.relationships)
    for keep in filters:
        kept = [keep.ok(r) for r in rels]
        assert [keep.ok_head(h) for h in index.heads()] == kept
        assert [keep.ok_head(h) for h in MemoryStore(mini_data).heads()] == kept
    assert any(Where.in_force().ok(r) for r in rels) and not all(Where.in_force().ok(r) for r in rels)


def test_many_names_read_in_one_pass_are_the_names_read_one_by_one(tmp_path):
    # Past 500 names and a quarter of the file, the index reads every name in
    # one pass instead of 500 per query: the same answers, the missing too.
    lines = ["format: 2", "sources:", "  - {id: s, title: A source, date: 2024-01-01}", "entities:"]
    for i in range(700):
        lines.append(f"  - {{id: e{i}, name: Entity {i}, type: company, description: d, provenance: [{{source: s, quote: q}}]}}")
    lines.append("relationships: []")
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wanted = [f"e{i}" for i in range(0, 700, 2)] + [f"e{i}" for i in range(1, 400, 2)] + ["nobody"]
    at_once = store.graph(path).store
    at_once.prefetch_names(wanted)
    assert at_once.entities._names == {eid: (None if eid == "nobody" else (f"Entity {eid[1:]}", "company")) for eid in wanted}
    one_by_one = store.graph(path).store
    assert {eid: one_by_one.name_type(eid) for eid in wanted} == at_once.entities._names


def test_an_index_knows_its_longest_text(mini_data, tmp_path):
    """An index records the longest record it wrote, at least as long as
    every text in it (what lets a text answer skip clipping); a store in
    memory does not measure; a view as of a date says its base's."""
    stores = _stores(mini_data)
    longest = stores["index"].longest_text()
    texts = [
        value for item in (*mini_data["entities"], *mini_data["relationships"], *mini_data["sources"])
        for value in _strings(item)
    ]
    assert isinstance(longest, int) and longest >= max(map(len, texts)) > 50
    assert stores["memory"].longest_text() is None and stores["as_of"].longest_text() is None
    assert stores["as_of_index"].longest_text() == longest
    # A file with one long quote says so.
    text = MINI.read_text(encoding="utf-8")
    quote = next(q for q in texts if len(q) > 40 and q in text)
    longer = tmp_path / "long.yaml"
    longer.write_text(text.replace(quote, quote + " and" * 5000, 1), encoding="utf-8")
    assert store.graph(longer, lenient=True).store.longest_text() >= len(quote) + 20_000


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("path", [MINI, BUNDLED], ids=["mini", "bundled"])
def test_having_is_what_the_heads_say(path):
    """Store.having (by SQL on an index) keeps exactly the ids one of whose
    heads on that side is of one of the kinds and passes the filter
    (Where.ok_head), on every store, for any filter (the bundled file has
    relationships with no stage)."""
    from hypothesis import given, settings, strategies as st

    from aideps.graph.where import NO_STAGE, Where, heads_having
    from aideps.knowledge import vocab

    data = store.load(path, use_cache=False)
    memory, index = MemoryStore(data), store.graph(path).store
    stores = {"memory": memory, "index": index, "as_of_index": AsOfStore(index, "2024-06")}
    ids = [e["id"] for e in data["entities"]] + ["no-such-entity"]
    maybe = lambda values: st.none() | st.lists(st.sampled_from(values), max_size=3)  # noqa: E731

    @settings(max_examples=150, deadline=None)
    @given(
        chosen=st.lists(st.sampled_from(ids), max_size=12),
        side=st.sampled_from(["from", "to"]),
        kinds=st.lists(st.sampled_from(list(vocab.KINDS)), max_size=4),
        stages=maybe([*vocab.STAGES, NO_STAGE]),
        healths=maybe(list(vocab.HEALTHS)),
        certainties=maybe(list(vocab.CERTAINTIES)),
    )
    def check(chosen, side, kinds, stages, healths, certainties):
        keep = Where.of(stages, healths, certainties)
        for name, found in stores.items():
            expected = heads_having(found.heads_of, chosen, side, kinds, keep)
            assert found.having(chosen, side, kinds, keep) == expected, name
            assert expected <= set(chosen)

    check()
    for keep in (Where.of([NO_STAGE]), Where.of(None, None, ["stated"]), Where.standing(), Where.of(None, ["strained"])):
        for side in ("from", "to"):
            expected = heads_having(memory.heads_of, ids, side, vocab.KINDS, keep)
            assert {name: found.having(ids, side, vocab.KINDS, keep) for name, found in stores.items() if name != "as_of_index"} == {
                "memory": expected, "index": expected
            }
    # (not vacuous: some do, some do not)
    every = memory.having(ids, "from", vocab.KINDS, Where())
    assert every and set(ids) - every


@pytest.mark.parametrize("side", [None, "from", "to"])
@pytest.mark.parametrize("path", [MINI, BUNDLED], ids=["mini", "bundled"])
def test_reads_prefetched_are_the_reads_one_by_one(path, side, monkeypatch):
    """Store.prefetch reads many entities' names, parents, parts, groups and
    relationships at once (a few to a query here), and keeps them: what is
    then read of each is what a store reads one by one."""
    from aideps.index import read

    monkeypatch.setattr(read, "BATCH", 3)
    memory = MemoryStore(store.load(path, use_cache=False))
    index = store.graph(path).store
    ids = [*memory.entities, "no-such-entity"]
    index.prefetch([ids[0], *ids, ids[0], 7], side)
    queries = []
    index.index.con.set_trace_callback(queries.append)
    for eid in ids:
        assert index.name_type(eid) == memory.name_type(eid)
        assert index.parents(eid) == memory.parents(eid)
        assert index.children(eid) == memory.children(eid)
        assert index.groups_of(eid) == memory.groups_of(eid)
        if side == "from":
            assert index.outgoing(eid) == memory.outgoing(eid)
        if side == "to":
            assert index.incoming(eid) == memory.incoming(eid)
    index.index.con.set_trace_callback(None)
    assert queries == []  # every one of them was kept
    if path == BUNDLED:  # (not vacuous: the file has parts and groups)
        assert all(any(read(eid) for eid in ids) for read in (memory.parents, memory.children, memory.groups_of))
