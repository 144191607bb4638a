"""Hostile and broken knowledge files (issue #6).

Every bad file gives exit 1 and `file:line:column: message` on stderr from
every command (listed from the Typer app, so new commands are covered too),
nothing on stdout, never a traceback. Nothing in a knowledge file runs code,
reaches the network or the shell, or makes aideps read a file the user did
not name.

Fixtures: tests/fixtures/bad/ (one file per class of problem, shared with
test_validate.py), tests/fixtures/hostile/ (more, kept readable), and files
made here that cannot be committed as text (bad encodings, 5 MB lines, wrong
types generated per field from the models).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aideps.cli import app
from aideps.validate import check_bytes, check_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good" / "small.yaml"
ARTICLE = FIXTURES / "good" / "article.txt"
BAD = FIXTURES / "bad"
HOSTILE = FIXTURES / "hostile"

runner = CliRunner()


def run(*args: str, **kwargs):
    return runner.invoke(app, list(args), prog_name="aideps", **kwargs)


# --------------------------------------------------------------------------
# Source texts: bare file names, looked up only where the user says


SECRET = "The launch code is 0000 and nobody outside may read this line."


def _knowledge_citing(tmp_path: Path, text_entry: str, quote: str) -> Path:
    """small.yaml whose source 'essay' lists `text_entry` and whose first quote is `quote`."""
    content = GOOD.read_text(encoding="utf-8").replace("      - article.txt\n", f"      - {json.dumps(text_entry)}\n")
    content = content.replace("quote: Acme Labs was founded in 2019.", f"quote: {json.dumps(quote)}")
    path = tmp_path / "k.yaml"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path) -> Path:
    folder = tmp_path / "private"
    folder.mkdir()
    path = folder / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "entry, shown",
    [
        ("../private/secret.txt", "secret.txt"),
        ("private/secret.txt", "secret.txt"),
        ("{abs}", "secret.txt"),
        ("..\\private\\secret.txt", "secret.txt"),
        ("C:secret.txt", "secret.txt"),
    ],
)
def test_a_text_path_is_an_error_and_is_never_read(tmp_path, secret, entry, shown, monkeypatch):
    entry = entry.replace("{abs}", str(secret))
    # A quote that would match the secret file's start, were the file read.
    path = _knowledge_citing(tmp_path, entry, "The launch code is 1111")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")  # a bare name would find this one
    opened = _record_opens(monkeypatch)
    report = check_file(path, sources_dir=tmp_path)
    assert not any("private" in p for p in opened), opened
    assert report.sources_checked == [] and "essay" in report.sources_skipped
    messages = [str(p) for p in report.errors]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{path}:7:9: the 1st text path of source 'essay': ")
    assert "is a path, not a bare file name" in messages[0] and f"write just '{shown}'" in messages[0]
    assert "--sources-dir" in messages[0]
    assert "0000" not in "\n".join(messages)

    result = run("validate", str(path), "--sources-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "is a path, not a bare file name" in result.stdout and "0000" not in result.stdout + result.stderr
    # The query commands refuse the file too: it is invalid data.
    result = run("--data", str(path), "list")
    assert result.exit_code == 1 and "is a path, not a bare file name" in result.stderr


@pytest.mark.parametrize("entry, words", [("..", "is not a file name"), (".", "is not a file name"), ("", "empty"), ("  ", "empty")])
def test_names_that_are_not_file_names(tmp_path, entry, words):
    report = check_file(_knowledge_citing(tmp_path, entry, "Acme Labs was founded in 2019."), sources_dir=tmp_path)
    assert [p.line for p in report.errors] == [7] and words in report.errors[0].message


def _record_opens(monkeypatch) -> list[str]:
    """Paths opened through os.open, io.open and builtins.open from now on."""
    import builtins
    import io

    opened: list[str] = []
    real_os_open, real_io_open = os.open, io.open

    def os_open(path, *args, **kwargs):
        opened.append(os.fsdecode(path) if not isinstance(path, int) else str(path))
        return real_os_open(path, *args, **kwargs)

    def io_open(file, *args, **kwargs):
        if not isinstance(file, int):
            opened.append(os.fsdecode(file))
        return real_io_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    return opened


def test_a_link_out_of_the_sources_folder_is_not_followed(tmp_path, secret):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "article.txt").symlink_to(secret)
    path = _knowledge_citing(tmp_path, "article.txt", "The launch code is 1111")
    report = check_file(path, sources_dir=texts)
    assert report.errors == []  # not an error in the file: the folder holds a bad link
    assert report.sources_checked == []
    assert "is a link to a file outside" in report.sources_skipped["essay"]
    result = run("validate", str(path), "--sources-dir", str(texts), "--json")
    assert result.exit_code == 0
    assert "0000" not in result.stdout + result.stderr
    assert "link to a file outside" in json.loads(result.stdout)["quotes"]["sources_skipped"]["essay"]


def test_a_link_out_of_the_knowledge_files_own_folder_is_not_followed(tmp_path, secret):
    (tmp_path / "article.txt").symlink_to(secret)
    path = _knowledge_citing(tmp_path, "article.txt", "The launch code is 1111")
    report = check_file(path)
    assert report.errors == [] and report.sources_checked == []
    assert "is a link to a file outside" in report.sources_skipped["essay"]


def test_a_link_inside_the_folder_and_a_linked_folder_are_fine(tmp_path):
    real = tmp_path / "real-texts"
    real.mkdir()
    (real / "original.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (real / "article.txt").symlink_to(real / "original.txt")
    linked = tmp_path / "texts"
    linked.symlink_to(real, target_is_directory=True)
    report = check_file(GOOD, sources_dir=linked)
    assert report.problems == [] and report.sources_checked == ["essay"]


def test_a_fifo_or_a_folder_in_place_of_a_text_does_not_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    texts = tmp_path / "texts"
    texts.mkdir()
    os.mkfifo(texts / "article.txt")  # opening it to read would block forever
    report = check_file(GOOD, sources_dir=texts)
    assert report.sources_skipped["essay"].startswith("text path is not a regular file")
    (texts / "article.txt").unlink()
    (texts / "article.txt").mkdir()
    report = check_file(GOOD, sources_dir=texts)
    assert report.sources_skipped["essay"].startswith("text path is not a regular file")


def test_sources_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AIDEPS_SOURCES_DIR", str(FIXTURES / "good"))
    data = tmp_path / "small.yaml"
    data.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(data))
    assert result.exit_code == 0, result.stdout
    assert "quotes checked against 1 of 2 sources" in result.stderr


def test_a_sources_dir_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run("validate", str(GOOD), "--sources-dir", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_the_summary_says_how_to_check_quotes_when_texts_are_missing(tmp_path):
    data = tmp_path / "small.yaml"
    data.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(data))
    assert result.exit_code == 0
    assert result.stderr == (
        f"{data}: ok, 2 entities, 1 relationship; quotes not checked: source texts not found; pass --sources-dir DIR\n"
    )
    result = run("validate", str(data), "--sources-dir", str(tmp_path))
    assert result.stderr.endswith(f"quotes not checked: source texts not found in {tmp_path}\n")


def test_the_quote_hint_never_shows_text_the_quote_does_not_hold(tmp_path):
    # The quote matches the article up to "Bigco has put $2 billion into it"; the hint may say
    # how far it matched, in the quote's own words, and nothing of the article beyond.
    quote = "Acme's partner Bigco has put $2 billion into it, every cent in cash."
    path = _knowledge_citing(tmp_path, "article.txt", quote)
    report = check_file(path, sources_dir=FIXTURES / "good")
    [problem] = report.errors
    assert "it matches the text up to '…" in problem.message
    shown = problem.message.split("it matches the text up to '…", 1)[1].split("'", 1)[0]
    assert shown in quote
    assert "nearly all of it" not in problem.message and "cloud" not in problem.message
