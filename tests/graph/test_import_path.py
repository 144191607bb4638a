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
