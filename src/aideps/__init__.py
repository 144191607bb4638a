"""aideps: who depends on whom in AI, for what, since when, and says who."""

__version__ = "0.1.0"
