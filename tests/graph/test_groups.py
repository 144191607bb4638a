"""Groups in queries: a member inherits its group's dependencies (why,
impact, tree), shown "via <group>", except the members the relationship
excepts ("except perhaps Apple"); only members the file lists."""

from __future__ import annotations

from aideps import analysis
from aideps.graph.core import Graph
from aideps.knowledge import vocab
from aideps.render import csvout

SRC = {"source": "s1", "quote": "Everyone (aside from perhaps Apple) is buying as many NVIDIA chips as they can"}


def entity(eid, name, etype="company", **extra):
    return {"id": eid, "name": name, "type": etype, "description": name, "provenance": [dict(SRC)], **extra}


DATA = {
    "format": 2,
    "sources": [{"id": "s1", "title": "An article", "date": "2024-11", "comments": [{"id": "c1", "author": "Jo", "opens": "x"}]}],
    "entities": [
        entity("big-tech", "Big Tech", "group", members=[{"id": "google", **SRC}, {"id": "apple", **SRC}]),
        entity("google", "Google"),
        entity("apple", "Apple"),
        entity("amazon", "Amazon"),
        entity("nvidia", "NVIDIA"),
    ],
    "relationships": [
        {
            "id": "big-tech-nvidia", "from": "big-tech", "to": "nvidia", "kind": "hardware", "stage": "active",
            "certainty": "stated", "summary": "buys NVIDIA chips", "exceptions": [{"id": "apple", "hedge": "seems"}],
            "provenance": [dict(SRC)],
        },
        {
            "id": "amazon-nvidia", "from": "amazon", "to": "nvidia", "kind": "hardware", "stage": None,
            "certainty": "reported", "summary": "said to buy", "provenance": [{**SRC, "by": "reader", "comment": "c1", "hedge": "reported"}],
        },
        {
            "id": "apple-rival", "from": "big-tech", "to": "amazon", "kind": "rivalry", "stage": "active",
            "summary": "rivals", "provenance": [dict(SRC)],
        },
    ],
}


def test_why_google_nvidia_goes_via_big_tech():
    g = Graph(DATA)
    result = analysis.why(g, "google", "nvidia")
    assert [[e["id"] for e in p["entities"]] for p in result["paths"]] == [["google", "nvidia"]]
    edge = result["paths"][0]["hops"][0]["relationships"][0]
    assert edge["via"]["id"] == "big-tech" and edge["group"] == "big-tech"
    assert edge["from"]["id"] == "google"


def test_why_apple_nvidia_says_the_exception():
    g = Graph(DATA)
    result = analysis.why(g, "apple", "nvidia")
    assert result["paths"] == []
    assert [x["words"] for x in result["exceptions"]] == ["except perhaps Apple"]


def test_impact_lists_members_via_the_group_never_the_excepted_one_nor_rivalry():
    g = Graph(DATA)
    result = analysis.impact(g, "nvidia")
    names = {e["entity"]["id"]: e for e in result["exposed"]}
    assert "google" in names and "apple" not in names
    assert [v["group"] for v in names["google"]["via"]] == ["big-tech"]


def test_tree_of_a_member_shows_the_inherited_dependency():
    g = Graph(DATA)
    children = g.tree("google")["tree"]["children"]
    assert [c["entity"]["id"] for c in children] == ["nvidia"]
    assert children[0]["via"][0]["via"]["name"] == "Big Tech"
    assert g.tree("apple")["tree"]["children"] == []


def test_a_hedged_claim_never_reads_like_a_fact():
    g = Graph(DATA)
    for rel in DATA["relationships"]:
        edge = g.edge(rel)
        words = vocab.status_words(edge)
        if edge["certainty"] != "stated":
            assert edge["certainty"] in words
            row = csvout.edge_row(edge)
            assert edge["certainty"] in row
            assert "status" not in edge
    prov = g.edge(DATA["relationships"][1])["provenance"][0]
    assert prov["attribution"] == "a reader's comment by Jo, reported"
