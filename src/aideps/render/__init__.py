"""Renderers: each takes a finished result from aideps.graph and writes it.

Only `table` imports Rich, and only inside its functions.
"""
