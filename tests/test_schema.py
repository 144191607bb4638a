"""schema/entities.schema.json: generated from the models, kept in step, and usable.

jsonschema is not a test dependency, so a small validator below implements
the keywords the generated schema uses; it is enough to show that the schema
accepts a good knowledge file and rejects broken ones.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from aideps.knowledge import vocab
from aideps.knowledge.model import Amount
from aideps.knowledge.reader import parse
from aideps.knowledge.model import KnowledgeFile
from aideps.knowledge.schema import schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema" / "entities.schema.json"
GOOD = Path(__file__).resolve().parent / "fixtures" / "good" / "small.yaml"
REGENERATE = "regenerate with `python -m aideps.knowledge.schema > schema/entities.schema.json`"


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_committed_schema_is_the_generated_one():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == schema_text(), f"schema/entities.schema.json is out of date; {REGENERATE}"


def test_python_dash_m_prints_the_schema():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, "-m", "aideps.knowledge.schema"], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
    assert out.stderr == ""


def _models():
    seen, todo = {}, [KnowledgeFile]
    while todo:
        model = todo.pop()
        if model.__name__ in seen:
            continue
        seen[model.__name__] = model
        for info in model.model_fields.values():
            text = repr(info.annotation)
            for name, obj in vars(sys.modules[model.__module__]).items():
                if isinstance(obj, type) and hasattr(obj, "model_fields") and re.search(rf"\b{name}\b", text):
                    todo.append(obj)
    return seen


def test_every_model_field_is_in_the_schema_by_its_yaml_name(schema):
    models = _models()
    assert {"Source", "Entity", "Fact", "Relationship", "Amount", "Term", "StatusChange", "Provenance"} <= set(models)
    for name, model in models.items():
        node = schema if model is KnowledgeFile else schema["$defs"][name]
        fields = {info.alias or field for field, info in model.model_fields.items()}
        assert set(node["properties"]) == fields, name
        required = {info.alias or field for field, info in model.model_fields.items() if info.is_required()}
        if model is Amount:
            # Optional in the model so the validator words it; required for editors.
            required.add("currency")
        assert set(node.get("required", [])) == required, name
        assert node["additionalProperties"] is False, name
    assert "from" in schema["$defs"]["Relationship"]["properties"]
    assert "from_" not in schema["$defs"]["Relationship"]["properties"]


@pytest.mark.parametrize(
    "model, field, values",
    [
        ("Entity", "type", vocab.ENTITY_TYPES),
        ("Relationship", "kind", vocab.KINDS),
        ("Relationship", "stage", vocab.STAGES),
        ("Relationship", "health", vocab.HEALTHS),
        ("Relationship", "certainty", vocab.CERTAINTIES),
        ("StatusChange", "stage", vocab.STAGES),
        ("Provenance", "by", vocab.CLAIMANTS),
        ("Provenance", "hedge", vocab.CERTAINTIES),
        ("Term", "state", vocab.TERM_STATES),
        ("Event", "kind", vocab.EVENT_KINDS),
        ("Amount", "qualifier", vocab.QUALIFIERS),
        ("Fact", "qualifier", vocab.QUALIFIERS),
    ],
)
def test_enums_are_the_vocabularies(schema, model, field, values):
    node = schema["$defs"][model]["properties"][field]
    enums = [node["enum"]] if "enum" in node else [n["enum"] for n in node.get("anyOf", []) if "enum" in n]
    assert [tuple(e) for e in enums] == [values]


# --------------------------------------------------------------------------
# A small JSON Schema validator for the keywords pydantic emits.

_KNOWN = {
    "$defs", "$ref", "$schema", "additionalProperties", "anyOf", "const", "default", "description",
    "enum", "items", "maximum", "minItems", "minLength", "minimum", "pattern",
    "properties", "required", "title", "type",
}  # fmt: skip


def _type_ok(value, kind) -> bool:
    return {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }[kind]


def _errors(value, node, root, path=()) -> list[str]:
    if "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    out: list[str] = []
    where = "/".join(map(str, path)) or "<root>"
    if "anyOf" in node and not any(not _errors(value, sub, root, path) for sub in node["anyOf"]):
        out.append(f"{where}: matches none of anyOf")
    if "type" in node and not _type_ok(value, node["type"]):
        return out + [f"{where}: not {node['type']}"]
    if "enum" in node and value not in node["enum"]:
        out.append(f"{where}: not in enum")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            out.append(f"{where}: does not match {node['pattern']}")
        if len(value) < node.get("minLength", 0):
            out.append(f"{where}: too short")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            out.append(f"{where}: below minimum")
        if "maximum" in node and value > node["maximum"]:
            out.append(f"{where}: above maximum")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            out.append(f"{where}: too few items")
        for i, item in enumerate(value):
            out += _errors(item, node.get("items", {}), root, path + (i,))
    if isinstance(value, dict):
        props = node.get("properties", {})
        for key in node.get("required", []):
            if key not in value:
                out.append(f"{where}: missing {key}")
        for key, item in value.items():
            if key in props:
                out += _errors(item, props[key], root, path + (key,))
            elif node.get("additionalProperties") is False:
                out.append(f"{where}: unexpected {key}")
    return out


@pytest.fixture(scope="module")
def good_data() -> dict:
    data, _, problems = parse(GOOD.read_bytes(), str(GOOD))
    assert problems == []
    return data


def test_schema_accepts_the_good_fixture(schema, good_data):
    assert _errors(good_data, schema, schema) == []


def test_schema_accepts_the_validated_data_shape(schema, good_data):
    dumped = KnowledgeFile.model_validate(good_data).model_dump(by_alias=True)
    assert _errors(dumped, schema, schema) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["relationships"][0].update(summry="x"), "unexpected summry"),
        (lambda d: d["relationships"][0].update(kind="reseach"), "not in enum"),
        (lambda d: d["entities"][0].update(type="compny"), "not in enum"),
        (lambda d: d["entities"][0].update(id="Acme Labs"), "does not match"),
        (lambda d: d["sources"][0].update(date="30 March 2023"), "matches none of anyOf"),
        (lambda d: d["relationships"][0]["amounts"][0].update(currency="usd"), "does not match"),
        (lambda d: d["relationships"][0]["amounts"][0].pop("currency"), "missing currency"),
        (lambda d: d["relationships"][0].pop("provenance"), "missing provenance"),
        (lambda d: d["entities"][1].update(provenance=[]), "too few items"),
        (lambda d: d.pop("entities"), "missing entities"),
    ],
)
def test_schema_rejects_broken_data(schema, good_data, change, expected):
    data = json.loads(json.dumps(good_data))
    change(data)
    errors = _errors(data, schema, schema)
    assert any(expected in e for e in errors), errors


def _keywords(node, found: set) -> set:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            children = value.values() if key in ("properties", "$defs") else [value]
            for child in children:
                _keywords(child, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


def test_schema_uses_only_json_schema_keywords(schema):
    assert _keywords(schema, set()) <= _KNOWN
