"""The compiled index of a knowledge file: one SQLite database per content,
in the user's cache directory, built from the YAML by the first run on that
content and read, only the rows a query touches, by every later one.

    cache   where the cache is, content hashes, stamps, sweeping leftovers
    read    opening a trusted index; Index and its lazy collections
    build   reading the YAML once and writing the database; the lock
    driver  open_index(path): stamp, hash, reuse or build

The YAML stays the one source of truth: a changed file is never answered
from another content's index, and an index that cannot be trusted is
rebuilt. Importing this package loads neither the build nor YAML nor pydantic.
"""

from aideps.index.cache import cache_dir
from aideps.index.driver import open_index
from aideps.index.read import BadIndex, Index, open_file

__all__ = ["BadIndex", "Index", "cache_dir", "open_file", "open_index"]
