"""Generate synthetic aideps knowledge files in the real schema.

    python benchmarks/generate.py S -o benchmarks/data/S.yaml
    python benchmarks/generate.py M -o benchmarks/data/M.yaml
    python benchmarks/generate.py L -o benchmarks/data/L.yaml

Sizes (entities / relationships): S 1k / 10k, M 10k / 100k, L 100k / 1M.

The files are deterministic for a size (seeded), valid under `aideps
validate` (except for quotes, whose sources ship no text), and shaped like the
real ecosystem: a few hubs that many rely on (chip makers, clouds, big labs),
a long tail, every kind and status, partial dates, amounts with currencies,
facts, parents and aliases. Entity ids are stable: `hub-0` is the most
relied-on entity, `ent-<n>` the rest; every file has a `hub-0` so benchmarks
can query the same name on every size.

Written with plain string formatting, not yaml.dump, so that generating L
takes about a minute rather than most of an hour.
"""

from __future__ import annotations

import argparse
import random
import sys

SIZES = {"S": (1_000, 10_000), "M": (10_000, 100_000), "L": (100_000, 1_000_000)}

TYPES = ["company", "lab", "cloud", "chip", "model", "product", "platform", "software", "person", "group"]
TYPE_WEIGHTS = [30, 15, 4, 6, 12, 14, 5, 5, 6, 3]
KINDS = ["research", "distribution", "hardware", "investment", "cloud", "technology", "talent",
         "in_house", "negotiation", "rivalry"]
KIND_WEIGHTS = [14, 14, 14, 16, 12, 12, 4, 6, 4, 4]
STATUSES = ["active", "strained", "announced", "in_talks", "proposed", "developing", "planned",
            "speculative", "rejected", "ended"]
STATUS_WEIGHTS = [50, 10, 5, 6, 4, 8, 4, 5, 3, 5]
PREFIXES = ["Nova", "Quantum", "Helix", "Vector", "Cobalt", "Aurora", "Lumen", "Tensor", "Cortex",
            "Nimbus", "Atlas", "Vertex", "Photon", "Sigma", "Orbit", "Cinder", "Pioneer", "Granite",
            "Zephyr", "Beacon", "Mosaic", "Ember", "Prism", "Harbor", "Summit", "Falcon", "Onyx",
            "Meridian", "Kepler", "Polaris"]
SUFFIXES = {
    "company": ["Systems", "Technologies", "Corp", "Group", "Industries", "Networks"],
    "lab": ["AI", "Labs", "Research", "Intelligence"],
    "cloud": ["Cloud", "Compute", "Cloud Platform"],
    "chip": ["Accelerator", "TPU", "NPU", "Silicon"],
    "model": ["LM", "GPT", "Instruct", "Vision", "Coder"],
    "product": ["Assistant", "Copilot", "Search", "Glasses", "Studio"],
    "platform": ["OS", "Hub", "Platform"],
    "software": ["Runtime", "SDK", "Stack", "Compiler"],
    "person": [],
    "group": ["Investors", "Consortium", "Alliance"],
}
FIRST = ["Ada", "Ravi", "Mei", "Jonas", "Amara", "Luis", "Noor", "Kenji", "Elena", "Tariq", "Sofia", "Omar"]
LAST = ["Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Novak", "Reyes", "Iyer", "Kowalski", "Brandt"]
VERBS = {
    "research": "licenses models and research from",
    "distribution": "reaches its users through",
    "hardware": "buys its accelerators from",
    "investment": "raised money from",
    "cloud": "rents compute from",
    "technology": "builds on the software of",
    "talent": "hired a team from",
    "in_house": "builds its own replacement in",
    "negotiation": "is negotiating a deal with",
    "rivalry": "competes head-on with",
}
CURRENCIES = ["USD"] * 8 + ["EUR", "GBP"]


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date(rng: random.Random) -> str:
    year = rng.randint(2015, 2026)
    precision = rng.random()
    if precision < 0.3:
        return str(year)
    month = rng.randint(1, 12)
    if precision < 0.7:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def generate(size: str, out) -> None:
    n_entities, n_relationships = SIZES[size]
    rng = random.Random(f"aideps-{size}")
    n_sources = max(3, n_entities // 200)
    n_hubs = max(10, n_entities // 100)
    w = out.write

    w("# Synthetic aideps knowledge file (benchmarks/generate.py); not real data.\n")
    w("sources:\n")
    for i in range(n_sources):
        w(f"  - id: src-{i}\n    title: {yaml_str(f'Synthetic report {i}')}\n    date: {date(rng)}\n")

    names: list[str] = []
    seen: set[str] = set()
    w("\nentities:\n")
    for i in range(n_entities):
        eid = f"hub-{i}" if i < n_hubs else f"ent-{i}"
        etype = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        if etype == "person":
            base = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        else:
            base = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES[etype])}"
        name = base if base.lower() not in seen else f"{base} {i}"
        seen.add(name.lower())
        names.append(name)
        src = f"src-{rng.randrange(n_sources)}"
        w(f"  - id: {eid}\n    name: {yaml_str(name)}\n    type: {etype}\n")
        if i % 3 == 0:
            alias = f"{name.lower()} alias {i}"
            seen.add(alias)
            w(f"    aliases: [{yaml_str(alias)}]\n")
        w(f"    description: {yaml_str(f'A synthetic {etype} for benchmarks, number {i}.')}\n")
        if i >= n_hubs and rng.random() < 0.1:
            w(f"    parent: hub-{rng.randrange(n_hubs)}\n")
        if rng.random() < 0.2:
            w("    facts:\n")
            w(f"      - key: founded\n        value: {rng.randint(1970, 2024)}\n"
              f"        source: {src}\n        quote: {yaml_str(f'{name} was founded long ago.')}\n")
        w(f"    provenance:\n      - source: {src}\n        quote: {yaml_str(f'{name} is mentioned here.')}\n")

    def entity_index() -> int:
        # Skewed: a tenth of the edges point at a hub, hub-0 most of all.
        if rng.random() < 0.35:
            return min(int(rng.paretovariate(1.2)) - 1, n_hubs - 1)
        return rng.randrange(n_entities)

    def eid_of(i: int) -> str:
        return f"hub-{i}" if i < n_hubs else f"ent-{i}"

    w("\nrelationships:\n")
    for r in range(n_relationships):
        a = rng.randrange(n_entities)
        b = entity_index()
        if a == b:
            b = (b + 1) % n_entities
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        src = f"src-{rng.randrange(n_sources)}"
        summary = f"{names[a]} {VERBS[kind]} {names[b]}."
        w(f"  - id: rel-{r}\n    from: {eid_of(a)}\n    to: {eid_of(b)}\n    kind: {kind}\n"
          f"    status: {status}\n    summary: {yaml_str(summary)}\n")
        if rng.random() < 0.6:
            w(f"    start: {date(rng)}\n")
        if status == "ended":
            w("    end: 2026\n")
        if kind in ("investment", "cloud", "hardware") and rng.random() < 0.5:
            amount = rng.choice([5, 10, 25, 50, 100, 250, 500, 1000, 2000, 6600, 13000]) * 1_000_000
            w(f"    amounts:\n      - amount: {amount}\n        currency: {rng.choice(CURRENCIES)}\n"
              f"        source: {src}\n        quote: {yaml_str(f'The deal was worth {amount} dollars.')}\n")
        if kind == "in_house":
            w(f"    replaces: [{eid_of(entity_index())}]\n")
        w(f"    provenance:\n      - source: {src}\n        quote: {yaml_str(summary)}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.output:
        with open(args.output, "w", encoding="utf-8", buffering=1 << 20) as fh:
            generate(args.size, fh)
    else:
        generate(args.size, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
