"""The shape of the code and its docs, as issue 10 set it:

* no module over 600 lines; no import cycle between aideps's modules (lazy
  imports inside functions count); no private name imported across modules;
  no `sys.modules` assignment;
* the layers of pyproject.toml's import-linter contract hold (CI also runs
  `lint-imports`);
* every command of the one declaration (aideps.cli.spec) is in the README's
  command reference and, when it has --json, in docs/json.md.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from aideps.cli import spec

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "aideps"
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import in the file, lazy ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((module, [alias.name for alias in node.names], node.lineno))
    return out


def _target(module: str, names: list[str]) -> list[str]:
    """The aideps modules an import statement reaches."""
    targets = []
    if module in MODULES:
        targets.append(module)
    for name in names:
        sub = f"{module}.{name}"
        if sub in MODULES:
            targets.append(sub)
    return [t for t in targets if t.startswith("aideps")]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_600_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines; split it by what it holds"


def test_no_import_cycle_between_modules():
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, names, _ in _imports(name, path):
            for target in _target(module, names):
                if target != name and not name.startswith(target + "."):  # a package's own __init__ is not a cycle
                    graph[name].add(target)
    # Tarjan's strongly connected components: any with two modules or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_no_private_name_is_imported_across_modules():
    found = []
    for name, path in MODULES.items():
        for module, names, line in _imports(name, path):
            if not module.startswith("aideps") or module == name:
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                found.append(f"{path.relative_to(ROOT)}:{line}: {module} {private}")
    assert found == []


def test_no_sys_modules_assignment_in_src():
    pattern = re.compile(r"sys\.modules\s*\[[^\]]*\]\s*=|sys\.modules\.(update|setdefault)\(")
    hits = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in MODULES.values()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []


def test_the_layers_hold():
    pytest.importorskip("importlinter")
    import subprocess

    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("lint-imports is not installed beside this Python")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


# ---- docs -----------------------------------------------------------------------


def _reference() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Command reference")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


@pytest.mark.parametrize("command", [c.name for c in spec.COMMANDS])
def test_every_command_is_in_the_readme_reference(command):
    reference = _reference()
    assert re.search(rf"`(aideps )?{re.escape(command)}\b", reference) or f"/ `{command}`" in reference, (
        f"`aideps {command}` is missing from the README's command reference"
    )


@pytest.mark.parametrize("command", [c.name for c in spec.COMMANDS if any(o.dest == "as_json" for o in c.options)])
def test_every_json_command_is_in_docs_json(command):
    headings = [line for line in (ROOT / "docs" / "json.md").read_text(encoding="utf-8").splitlines() if line.startswith("## ")]
    assert any(re.search(rf"aideps ([\w|]+\|)?{re.escape(command)}\b", heading) for heading in headings), (
        f"docs/json.md has no section for `aideps {command} --json`"
    )


def test_every_command_has_examples_in_its_help():
    for command in spec.COMMANDS:
        assert len(command.examples) >= 2, command.name
        for example in command.examples:
            assert example.startswith(f"aideps {command.name}"), example


@pytest.mark.parametrize("command", spec.COMMANDS, ids=lambda c: c.name)
def test_every_command_is_answered_by_a_function(command):
    """run_command finds `command.run` in aideps.cli.run, else in aideps.cli.run_export (imported only for those)."""
    from aideps.cli import run, run_export

    function = getattr(run, command.run, None) or getattr(run_export, command.run, None)
    assert callable(function), command.run
