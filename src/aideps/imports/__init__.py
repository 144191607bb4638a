"""Importers: other maps of the AI ecosystem turned into a format-2 knowledge
file (`aideps import SOURCE DIR`). They sit beside the index, above the
format: they import only aideps.knowledge."""
