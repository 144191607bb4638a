"""Print the JSON Schema of the knowledge file.

    python -m aideps.knowledge.schema > schema/entities.schema.json

The schema is generated from `aideps.knowledge.model`, the one definition of the
format; a test keeps the committed file in step with it. Editors that speak
JSON Schema (the YAML language server) use it to complete and check
data/entities.yaml as it is typed.
"""

from __future__ import annotations

import json
import sys


def schema_text() -> str:
    """The schema as committed: sorted keys, two-space indent, a final newline."""
    from aideps.knowledge.model import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


def main() -> int:
    sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
