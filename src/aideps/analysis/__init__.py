"""Questions across the graph: time, paths, impact, stats, conflicts, selection."""
