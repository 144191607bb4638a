"""Figures and dates as people read them (aideps.render.fmt)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aideps.knowledge import vocab
from aideps.render import fmt


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (13_000_000_000, "$13B"),
        (18_170_000_000, "$18.17B"),
        (6_600_000_000, "$6.6B"),
        (75_000_000_000, "$75B"),
        (500_000_000, "$500M"),
        (5_400_000_000, "$5.4B"),
        (37_500_000_000, "$37.5B"),
        (1_000_000_000_000, "$1T"),
        (250_000, "$250K"),
        (999, "$999"),
        (0, "$0"),
        (12.5, "$12.5"),
        (999_999_999, "$1B"),  # not "$1000M"
        (999_995, "$1M"),
        (13e9, "$13B"),  # a float from YAML reads the same
    ],
)
def test_money_in_dollars(amount, expected):
    assert fmt.money(amount, "USD") == expected


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("exact", "$14B"),
        ("nearly", "nearly $14B"),
        ("at_least", "≥$14B"),
        ("about", "~$14B"),
        ("over", ">$14B"),
        ("up_to", "≤$14B"),
    ],
)
def test_money_qualifiers(qualifier, expected):
    assert fmt.money(14_000_000_000, "USD", qualifier) == expected


def test_money_other_currencies():
    assert fmt.money(5_000_000_000, "EUR") == "€5B"
    assert fmt.money(5_000_000_000, "GBP") == "5B GBP"
    assert fmt.money(5_000_000_000, "GBP", "about") == "~5B GBP"
    assert fmt.money(5_000_000_000, None) == "5B"


def test_several_amounts_are_all_shown_in_order():
    items = [
        {"amount": 13_000_000_000, "currency": "USD", "qualifier": "exact"},
        {"amount": 14_000_000_000, "currency": "USD", "qualifier": "nearly"},
    ]
    assert fmt.amounts(items) == "$13B / nearly $14B"
    assert fmt.amounts(list(reversed(items))) == "nearly $14B / $13B"
    # Two sources with the same figure: said once.
    assert fmt.amounts([items[0], dict(items[0])]) == "$13B"
    assert fmt.amounts([]) == ""


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        ({"value": 18_170_000_000, "currency": "USD"}, "$18.17B"),
        ({"value": 5_000_000_000, "currency": "EUR", "qualifier": "about"}, "~€5B"),
        ({"value": 1700, "unit": "people"}, "1700 people"),
        ({"value": 120000, "unit": "people"}, "120,000 people"),
        ({"value": 2015}, "2015"),
        ({"value": "San Francisco"}, "San Francisco"),
        ({"value": "201-500", "qualifier": "about"}, "~201-500"),
    ],
)
def test_fact_values(fact, expected):
    assert fmt.fact_value(fact) == expected


def test_dates_and_sources():
    assert fmt.span("2019", None) == "2019"
    assert fmt.span("2016", "2019") == "2016–2019"
    assert fmt.span(None, "2019") == "until 2019"
    assert fmt.span(None, None) == ""
    source = {"title": "The Shifting Sands of AI Partnerships: Microsoft and OpenAI", "date": "2024-10-30"}
    assert fmt.source_label(source) == "The Shifting Sands of AI Partnerships: Microsoft and OpenAI (2024-10-30)"
    assert fmt.source_label(source, short=True) == "The Shifting Sands of AI Partnerships (2024-10-30)"


amounts = st.one_of(
    st.integers(min_value=0, max_value=10**16),
    st.floats(min_value=0, max_value=1e16, allow_nan=False, allow_infinity=False),
)


@given(amounts, st.sampled_from(["USD", "EUR", "GBP", "JPY", None]), st.sampled_from(vocab.QUALIFIERS))
def test_money_reads_back_to_within_rounding(amount, currency, qualifier):
    text = fmt.money(amount, currency, qualifier)
    assert text and text == text.strip()
    value, parsed_currency, parsed_qualifier = fmt.parse_money(text)
    assert parsed_currency == currency
    assert parsed_qualifier == qualifier
    # Two decimals of the unit the figure is written in (K, M, B, T).
    unit = next((scale for scale in (1e12, 1e9, 1e6, 1e3) if value >= scale), 1.0)
    assert math.isclose(value, amount, abs_tol=0.005 * unit + 1e-9, rel_tol=1e-9)


def test_sources_of_one_title_without_a_date_are_told_apart_by_id():
    one = {"id": "eg-chatglm", "title": "ChatGLM (Ecosystem Graphs card)", "date": None}
    two = {"id": "eg-chatglm-2", "title": "ChatGLM (Ecosystem Graphs card)", "date": None}
    assert fmt.source_label(one) == "ChatGLM (Ecosystem Graphs card) · eg-chatglm"
    assert fmt.source_label(one, short=True) != fmt.source_label(two, short=True)
    assert fmt.source_label(one, with_id=False) == "ChatGLM (Ecosystem Graphs card)"  # footnotes print the id after it
