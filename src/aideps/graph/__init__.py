"""The storage protocol, lookups and queries over a knowledge file's data."""
