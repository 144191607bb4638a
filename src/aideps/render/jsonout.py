"""JSON output: the json module only, never Rich (Rich wraps long lines).

Every command's document is the finished result from aideps.graph, as
documented in docs/json.md: exact numbers, dates as strings, UTF-8.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any


def dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(document: Any, stream: IO[str] | None = None) -> None:
    (stream or sys.stdout).write(dumps(document))
