"""A plain query imports neither the questions of aideps.analysis nor the
as-of view, the in-memory store or the protocol's typing: `show` stays quick."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini.yaml"


def test_a_profile_from_the_index_imports_only_what_it_needs():
    code = (
        "import sys; from aideps.graph import store; "
        f"g = store.graph({str(MINI)!r}); g.profile(g.resolve('orbit')); g.tree('orbit-labs'); "
        "g.partnership('hardware'); g.entity_list(); g.search('cloud'); "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('aideps'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "aideps.graph.indexed" in loaded
    for module in ("aideps.analysis", "aideps.graph.asof", "aideps.graph.life", "aideps.graph.memory", "aideps.graph.protocol"):
        assert module not in loaded, module


def test_a_listing_from_the_console_pays_for_neither_typing_nor_pathlib(tmp_path):
    """typing and pathlib (with urllib.parse) cost every run some 20 ms of
    start-up; `list`, `show` and `tree` of the index need neither."""
    code = (
        "import sys, io, contextlib; from aideps.__main__ import main\n"
        "data = sys.argv[1]\n"
        "for argv in (['list'], ['show', 'orbit'], ['tree', 'orbit-labs'], ['list', '--json']):\n"
        "    sys.argv = ['aideps', '--data', data, *argv]\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try: main()\n"
        "        except SystemExit as exit: assert not exit.code, exit.code\n"
        "print(' '.join(m for m in ('typing', 'pathlib', 'dataclasses', 'rich', 'yaml', 'pydantic') if m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, check=True)  # builds the index
    done = subprocess.run([sys.executable, "-c", code, str(MINI)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
