"""Questions across the graph: time, paths, impact, stats, conflicts, selection.

TEMPORARY SHIM (cli branch)."""
from aideps.analysis.core import conflicts, diff, impact, selection, stats, timeline, why  # noqa: F401
