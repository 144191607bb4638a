"""The compiled index of a knowledge file: cache, build, read."""
