"""TEMPORARY SHIM (cli branch): the graph branch's asof replaces it."""
from aideps.analysis.core import AsOf


def at(graph, when):
    return graph if when is None else AsOf(graph, when)
