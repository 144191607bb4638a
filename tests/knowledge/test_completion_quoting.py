"""Completion never offers a word a shell would read as something else
(issue #15): a name with `$(...)`, backticks, quotes or spaces is not
offered, by the fast path or by Typer, from the index or from memory."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aideps.graph.memory import completions
from aideps.knowledge.names import completion_words, shell_plain

GOOD = Path(__file__).resolve().parents[1] / "fixtures" / "good" / "small.yaml"
EVIL = ["Evil$(touch pwned)", "Evil`id`", "Evil'quote", 'Evil"q', "Evil;rm", "Evil&x", "Evil|x", "Evil*", "Evil?",
        "Evil>out", "Evil<in", "Evil(x)", "Evil{a,b}", "Evil\\x", "Evil!x", "Evil#x", "Evil~", "Evil:x", "Evil=x"]


@pytest.mark.parametrize("word", EVIL)
def test_words_the_shell_would_reinterpret_are_not_plain(word):
    assert not shell_plain(word)


@pytest.mark.parametrize("word", ["NVIDIA", "Bigco", "GPT-4o", "x.ai", "Überlab", "中文", "A+B", "a_b,c/d"])
def test_ordinary_names_are_plain(word):
    assert shell_plain(word)


@settings(max_examples=300, deadline=None)
@given(word=st.text(min_size=1, max_size=12))
def test_a_plain_word_is_one_word_to_the_shell_as_it_is(word):
    if shell_plain(word):
        assert shlex.split(word) == [word]
        assert not word.startswith("-")
        assert not any(c in word for c in "$`'\"\\;&|<>()*?[]{}!#~:= \t\n")


def _file(tmp_path: Path) -> Path:
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["sources"][0]["text"] = []
    data["entities"][1]["aliases"] = ["Bigcorp", *EVIL]
    path = tmp_path / "k.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_memory_completions_offer_only_plain_words(tmp_path):
    data = yaml.safe_load(_file(tmp_path).read_text(encoding="utf-8"))
    assert completion_words(data["entities"][1]) == ["Bigco", "Bigcorp"]
    assert [value for value, _ in completions(data, "E")] == []
    assert [value for value, _ in completions(data, "B")] == ["Bigco", "Bigcorp"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("code", [["-m", "aideps"], ["-c", "from aideps.cli.typer_app import app; app(prog_name='aideps')"]])
def test_neither_completion_path_offers_an_evil_name(tmp_path, shell, code):
    path = _file(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["_AIDEPS_COMPLETE"] = f"complete_{shell}"
    env["AIDEPS_DATA"] = str(path)
    line = "aideps show E"
    if shell == "bash":
        env["COMP_WORDS"] = "\n".join(line.split(" "))
        env["COMP_CWORD"] = "2"
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    for prefix in ("E", "B"):  # E: only evil names start so; B: the plain ones are still offered
        env["COMP_WORDS" if shell == "bash" else "_TYPER_COMPLETE_ARGS"] = (
            f"aideps\nshow\n{prefix}" if shell == "bash" else f"aideps show {prefix}"
        )
        out = subprocess.run([sys.executable, *code], capture_output=True, text=True, env=env, timeout=60).stdout
        assert "Evil" not in out and "pwned" not in out, out
        if prefix == "B":
            assert "Bigcorp" in out, out
