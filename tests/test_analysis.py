"""Time, paths, impact, concentration and conflicts (aideps.knowledge.dates,
aideps.graph.life, aideps.graph.asof, aideps.analysis), on tests/fixtures/time.yaml (edge cases), mini.yaml and the
bundled knowledge file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aideps import analysis
from aideps.analysis.common import descendants
from aideps.graph import asof, store
from aideps.graph.core import Graph
from aideps.graph.life import UNKNOWN, Life
from aideps.graph.protocol import OPERATIONS
from aideps.graph.where import NO_STAGE, Where
from aideps.knowledge import dates, vocab

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _validated(path: Path) -> dict:
    """The validated data, as `aideps` reads it (without the cache)."""
    from aideps.knowledge.validate import check_file

    report = check_file(path, check_quotes=False)
    assert report.ok, [str(p) for p in report.problems]
    return report.data


@pytest.fixture(scope="module")
def timed() -> Graph:
    return Graph(_validated(FIXTURES / "time.yaml"))


@pytest.fixture(scope="module")
def bundled() -> Graph:
    return Graph(_validated(store.bundled_path()))


def ids(items) -> set[str]:
    return {item["id"] for item in items}


# ---- partial dates -------------------------------------------------------------------


def test_a_partial_date_is_the_run_of_days_it_names():
    assert dates.parse("2024") == ("2024", date(2024, 1, 1), date(2024, 12, 31))
    assert dates.parse("2024-02") == ("2024-02", date(2024, 2, 1), date(2024, 2, 29))
    assert dates.parse("2023-02").last == date(2023, 2, 28)
    assert dates.parse("2024-10-30").first == dates.parse("2024-10-30").last == date(2024, 10, 30)
    assert dates.parse(2024).text == "2024"  # YAML's unquoted year
    for bad in ("2024-13", "2024-02-30", "24", "2024/11", "", "2024-1", "0000"):
        with pytest.raises(ValueError):
            dates.parse(bad)
    assert "does not exist" in dates.problem("2024-02-30")


@pytest.mark.parametrize(
    ("event", "moment", "answer"),
    [
        ("2024", "2024-06", dates.MAYBE),  # it may have begun in July
        ("2024", "2024", dates.YES),  # by the end of 2024
        ("2024", "2024-12", dates.YES),
        ("2024", "2023-12-31", dates.NO),
        ("2024-06", "2024", dates.YES),
        ("2024-06", "2024-06", dates.YES),  # as of June includes June
        ("2024-06", "2024-06-15", dates.MAYBE),
        ("2024-06-15", "2024-06", dates.YES),
        ("2024-07-01", "2024-06", dates.NO),
        ("2024-11", "2024-10-30", dates.NO),
    ],
)
def test_happened_by_compares_as_a_person_expects(event, moment, answer):
    assert dates.happened_by(dates.parse(event), dates.parse(moment)) == answer


def test_chronological_order_puts_the_precise_first_on_a_tie():
    texts = ["2024-11", "2024", "2023-11", "2024-10-30", "2024-01"]
    assert sorted(texts, key=lambda t: dates.order_key(dates.parse(t))) == [
        "2023-11", "2024-01", "2024", "2024-10-30", "2024-11",
    ]
    assert dates.earliest([dates.parse(t) for t in ("2024", "2024-11", "2024-10-30")]).text == "2024-10-30"


# ---- the life of a relationship ----------------------------------------------------------


def _rel(g: Graph, rid: str) -> dict:
    return next(r for r in g.relationships if r["id"] == rid)


def test_evidence_is_start_else_history_else_first_report(timed):
    assert Life(timed, _rel(timed, "alpha-beta-investment")).evidence() == {"date": "2021", "basis": "start"}
    assert Life(timed, _rel(timed, "epsilon-alpha-distribution")).evidence() == {
        "date": "2022-02", "basis": "history",
    }
    assert Life(timed, _rel(timed, "beta-alpha-research")).evidence() == {"date": "2022", "basis": "reported"}


def test_a_coarse_start_is_narrowed_by_the_source_that_reports_it(timed):
    life = Life(timed, _rel(timed, "alpha-gamma-cloud"))  # start 2024, reported 2024-11
    assert life.at(dates.parse("2024-06"))["presence"] == "maybe"
    assert life.at(dates.parse("2024-11"))["presence"] == "in"  # not "possibly in December"
    assert life.at(dates.parse("2023"))["presence"] == "not_yet"


def test_status_over_time(timed):
    life = Life(timed, _rel(timed, "alpha-beta-investment"))  # start 2021, strained from 2023-03
    before = life.at(dates.parse("2022"))  # before the first history entry
    assert (before["stage"], before["health"]) == (UNKNOWN, None)
    after = life.at(dates.parse("2023-04"))
    assert (after["stage"], after["health"], after["since"]) == ("active", "strained", "2023-03")
    mid = life.at(dates.parse("2023-03-10"))  # the entry's month straddles the day asked about
    assert mid["stage"] == UNKNOWN and mid["health"] is None
    assert mid["doubts"] == ["possibly active already (from 2023-03)", "possibly strained already (from 2023-03)"]
    assert mid["presence"] == "in"  # it had begun; only its stage and health are in doubt
    # No history: one stage throughout.
    research = Life(timed, _rel(timed, "beta-alpha-research"))
    assert research.at(dates.parse("2023"))["stage"] == "active"


def test_ended_by_end_date_or_by_status(timed):
    hardware = Life(timed, _rel(timed, "gamma-delta-hardware"))  # 2020-05 .. 2023-09
    assert hardware.at(dates.parse("2021"))["presence"] == "in"
    assert hardware.at(dates.parse("2023"))["presence"] == "ended"  # by the end of 2023
    assert hardware.at(dates.parse("2023-08"))["presence"] == "in"
    assert hardware.at(dates.parse("2023-08"))["stage"] == UNKNOWN  # ended, no history: not recorded before
    assert hardware.at(dates.parse("2023-09-15"))["presence"] == "maybe"
    assert hardware.at(dates.parse("2019"))["presence"] == "not_yet"
    distribution = Life(timed, _rel(timed, "epsilon-alpha-distribution"))  # history: ended 2024-02
    assert distribution.at(dates.parse("2023"))["stage"] == "active"
    assert distribution.at(dates.parse("2024-03"))["presence"] == "ended"


def test_undated_relationships_are_never_guessed_into_a_moment(mini_data):
    data = dict(mini_data)
    data["sources"] = [dict(s, date=None) for s in mini_data["sources"]]  # no usable source date
    g = Graph(data)
    undated = [r for r in g.relationships if not r.get("start") and not r.get("history")]
    assert undated  # the rivalry has neither
    for rel in undated:
        assert Life(g, rel).undated
        assert Life(g, rel).at(dates.parse("2030"))["presence"] == "undated"
    view = asof.at(g, "2030")
    assert not ids(undated) & ids(view.relationships)
    assert view.as_of_summary()["left_out"]["undated"] == len(undated)
    assert ids(analysis.timeline(g)["undated"]) == ids(undated)
    result = analysis.diff(g, "2020", "2030")
    assert ids(result["undated"]) == ids(undated) and result["counts"]["undated"] == len(undated)


# ---- as of a date: a view the Graph queries run on unchanged ------------------------------


def test_as_of_keeps_what_stood_then_with_its_status(timed):
    view = asof.at(timed, "2023-06")
    assert ids(view.relationships) == {
        "alpha-beta-investment", "beta-alpha-research", "gamma-delta-hardware",
        "epsilon-alpha-distribution", "beta-gamma-cloud",
    }
    then = {r["id"]: r for r in view.relationships}["alpha-beta-investment"]
    assert (then["stage"], then["health"]) == ("active", "strained")
    assert view.as_of_summary() == {"date": "2023-06", "through": "2023-06-30", "left_out": {"not_yet": 6, "ended": 0, "undated": 0}}
    later = asof.at(timed, "2024-03")
    assert "gamma-delta-hardware" not in ids(later.relationships)  # ended 2023-09
    assert "epsilon-alpha-distribution" not in ids(later.relationships)  # ended 2024-02 (history)
    assert later.as_of_summary()["left_out"]["ended"] == 2
    # The underlying graph is untouched.
    assert {r["id"]: r["stage"] for r in timed.relationships}["gamma-delta-hardware"] == "ended"


def test_graph_queries_run_on_the_view(timed):
    view = asof.at(timed, "2022-06")
    profile = view.profile(view.resolve("alpha"))
    assert {e["id"] for e in profile["relationships"]} == {
        "alpha-beta-investment", "beta-alpha-research", "epsilon-alpha-distribution",
    }
    research = next(e for e in profile["relationships"] if e["id"] == "beta-alpha-research")
    assert research["as_of"]["evidence"] == {"date": "2022", "basis": "reported"}
    assert research["as_of"]["certain"] is False
    assert research["as_of"]["doubts"] == ["first reported 2022: possibly after 2022-06"]
    tree = view.tree("gamma")
    assert [c["entity"]["id"] for c in tree["tree"]["children"]] == ["delta"]
    hardware = view.partnership("hardware")["relationships"]
    assert [(e["id"], e["stage"]) for e in hardware] == [("gamma-delta-hardware", None)]  # not recorded then
    assert hardware[0]["as_of"]["stage_unknown"] is True
    assert view.resolve("Alpha") == "alpha" and view.name("gamma") == "Gamma Cloud"


def test_a_relationship_outside_the_view_is_not_in_its_edges(timed):
    view = asof.at(timed, "2019")
    assert ids(view.relationships) == set()
    assert all(not view.store.outgoing(e) and not view.store.incoming(e) for e in timed.entities)
    assert view.profile("alpha")["relationships"] == []


class ProtocolOnly:
    """Exactly the store protocol (aideps.graph.protocol.Store), nothing
    else: every query must run on a Graph over it."""

    def __init__(self, store) -> None:
        for name in OPERATIONS:
            setattr(self, name, getattr(store, name))


def test_analysis_needs_only_the_store_protocol(timed, bundled):
    for g in (Graph.on(ProtocolOnly(timed.store)), Graph.on(ProtocolOnly(bundled.store))):
        analysis.timeline(g)
        analysis.diff(g, "2022", "2024-11")
        analysis.impact(g, "nvidia" if "nvidia" in g.entities else "delta")
        analysis.stats(g)
        analysis.conflicts(g)
        analysis.selection(g)
        view = asof.at(g, "2024-06")
        view.profile(next(iter(g.entities)))
        analysis.impact(view, next(iter(g.entities)))


# ---- timeline ------------------------------------------------------------------------------


def test_timeline_in_order_with_every_kind_of_event(timed):
    result = analysis.timeline(timed)
    events = [(e["date"], e["event"], e["relationship"]["id"]) for e in result["events"]]
    assert events[:3] == [
        ("2020-05", "began", "gamma-delta-hardware"),
        ("2021", "began", "alpha-beta-investment"),
        ("2022", "reported", "beta-alpha-research"),
    ]
    assert ("2023-09", "ended", "gamma-delta-hardware") in events
    assert ("2024-02", "status", "epsilon-alpha-distribution") in events
    keys = [dates.order_key(dates.parse(d)) for d, _, _ in events]
    assert keys == sorted(keys)
    change = next(e for e in result["events"] if e["event"] == "status" and e["date"] == "2023-03")
    assert change["state"]["health"] == "strained" and change["source"]["id"] == "mid-report" and change["quote"]
    began = next(e for e in result["events"] if e["event"] == "began" and e["relationship"]["id"] == "alpha-beta-investment")
    assert began["state"]["stage"] is None  # its first stage is recorded only in 2023-03
    assert result["undated"] == []


def test_timeline_of_one_entity_with_its_dated_events(bundled):
    result = analysis.timeline(bundled, "openai")
    assert result["entity"]["id"] == "openai"
    assert all("openai" in (e["relationship"]["from"]["id"], e["relationship"]["to"]["id"])
               for e in result["events"] if e["relationship"])
    # OpenAI's own events, and those of the events that are part of it.
    founded = next(e for e in result["events"] if e["event"] == "founded")
    assert founded["entity"]["id"] == "openai" and founded["date"] == "2015"
    upheaval = next(e for e in result["events"] if e["event"] == "ousted")
    assert upheaval["entity"]["id"] == "openai-ouster" and upheaval["date"] == "2023-11"
    assert upheaval["source"]["id"] == "shifting-sands" and "Altman" in upheaval["quote"]
    assert all(e["entity"]["id"] in ("openai", "openai-ouster") for e in result["events"] if e["entity"])


# ---- diff ----------------------------------------------------------------------------------


def test_diff_sections_on_the_edge_cases(timed):
    result = analysis.diff(timed, "2022", "2024-11")
    section = {name: ids(result[name]) for name in analysis.DIFF_SECTIONS}
    assert section == {
        "unchanged": {"beta-alpha-research", "beta-gamma-cloud"},
        "began": {"gamma-delta-x1-hardware", "alpha-gamma-cloud", "gamma-in-house-chip", "zeta-beta-investment"},
        "reported": {"zeta-gamma-technology", "beta-epsilon-rivalry"},
        "changed": {"alpha-beta-investment"},
        "ended": {"gamma-delta-hardware", "epsilon-alpha-distribution"},
    }
    changed = result["changed"][0]
    before, after = changed["before"], changed["after"]
    assert (before["stage"], before["health"]) == (None, None)  # not recorded before 2023-03
    assert (after["stage"], after["health"], changed["when"]) == ("active", "strained", "2023-03")
    assert result["counts"]["before"] == 5 and result["counts"]["undated"] == 0
    assert result["by_kind"]["cloud"] == {"before": 1, "after": 2}


def test_diff_marks_what_possibly_began_before_from(timed):
    result = analysis.diff(timed, "2024-06", "2024-12")
    cloud = next(i for i in result["began"] if i["id"] == "alpha-gamma-cloud")  # start 2024
    assert cloud["certain"] is False and cloud["doubts"] == ["began 2024: possibly already by 2024-06"]


def test_diff_sorts_by_date_as_dates_order_them():
    """A diff item's date is kept as one int (a whole file's sections hold one
    key per relationship): it orders as dates.order_key does, from the year 1
    to 9999, the more precise first, the undated last; then kind and names."""
    from aideps.analysis.time import _diff_key

    texts = ["2024", "2024-01", "2024-01-15", "2023-12-31", "2024-12", "0001-01-01", "9999", "9999-12-31", "1999-06", None]
    folded = {"A": "a", "B": "b"}

    def item(when, kind="research", a="A", b="B"):
        return {"when": when, "kind": kind, "from": {"name": a}, "to": {"name": b}}

    def expected(when, kind="research", a="A", b="B"):
        span = dates.maybe_parse(when) if when else None
        return (span is None, dates.order_key(span) if span else (), vocab.KIND_ORDER[kind], folded[a], folded[b])

    cases = [(when, kind, a, b) for when in texts for kind in ("research", "hardware") for a, b in (("A", "B"), ("B", "A"))]
    by_key = sorted(cases, key=lambda c: _diff_key("began", item(*c), folded))
    assert by_key == sorted(cases, key=lambda c: expected(*c))
    assert by_key[0][0] == "0001-01-01" and by_key[-1][0] is None
    # "unchanged" sorts by kind and names only.
    unchanged = sorted(cases, key=lambda c: _diff_key("unchanged", item(*c), folded))
    assert unchanged == sorted(cases, key=lambda c: expected(*c)[2:])


def test_diff_refuses_dates_in_the_wrong_order(timed):
    with pytest.raises(ValueError, match="give the earlier date first"):
        analysis.diff(timed, "2024", "2023")
    assert analysis.diff(timed, "2024-11", "2024")["counts"]  # 2024 ends after 2024-11: fine


def test_diff_2023_03_to_2024_11_tells_the_story(bundled):
    result = analysis.diff(bundled, "2023-03", "2024-11")
    standing = ids(result["unchanged"])
    # 2023: big companies and startups partner for research, distribution, hardware; Copilot on Codex.
    assert {"big-companies-research-startups", "big-companies-distribution-startups",
            "startups-hardware-big-companies", "copilot-technology-codex", "openai-distribution-copilot"} <= standing
    # Late 2024: the race to need nobody. Microsoft's own AI began after
    # 2023-03; the rest the late-2024 articles report, without a start date.
    assert ids(result["began"]) == {"microsoft-in-house-ai"}
    assert {"amazon-in-house-trainium", "openai-cloud-oracle", "microsoft-talent-inflection", "google-in-house-tpu",
            "meta-in-house-search", "openai-in-house-search", "meta-in-house-chips"} <= ids(result["reported"])
    assert result["by_kind"]["in_house"]["after"] > 2 * result["by_kind"]["in_house"]["before"]
    strained = {
        side: sum(1 for name in analysis.DIFF_SECTIONS for i in result[name] if i[side]["health"] == "strained")
        for side in ("before", "after")
    }
    assert strained["after"] > strained["before"]
    alliance = next(i for i in result["reported"] if i["id"] == "openai-investment-microsoft")
    assert alliance["evidence"] == {"date": "2023-11", "basis": "history"}
    assert (alliance["after"]["stage"], alliance["after"]["health"]) == ("active", "strained")
    assert result["counts"]["undated"] == 0 and result["undated"] == []


# ---- why ------------------------------------------------------------------------------------


def test_why_lists_every_path_shortest_first_through_cycles(timed):
    result = analysis.why(timed, "zeta", "delta")
    chains = [[e["id"] for e in p["entities"]] for p in result["paths"]]
    assert chains == [
        ["zeta", "gamma", "delta-x1"],
        ["zeta", "beta", "gamma", "delta-x1"],
        ["zeta", "beta", "alpha", "gamma", "delta-x1"],
    ]
    assert all(p["ends_at_part"]["id"] == "delta-x1" for p in result["paths"])
    hop = result["paths"][0]["hops"][0]
    assert [(r["kind"], r["stage"], r["certainty"]) for r in hop["relationships"]] == [("technology", None, "speculation")]
    assert result["complete"] is True
    # No entity twice, even around the Alpha-Beta cycle.
    assert all(len(c) == len(set(c)) for c in chains)


def test_why_depth_limit_and_hints(timed):
    short = analysis.why(timed, "zeta", "delta", depth=2)
    assert len(short["paths"]) == 1
    none = analysis.why(timed, "epsilon", "delta")  # ended: not followed by default
    assert none["paths"] == [] and none["shortest_beyond_depth"] is None
    everything = analysis.why(timed, "epsilon", "delta", where=Where.of((*vocab.STAGES, NO_STAGE)))
    assert everything["paths"]
    far = analysis.why(timed, "zeta", "delta", depth=1)
    assert far["paths"] == [] and far["shortest_beyond_depth"] == 2
    back = analysis.why(timed, "delta", "zeta")
    assert back["paths"] == [] and back["reverse_exists"] is True
    limited = analysis.why(timed, "zeta", "delta", limit=2)
    assert len(limited["paths"]) == 2 and limited["complete"] is False


def test_why_follows_no_rivalry(timed):
    assert analysis.why(timed, "beta", "epsilon")["paths"] == []
    with pytest.raises(ValueError, match="not a dependency kind"):
        analysis.why(timed, "beta", "epsilon", kinds=["rivalry"])


# ---- impact ---------------------------------------------------------------------------------


def test_impact_counts_parts_depths_and_hedges(timed):
    result = analysis.impact(timed, "delta")
    depth = {e["entity"]["id"]: e["depth"] for e in result["exposed"]}
    assert depth == {"gamma": 1, "alpha": 2, "beta": 2, "zeta": 2}
    gamma = next(e for e in result["exposed"] if e["entity"]["id"] == "gamma")
    assert [t["id"] for t in gamma["through"]] == ["delta-x1"]  # Delta's part; the ended Delta deal is not followed
    zeta = next(e for e in result["exposed"] if e["entity"]["id"] == "zeta")
    assert [p["id"] for p in zeta["path"]] == ["zeta", "gamma", "delta-x1"]
    assert (result["total"], result["direct"], result["by_depth"]) == (4, 1, {"1": 1, "2": 3})
    assert {(g["depth"], g["kind"], g["count"]) for g in result["groups"]} == {
        (1, "hardware", 1), (2, "cloud", 2), (2, "technology", 1),
    }
    assert ids(result["hedges"]) == {"gamma-in-house-chip"}
    assert analysis.impact(timed, "delta", depth=1)["truncated"] is True


def test_impact_and_why_agree(bundled, timed):
    """Whoever impact lists can explain why; whoever why finds a path for is listed."""
    for g, targets in ((bundled, ["nvidia", "openai", "microsoft", "big-tech"]), (timed, ["delta", "gamma", "alpha"])):
        for target in targets:
            exposed = {e["entity"]["id"]: e["depth"] for e in analysis.impact(g, target)["exposed"]}
            for source in g.entities:
                if source == target or source in descendants(g, target):
                    continue
                # A whole relies on what its parts rely on (aideps.graph.parts): why leaves from them too.
                family = [e for e in [source, *descendants(g, source)] if e in exposed]
                paths = analysis.why(g, source, target, depth=len(g.entities), limit=1)["paths"]
                assert bool(paths) == bool(family), (target, source)
                if paths:
                    assert paths[0]["length"] == min(exposed[e] for e in family), (target, source)


def test_impact_of_nvidia(bundled):
    result = analysis.impact(bundled, "nvidia")
    exposed = {e["entity"]["id"]: e for e in result["exposed"]}
    direct = {eid for eid, e in exposed.items() if e["depth"] == 1}
    assert {"anthropic", "big-tech", "meta", "openai", "google", "amazon", "microsoft"} <= direct
    assert "apple" not in direct  # everyone buys NVIDIA's chips, "aside from perhaps Apple"
    anthropic = exposed["anthropic"]
    assert "cuda" in {t["id"] for t in anthropic["through"]}  # CUDA is part of NVIDIA
    # Big Tech's members rely on NVIDIA through the group's relationship.
    for member in ("google", "amazon", "microsoft"):
        assert [(r["id"], r["via"]["id"]) for r in exposed[member]["via"]] == [("big-tech-hardware-nvidia", "big-tech")]
    assert {r["id"] for r in exposed["meta"]["via"]} == {"meta-hardware-nvidia", "big-tech-hardware-nvidia"}
    # The in-house efforts that aim to replace NVIDIA.
    assert ids(result["hedges"]) == {"amazon-in-house-trainium", "meta-in-house-chips"}


# ---- stats ----------------------------------------------------------------------------------


def test_stats_on_the_bundled_data(bundled):
    result = analysis.stats(bundled)
    hardware = next(p for p in result["providers"] if p["kind"] == "hardware")
    assert hardware["top"][0]["entity"]["id"] == "nvidia" and hardware["top"][0]["count"] >= 4
    single = {(s["entity"]["id"], s["kind"]): s for s in result["single_points"]}
    amazon = single[("amazon", "hardware")]  # through Big Tech
    assert amazon["provider"]["id"] == "nvidia" and ids(amazon["hedges"]) == {"amazon-in-house-trainium"}
    microsoft = single[("microsoft", "research")]
    assert microsoft["provider"]["id"] == "openai" and ids(microsoft["hedges"]) == {"microsoft-in-house-ai"}
    # OpenAI, one of the AI startups, buys through the big companies and GPUs too: not a single point.
    assert ("openai", "hardware") not in single
    assert ("meta", "distribution") not in single  # Meta's own glasses are no supplier
    trainium = next(e for e in result["in_house"] if e["id"] == "amazon-in-house-trainium")
    assert trainium["replacing"][0]["entity"]["id"] == "nvidia" and trainium["replacing"][0]["dependents"] >= 4


def test_stats_counts_only_what_binds(timed):
    result = analysis.stats(timed)
    assert result["filters"] == {"stage": ["active", "none"], "health": [], "certainty": ["stated", "reported", "seems"]}
    assert result["filter_words"] == "active or have no stage given, and are not speculation"
    assert ("zeta", "technology") not in {(s["entity"]["id"], s["kind"]) for s in result["single_points"]}  # speculative
    assert ("gamma", "hardware") in {(s["entity"]["id"], s["kind"]) for s in result["single_points"]}
    everything = analysis.stats(timed, where=Where.of((*vocab.STAGES, NO_STAGE)))
    assert everything["counts"]["counted"] > result["counts"]["counted"]


def test_stats_for_the_text_reads_no_record_of_a_single_points_relationships(bundled):
    """The text shows a single point's relationships by their status only: taken
    from their heads (Store.heads), never read whole (a file of a million has
    hundreds of thousands); the statuses are those of the full view."""

    class Counting:
        def __init__(self, store):
            self._store, self.read = store, []

        def __getattr__(self, name):
            return getattr(self._store, name)

        def at(self, positions):
            positions = list(positions)
            self.read.extend(positions)
            return self._store.at(positions)

    def statuses(result):
        return {
            (s["entity"]["id"], s["kind"], s["provider"]["id"]): [(e["stage"], e["health"], e["certainty"]) for e in s["relationships"]]
            for s in result["single_points"]
        }

    full = analysis.stats(bundled)
    for claims in (False, True):
        counting = Counting(bundled.store)
        result = analysis.stats(Graph.on(counting), claims=claims, stream=True)
        counting.read.clear()  # (what the counting read: groups' relationships, builders')
        shown = list(result["single_points"])
        assert [s["entity"]["id"] for s in shown] == [s["entity"]["id"] for s in full["single_points"]]
        assert statuses({"single_points": shown}) == statuses(full) and len(shown) > 5
        # The text's view reads none; the JSON's reads them whole.
        assert (len(counting.read) > 5) is claims, counting.read


# ---- conflicts ------------------------------------------------------------------------------


def test_conflicts_side_by_side(timed, bundled):
    found = analysis.conflicts(timed)["conflicts"]
    assert [c["type"] for c in found] == ["amount", "fact"]
    amount, fact = found
    assert [c["value"] for c in amount["claims"]] == [1_000_000_000, 1_500_000_000]
    assert [c["source"]["id"] for c in amount["claims"]] == ["mid-report", "late-review"]
    assert fact["entity"]["id"] == "beta" and fact["key"] == "employees"
    assert [c["value"] for c in fact["claims"]] == [500, 650]
    assert analysis.conflicts(timed, "gamma")["conflicts"] == []
    money = analysis.conflicts(bundled)["conflicts"]
    investment = next(c for c in money if c["relationship"] and c["relationship"]["id"] == "openai-investment-microsoft")
    assert {(c["value"], c["qualifier"]) for c in investment["claims"]} == {(13e9, "exact"), (14e9, "nearly")}


def test_one_source_or_agreeing_sources_are_no_conflict(mini_data):
    data = dict(mini_data)
    rels = [dict(r) for r in mini_data["relationships"]]
    for rel in rels:
        if rel["amounts"] and len(rel["amounts"]) > 1:
            rel["amounts"] = [dict(a, amount=13_000_000_000, qualifier="exact") for a in rel["amounts"]]
    data["relationships"] = rels
    assert analysis.conflicts(Graph(data))["conflicts"] == []


# ---- export selection -----------------------------------------------------------------------


def test_selection_all_kind_and_neighbourhood(timed):
    everything = analysis.selection(timed)
    assert set(everything["nodes"]) == set(timed.entities)
    assert [e["id"] for e in everything["entities"]] == everything["nodes"]
    written = list(everything["relationships"])  # a Stream, read as it is written
    assert sorted(r["id"] for r in written) == sorted(r["id"] for r in timed.relationships)
    assert written == sorted(written, key=lambda r: (vocab.KIND_ORDER[r["kind"]], r["from"], r["to"], r["id"]))
    deps = analysis.selection(timed, kinds=vocab.DEPENDENCY_KINDS)
    assert "beta-epsilon-rivalry" not in ids(deps["relationships"])
    near = analysis.selection(timed, "delta", depth=1, parts=False)
    assert set(near["nodes"]) == {"delta", "gamma"}  # Delta X1 is a part, not a neighbour
    # Parts roll up (aideps.graph.parts): Gamma relies on Delta X1, a part of Delta.
    rolled = analysis.selection(timed, "delta", depth=1)
    assert set(rolled["nodes"]) == {"delta", "delta-x1", "gamma"}
    assert "gamma-delta-x1-hardware" in ids(rolled["relationships"])
    wider = analysis.selection(timed, "gamma", depth=1, where=Where.of(["active"]))
    assert set(wider["nodes"]) == {"gamma", "delta-x1", "alpha", "beta"}
