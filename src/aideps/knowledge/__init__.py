"""The knowledge-file format: its vocabulary, models, schema, reading YAML with positions, and the checks."""
