"""One folding of names, ids and aliases (issue #15), shared by validate's
clash check and by lookup: what validate accepts as two names, lookup tells
apart; what lookup takes for one name, validate refuses as a clash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aideps.knowledge.names import fold, lookup_rows
from aideps.knowledge.validate import check_bytes
from clihelp import run

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good" / "small.yaml"


def _two_names(acme_alias: str, bigco_name: str) -> bytes:
    text = GOOD.read_text(encoding="utf-8")
    text = text.replace("    aliases: [Acme]\n", f"    aliases: [{acme_alias}]\n", 1)
    return text.replace("    name: Bigco\n", f"    name: {bigco_name}\n", 1).encode()


@pytest.mark.parametrize(
    "alias, name",
    [
        ('"Big  co"', '"Big co"'),  # two spaces
        ('"Big\\u00a0co"', '"Big co"'),  # a no-break space
        ('"Big \\u3000co"', '"big co"'),  # an ideographic space, and case
        ('" Big co "', '"Big co"'),  # spaces at the ends
        ('"ＢＩＧ co"', '"Big co"'),  # fullwidth letters (NFKC)
        ('"ﬁnance"', '"Finance"'),  # a ligature (NFKC) and case
        ('"STRASSE"', '"straße"'),  # casefold
    ],
)
def test_names_lookup_cannot_tell_apart_clash(alias, name):
    report = check_bytes(_two_names(alias, name), "k.yaml")
    [problem] = report.errors
    assert "clashes with the alias" in problem.message or "clashes with the name" in problem.message
    assert problem.message.endswith("a name or alias must lead to one entity")


def test_show_answers_with_the_one_entity_a_folded_name_leads_to(tmp_path):
    path = tmp_path / "k.yaml"
    path.write_bytes(_two_names('"Acme Co"', '"Big co"'))
    assert check_bytes(path.read_bytes(), str(path)).errors == []
    for typed, expected in (("Big\u00a0\u00a0co", "bigco"), ("ＡＣＭＥ  co", "acme-labs"), ("BIG CO", "bigco")):
        result = run("--data", str(path), "show", typed, "--json")
        assert result.exit_code == 0, (typed, result.stderr)
        assert f'"id": "{expected}"' in result.stdout


_NAMES = st.text(st.sampled_from(list("aAbB ç\u00a0\u3000ＡﬁßSs-")), min_size=1, max_size=6).filter(lambda t: t.strip())


@settings(max_examples=200, deadline=None)
@given(first=_NAMES, second=_NAMES)
def test_validate_refuses_exactly_the_pairs_lookup_folds_alike(first, second):
    import json

    content = _two_names(json.dumps(first), json.dumps(second))
    clashes = [p for p in check_bytes(content, "k.yaml").errors if "clashes" in p.message]
    assert bool(clashes) == (fold(first) == fold(second)), (first, second, clashes)


def test_lookup_rows_use_the_folding():
    rows = lookup_rows({"id": "bigco", "name": "Big\u00a0 Co", "aliases": ["ＢＩＧ"]})
    assert ("big co", 1, "bigco") in rows and ("big", 2, "bigco") in rows


def test_the_index_name_changes_with_the_folding():
    from aideps.index import cache

    assert cache.FORMAT >= 2  # indexes built with the case-only folding are never read
