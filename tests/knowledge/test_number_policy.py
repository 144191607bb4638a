"""The one number policy (issue #15): amounts and numeric fact values are
finite figures a float holds, written as numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aideps.knowledge.validate import check_bytes
from clihelp import run

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good" / "small.yaml"


def _with_amount(figure: str) -> bytes:
    text = GOOD.read_text(encoding="utf-8")
    assert "amount: 2000000000\n" in text
    return text.replace("amount: 2000000000\n", f"amount: {figure}\n", 1).encode()


def _with_fact_value(value: str) -> bytes:
    text = GOOD.read_text(encoding="utf-8")
    assert "value: 2019\n" in text
    return text.replace("value: 2019\n", f"value: {value}\n", 1).encode()


@pytest.mark.parametrize(
    "figure, words",
    [
        ('"12"', "should be a number, got a string ('12'); write it without quotes"),
        ("'12.5'", "should be a number, got a string ('12.5'); write it without quotes"),
        ('"inf"', "got a string ('inf'), which is not a finite figure; write the figure the source gives, without quotes"),
        ('"Infinity"', "got a string ('Infinity'), which is not a finite figure"),
        ("1e400", "got a string ('1e400'), which is not a finite figure"),
        (".inf", "is infinite; write the figure the source gives"),
        ("1.0e+400", "is infinite"),
        (".nan", "is not a number (nan)"),
        ("1" + "0" * 299, "is a number 300 digits long; a figure this large cannot be right; write the figure the source gives"),
        ("1" + "0" * 400, "is a number 401 digits long; a figure this large cannot be right"),
        ("1.0e+31", "is 1e+31; a figure this large cannot be right"),
    ],
)
def test_an_amount_that_is_not_a_finite_figure_is_refused(figure, words):
    report = check_bytes(_with_amount(figure), "k.yaml")
    [problem] = report.errors
    assert problem.message.startswith("'amount' of the 1st amount of relationship 'bigco-acme-investment' "), problem.message
    assert words in problem.message


@pytest.mark.parametrize(
    "value, words",
    [
        (".nan", "is not a number (nan)"),
        (".inf", "is infinite"),
        ("-.inf", "is infinite"),
        ("9" * 300, "300 digits long; a figure this large cannot be right"),
    ],
)
def test_a_numeric_fact_that_is_not_a_finite_figure_is_refused(value, words):
    [problem] = check_bytes(_with_fact_value(value), "k.yaml").errors
    assert problem.message.startswith("'value' of the 1st fact of entity 'acme-labs' ") and words in problem.message


@pytest.mark.parametrize("figure", ["0", "2000000000", "13.5", "1.35e+10", "999999999999999999999999999999"])
def test_ordinary_figures_pass(figure):
    assert check_bytes(_with_amount(figure), "k.yaml").errors == []


def test_a_fact_in_words_stays_text():
    assert check_bytes(_with_fact_value('"inf"'), "k.yaml").errors == []


@pytest.mark.parametrize("figure", ['"inf"', '"Infinity"', "1e400", "1" + "0" * 310])
def test_no_command_prints_infinity_or_a_traceback(tmp_path, figure):
    path = tmp_path / "k.yaml"
    path.write_bytes(_with_amount(figure))
    for args in (["show", "acme-labs", "--json"], ["show", "acme-labs"], ["tree", "acme-labs"], ["export", "--format", "json"]):
        result = run("--data", str(path), *args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert result.stdout == "" and "Traceback" not in result.stderr
        assert "$inf" not in result.stderr and ": Infinity" not in result.stderr
        assert "k.yaml:" in result.stderr and "amount" in result.stderr
    result = run("validate", str(path), "--json")
    assert result.exit_code == 1
    json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
