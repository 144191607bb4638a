"""Questions across the graph: time (timeline, diff), paths (why), exposure
(impact), concentration (stats), disagreements (conflicts), and the part of
the graph an export draws (selection).

Each takes a Graph (aideps.graph.core) and reads it through its store
(aideps.graph.protocol.Store) only, so it runs unchanged on a file's index,
on the validated dict, and on the graph as of a date (aideps.graph.asof.at).
Results are plain, JSON-ready data, as in aideps.graph; nothing here prints.
"""

from aideps.analysis.claims import conflicts
from aideps.analysis.concentration import stats
from aideps.analysis.exposure import impact
from aideps.analysis.paths import why
from aideps.analysis.subgraph import selection
from aideps.analysis.time import DIFF_SECTIONS, diff, timeline

__all__ = ["DIFF_SECTIONS", "conflicts", "diff", "impact", "selection", "stats", "timeline", "why"]
