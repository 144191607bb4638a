"""Generate synthetic aideps knowledge files in the real schema.

    python benchmarks/generate.py S -o benchmarks/data/S.yaml
    python benchmarks/generate.py M -o benchmarks/data/M.yaml
    python benchmarks/generate.py L -o benchmarks/data/L.yaml

Sizes (entities / relationships): S 1k / 10k, M 10k / 100k, L 100k / 1M
(S is about 3 MB, M 30 MB, L 300 MB).

The files are deterministic for a size (seeded) and valid under `aideps
validate` (quotes aside: their sources ship no text). They are shaped like
the real ecosystem: companies, labs, clouds, chips, models, products and
people with made-up but plausible names and id slugs, a few hubs that many
rely on (a chip maker, a cloud, a lab) with a heavy tail, every kind and
status, partial dates (2015-2026), amounts with currencies, facts with their
sources, parents, aliases, and a quote for every claim.

Next to the file, `<name>.json` names two entities for benchmarks: `hub`,
the most relied-on entity, and `typical`, one with the median number of
relationships.

Written with plain string formatting, not yaml.dump, so that generating L
takes about a minute rather than most of an hour.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

SIZES = {"S": (1_000, 10_000), "M": (10_000, 100_000), "L": (100_000, 1_000_000)}

TYPES = ["company", "lab", "cloud", "chip", "model", "product", "platform", "software", "person", "group"]
TYPE_WEIGHTS = [30, 15, 4, 6, 12, 14, 5, 5, 6, 3]
KINDS = ["research", "distribution", "hardware", "investment", "cloud", "technology", "talent",
         "in_house", "negotiation", "rivalry"]
KIND_WEIGHTS = [14, 14, 14, 16, 12, 12, 4, 6, 4, 4]
STATUSES = ["active", "strained", "announced", "in_talks", "proposed", "developing", "planned",
            "speculative", "rejected", "ended"]
STATUS_WEIGHTS = [50, 10, 5, 6, 4, 8, 4, 5, 3, 5]
# Brand names are made of two or three of these: Novatel, Lumaris, Kestrix ...
SYLLABLES = ["no", "va", "tel", "lu", "ma", "ris", "kes", "trix", "cor", "ta", "zen", "ith", "aer", "on",
             "qua", "sar", "vel", "ox", "pra", "xis", "hel", "io", "dyn", "ra", "syn", "the", "mo", "bi",
             "gra", "phi", "lyn", "ka", "tor", "ve", "sta", "mi", "nex", "ul", "or", "ca"]
SUFFIXES = {
    "company": ["Systems", "Technologies", "Corp", "Group", "Industries", "Networks", "Inc"],
    "lab": ["AI", "Labs", "Research", "Intelligence"],
    "cloud": ["Cloud", "Compute", "Cloud Platform"],
    "chip": ["Accelerator", "TPU", "NPU", "Silicon", "GPU"],
    "model": ["LM", "GPT", "Instruct", "Vision", "Coder", "Chat"],
    "product": ["Assistant", "Copilot", "Search", "Glasses", "Studio", "Phone"],
    "platform": ["OS", "Hub", "Platform", "Store"],
    "software": ["Runtime", "SDK", "Stack", "Compiler"],
    "group": ["Investors", "Consortium", "Alliance", "Partners"],
}
FIRST = ["Ada", "Ravi", "Mei", "Jonas", "Amara", "Luis", "Noor", "Kenji", "Elena", "Tariq", "Sofia", "Omar",
         "Priya", "Dmitri", "Chloe", "Kwame", "Ines", "Hiro", "Leila", "Marek"]
LAST = ["Okafor", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Novak", "Reyes", "Iyer", "Kowalski", "Brandt",
        "Sato", "Mensah", "Costa", "Weber", "Cho", "Nair"]
VERBS = {
    "research": "licenses models and research from",
    "distribution": "reaches its users through",
    "hardware": "buys its accelerators from",
    "investment": "raised money from",
    "cloud": "rents compute from",
    "technology": "builds on the software of",
    "talent": "hired a team from",
    "in_house": "is building its own replacement in",
    "negotiation": "is negotiating a deal with",
    "rivalry": "competes head-on with",
}
QUOTES = {
    "research": "{a} said it would license {b}'s newest models for its products.",
    "distribution": "{a} now reaches most of its customers through {b}.",
    "hardware": "{a} has ordered tens of thousands of chips from {b}.",
    "investment": "{b} led the round, putting {amount} into {a}.",
    "cloud": "{a} runs its training jobs on {b}'s data centers.",
    "technology": "{a} builds its assistant on top of {b}'s software.",
    "talent": "{a} hired most of {b}'s research team.",
    "in_house": "{a} is developing {b} to cut its dependence on outside suppliers.",
    "negotiation": "{a} is in talks with {b} about a broader deal.",
    "rivalry": "{a} and {b} are now competing for the same customers.",
}
FACTS = [("founded", lambda rng: rng.randint(1970, 2024), "{n} was founded in {v}."),
         ("employees", lambda rng: f"{rng.choice([11, 51, 201, 501, 1001])}-{rng.choice([50, 200, 500, 1000, 5000])}",
          "{n} employs {v} people."),
         ("headquarters", lambda rng: rng.choice(["San Francisco, California", "London, United Kingdom", "Paris, France",
                                                  "Toronto, Canada", "Bangalore, India", "Seoul, South Korea"]),
          "{n} is based in {v}.")]
CURRENCIES = ["USD"] * 8 + ["EUR", "GBP"]
OUTLETS = ["The Information", "Financial Times", "Bloomberg", "Reuters", "The Verge", "TechCrunch", "Wired"]
TOPICS = ["cloud deals", "the chip race", "AI funding", "model licensing", "in-house silicon", "talent wars"]


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def date(rng: random.Random) -> str:
    year = rng.randint(2015, 2026)
    precision = rng.random()
    if precision < 0.3:
        return str(year)
    month = rng.randint(1, 12)
    if precision < 0.7:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def money(amount: int) -> str:
    return f"${amount / 1e9:g} billion" if amount >= 1e9 else f"${amount / 1e6:g} million"


def brand(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice([2, 2, 3])))
    return word.capitalize()


def status_fields(status: str) -> str:
    """Format 1's status said in format 2's stage, health and certainty (as `aideps migrate` does)."""
    from aideps.knowledge.vocab import FORMAT1_STATUS

    stage, health, certainty = FORMAT1_STATUS[status]
    lines = [f"    stage: {stage}\n"] if stage else []
    if health:
        lines.append(f"    health: {health}\n")
    if certainty != "stated":
        lines.append(f"    certainty: {certainty}\n")
    return "".join(lines)


def generate(size: str, out) -> dict:
    n_entities, n_relationships = SIZES[size]
    rng = random.Random(f"aideps-{size}")
    n_sources = max(3, n_entities // 200)
    n_hubs = max(10, n_entities // 100)
    w = out.write

    w("# Synthetic aideps knowledge file (benchmarks/generate.py); not real data.\n")
    w("format: 2\n")
    w("sources:\n")
    for i in range(n_sources):
        w(f"  - id: src-{i}\n    title: {yaml_str(f'{rng.choice(OUTLETS)} on {rng.choice(TOPICS)}, part {i}')}\n"
          f"    date: {date(rng)}\n")

    names: list[str] = []
    ids: list[str] = []
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    w("\nentities:\n")
    for i in range(n_entities):
        etype = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        if i == 0:
            etype = "chip"  # the most relied-on entity: a chip maker's chips, as in the real ecosystem
        if etype == "person":
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        else:
            name = f"{brand(rng)} {rng.choice(SUFFIXES[etype])}"
        while name.casefold() in seen_names:
            name = f"{name} {rng.randint(2, 99)}"
        seen_names.add(name.casefold())
        eid = slug(name)
        while eid in seen_ids:
            eid = f"{eid}-{rng.randint(2, 999)}"
        seen_ids.add(eid)
        names.append(name)
        ids.append(eid)
        src = f"src-{rng.randrange(n_sources)}"
        w(f"  - id: {eid}\n    name: {yaml_str(name)}\n    type: {etype}\n")
        alias = f"{name.split()[0].lower()} {etype} {i}"
        if i % 3 == 0 and etype != "person" and alias not in seen_names:
            seen_names.add(alias)
            w(f"    aliases: [{yaml_str(alias)}]\n")
        w(f"    description: {yaml_str(f'A {etype} in the synthetic ecosystem, number {i}.')}\n")
        if i >= n_hubs and rng.random() < 0.1:
            w(f"    parents: [{ids[rng.randrange(n_hubs)]}]\n")
        if etype in ("company", "lab") and rng.random() < 0.2:
            key, value, quote = rng.choice(FACTS)
            v = value(rng)
            shown = v if isinstance(v, int) else yaml_str(v)
            w(f"    facts:\n      - key: {key}\n        value: {shown}\n"
              f"        source: {src}\n        quote: {yaml_str(quote.format(n=name, v=v))}\n")
        w(f"    provenance:\n      - source: {src}\n        quote: {yaml_str(f'{name} is one of the companies we follow.')}\n")

    degree = [0] * n_entities

    def relied_on() -> int:
        # A tenth of the relationships go to a hub, the first hubs most (Zipf).
        if rng.random() < 0.1:
            return min(int(rng.paretovariate(1.0)) - 1, n_hubs - 1)
        return rng.randrange(n_entities)

    w("\nrelationships:\n")
    for r in range(n_relationships):
        a = rng.randrange(n_entities)
        b = relied_on()
        if a == b:
            b = (b + 1) % n_entities
        degree[a] += 1
        degree[b] += 1
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        src = f"src-{rng.randrange(n_sources)}"
        w(f"  - id: r{r}\n    from: {ids[a]}\n    to: {ids[b]}\n    kind: {kind}\n{status_fields(status)}"
          f"    summary: {yaml_str(f'{names[a]} {VERBS[kind]} {names[b]}.')}\n")
        if rng.random() < 0.6:
            w(f"    start: {date(rng)}\n")
        if status == "ended":
            w("    end: 2026\n")
        amount = 0
        if kind in ("investment", "cloud", "hardware") and rng.random() < 0.4:
            amount = rng.choice([5, 10, 25, 50, 100, 250, 500, 1000, 2000, 6600, 13000]) * 1_000_000
            w(f"    amounts:\n      - amount: {amount}\n        currency: {rng.choice(CURRENCIES)}\n"
              f"        source: {src}\n        quote: {yaml_str(f'The deal is worth {money(amount)}.')}\n")
        if kind == "in_house":
            w(f"    replaces: [{ids[relied_on()]}]\n")
        quote = QUOTES[kind].format(a=names[a], b=names[b], amount=money(amount or 50_000_000))
        w(f"    provenance:\n      - source: {src}\n        quote: {yaml_str(quote)}\n")

    ranked = sorted(range(n_entities), key=lambda i: degree[i])
    return {"hub": ids[max(range(n_entities), key=lambda i: degree[i])], "typical": ids[ranked[n_entities // 2]]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.output:
        with open(args.output, "w", encoding="utf-8", buffering=1 << 20) as fh:
            names = generate(args.size, fh)
        Path(args.output).with_suffix(".json").write_text(json.dumps(names) + "\n", encoding="utf-8")
    else:
        names = generate(args.size, sys.stdout)
    print(f"hub: {names['hub']}, typical: {names['typical']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
