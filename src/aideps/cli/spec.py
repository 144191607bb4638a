"""The one declaration of aideps's command line: every command, its
arguments and options, its help and examples.

Everything else is derived from this module: the Typer app (cli/typer_app.py)
builds its commands from it, the start-up fast path (cli/fast.py) parses a
plain command line by it without importing Typer, and shell completion knows
from it which word is an entity name. A shared option (`--json`, `--csv`,
`--data`, `--no-color`, `--as-of`, `--kind`, `--depth`, ...) is declared once
here and named by each command that takes it. Global options are accepted
before and after the command; after the command wins.

Nothing here imports Typer, Rich or the data: this module is on the path of
every run.
"""

from __future__ import annotations

from aideps.cli.options import (  # noqa: F401 (the declaration is read as spec.X)
    SORTS,
    EXPORT_FORMATS,
    Opt,
    Arg,
    Command,
    JSON,
    CSV,
    CSV_RAW,
    DATA,
    LENIENT,
    NO_COLOR,
    AS_OF,
    ENTITY,
    STAGE,
    HEALTH,
    CERTAINTY,
    STATUS,
    FILTERS,
    STANDING_FILTERS,
    KIND,
    ANY_KIND,
    DEPTH,
    SORT,
    NO_PARTS,
    NO_PAGER,
    WHERE,
    VERSION,
    GLOBAL,
    NAME,
    OPTIONAL_NAME,
    TABLE,
)
from aideps.knowledge import vocab


# ---- the commands ------------------------------------------------------------------

_PARTNERSHIP_HELP = {
    "research": "Who relies on whom for research, models or innovation.",
    "distribution": "Who relies on whom to reach users, developers or customers.",
    "hardware": "Who relies on whom for chips; then the in-house chips meant to replace a supplier.",
}
_PARTNERSHIP_EXAMPLES = {
    "research": ("aideps research", "aideps research --entity microsoft --sort date"),
    "distribution": ("aideps distribution", "aideps distribution --stage active --json | jq '.relationships[].to.name'"),
    "hardware": ("aideps hardware", "aideps hardware --entity nvidia --csv"),
}

COMMANDS: tuple[Command, ...] = (
    Command(
        "show",
        "show",
        "What NAME is, its facts, and every relationship it has, with sources.",
        args=(NAME,),
        options=(
            Opt("quotes", ("--quotes", "-q"), "Print each source's sentence, verbatim.", kind="flag", default=False),
            Opt(
                "brief",
                ("--brief", "-b"),
                "One screen: what NAME is, then whom it relies on and who relies on it, one line per kind.",
                kind="flag",
                default=False,
            ),
            ANY_KIND.with_help(f"Only relationships of this kind; repeat for several. One of: {', '.join(vocab.KINDS)}."),
            NO_PARTS,
            AS_OF,
            *TABLE,
        ),
        examples=(
            "aideps show openai",
            "aideps show microsoft --brief",
            "aideps show nvidia --kind hardware --quotes",
            "aideps show microsoft --json | jq .relationships",
        ),
    ),
    *(
        Command(
            kind,
            "partnership",
            _PARTNERSHIP_HELP[kind],
            options=(ENTITY, *FILTERS, SORT, NO_PARTS, AS_OF, *TABLE),
            examples=_PARTNERSHIP_EXAMPLES[kind],
            fixed={"kind": kind},
        )
        for kind in vocab.PARTNERSHIP_KINDS
    ),
    Command(
        "tree",
        "tree",
        "The tree of what NAME relies on (rivalry is not followed).",
        "(*) marks an entity whose subtree is already shown above; (cycle) one that\n"
        "leads back to an entity above it; … a subtree cut by --depth.",
        args=(NAME,),
        options=(
            Opt("reverse", ("--reverse", "-r"), "Who relies on NAME, instead of what NAME relies on.", kind="flag", default=False),
            DEPTH,
            KIND,
            *FILTERS,
            WHERE.with_help(
                "Follow only to entities meeting KEY=VALUE (a fact: license, access, size...; or id, name, type, parent); "
                "also !=, ~ (contains), >, >=, <, <= for numbers. Repeat: all must hold."
            ),
            NO_PARTS,
            AS_OF,
            *TABLE,
        ),
        examples=("aideps tree openai", "aideps tree nvidia --reverse --depth 2", "aideps tree anthropic --kind cloud --json"),
    ),
    Command(
        "list",
        "entity_list",
        "Every entity, one line each: id, name, type, how many relationships.",
        options=(
            Opt("long", ("--long", "-l"), "Also aliases and description.", kind="flag", default=False),
            Opt(
                "type_",
                ("--type", "-t"),
                f"Only entities of this type; repeat for several. One of: {', '.join(vocab.ENTITY_TYPES)}.",
                kind="multi",
                type="choice",
                choices=vocab.ENTITY_TYPES,
                metavar="TYPE",
            ),
            WHERE,
            *TABLE,
        ),
        examples=(
            "aideps list",
            "aideps list --long --type chip --type cloud",
            "aideps list --csv > entities.csv",
            "aideps list --where access=open --where license~mit --type model",
        ),
    ),
    Command(
        "search",
        "search",
        "Find TEXT in names, aliases, descriptions, summaries, facts and quotes.",
        "The best 100 matches by default (names first, then descriptions, summaries, facts, quotes), and how "
        "many more there are.\nExit 1 when nothing matches.",
        args=(Arg("text", "TEXT...", "Words that must all occur (any case).", variadic=True),),
        options=(
            Opt(
                "limit",
                ("--limit",),
                "Print at most this many matches, the best first; 0 for all.",
                type="int",
                min=0,
                default=100,
            ),
            *TABLE,
        ),
        examples=("aideps search trainium", "aideps search exclusive cloud --json", "aideps search cloud --limit 0 --csv"),
    ),
    Command(
        "sources",
        "sources",
        "The articles the knowledge comes from, and how much each supports.",
        options=TABLE,
        examples=("aideps sources", "aideps sources --json | jq '.sources[].title'"),
    ),
    Command(
        "validate",
        "validate",
        "Check a knowledge file: each problem as file:line:column: message.",
        "Exit 0 when there are no errors (notes are fine), 1 otherwise.",
        args=(
            Arg(
                "file",
                "[FILE]",
                "Knowledge file to check (default: --data, $AIDEPS_DATA, else the bundled one).",
                type="path",
                required=False,
            ),
        ),
        options=(
            Opt(
                "sources_dir",
                ("--sources-dir",),
                "The folder that holds the sources' texts, to check quotes (default: the knowledge file's folder).",
                type="dir",
                metavar="DIR",
                envvar="AIDEPS_SOURCES_DIR",
            ),
            Opt("no_quotes", ("--no-quotes",), "Do not check quotes against the sources' texts.", kind="flag", default=False),
            JSON,
        ),
        examples=("aideps validate", "aideps validate mine.yaml --sources-dir texts/", "aideps validate big.yaml --no-quotes --json"),
    ),
    Command(
        "migrate",
        "migrate",
        "Convert a format-1 knowledge file to format 2, keeping a backup.",
        "Splits each relationship's status into stage, health and certainty and\n"
        "makes parent a list (docs/format.md); nothing else changes, comments\n"
        "included. The result is checked before it is written (atomically); the\n"
        "old file is kept as FILE.format1. A file already in format 2 is left alone.",
        args=(Arg("file", "FILE", "The format-1 knowledge file.", type="path"),),
        options=(
            Opt(
                "output",
                ("--output", "-o"),
                "Write the format-2 file to OUT instead, or to stdout with '-' (FILE is left as it is; no backup).",
                type="path",
                metavar="OUT",
            ),
            Opt("check", ("--check",), "Write nothing; exit 1 if FILE needs migrating.", kind="flag", default=False),
            Opt(
                "force",
                ("--force",),
                "Replace the file even when it is a symbolic link or a read-only file.",
                kind="flag",
                default=False,
            ),
        ),
        examples=("aideps migrate mine.yaml", "aideps migrate mine.yaml -o mine-v2.yaml", "aideps migrate mine.yaml --check"),
    ),
    Command(
        "timeline",
        "timeline",
        "Dated events in order, with sources; then the undated relationships.",
        "Events: a relationship began, changed status, ended, or (with neither start\n"
        "nor history) was first reported; and dated events of the file.",
        args=(OPTIONAL_NAME,),
        options=TABLE,
        examples=("aideps timeline", "aideps timeline openai", "aideps timeline --csv > timeline.csv"),
    ),
    Command(
        "diff",
        "diff",
        "What began, was first reported, changed status or ended between FROM and TO.",
        "Compares the ecosystem at the end of FROM with the ecosystem at the end of\n"
        "TO (dates: YYYY, YYYY-MM or YYYY-MM-DD; see docs/time.md).",
        args=(
            Arg("earlier", "FROM", "The earlier date: YYYY, YYYY-MM or YYYY-MM-DD.", type="date"),
            Arg("later", "TO", "The later date, in the same forms.", type="date"),
        ),
        options=(ENTITY, *TABLE),
        examples=("aideps diff 2023 2024-11", "aideps diff 2023-03 2024-12 --entity openai --json"),
    ),
    Command(
        "why",
        "why",
        "Every dependency path from A to B, shortest first, each hop with kind and status.",
        "Paths may end at a part of B (Anthropic relies on CUDA, part of NVIDIA).\nExit 1 when there is none.",
        args=(
            Arg("source", "A", "The entity that relies (id, name or alias).", type="name"),
            Arg("target", "B", "The entity relied on.", type="name"),
        ),
        options=(
            DEPTH.with_help("Paths of at most this many hops.", default=4, min=1),
            KIND,
            *STANDING_FILTERS,
            Opt(
                "limit",
                ("--limit",),
                "Print at most this many paths, shortest first; 0 for all (refused above 10,000 paths: see --all-paths).",
                type="int",
                min=0,
                default=100,
            ),
            NO_PARTS,
            AS_OF,
            *TABLE,
            Opt(
                "all_paths",
                ("--all-paths",),
                "With --limit 0: list every path even above 10,000 (the search still stops at 100,000 paths or "
                "2,000,000 edges looked at, and says so).",
                kind="flag",
                default=False,
            ),
        ),
        examples=("aideps why microsoft nvidia", "aideps why anthropic google --kind cloud", "aideps why openai nvidia --json"),
    ),
    Command(
        "impact",
        "impact",
        "Who is exposed if NAME stumbles: all that relies on it, directly or not.",
        "Grouped by depth and kind, with counts; relying on a part of NAME counts.",
        args=(NAME,),
        options=(DEPTH.with_help("Look at most this many hops away.", min=1), KIND, *STANDING_FILTERS, NO_PARTS, AS_OF, *TABLE),
        examples=("aideps impact nvidia", "aideps impact openai --depth 1", "aideps impact microsoft --as-of 2023"),
    ),
    Command(
        "stats",
        "stats",
        "Concentration: most relied-on providers, single points of failure, hedges.",
        options=(
            STAGE.with_help("Count relationships at this stage; repeat for several (default: active, and those with no stage given, unless speculation)."),
            HEALTH,
            CERTAINTY,
            STATUS,
            Opt("top", ("--top",), "Most relied-on providers to list per kind.", type="int", min=1, default=3),
            NO_PARTS.with_help("Count each provider on its own, not with its parts (Azure apart from Microsoft)."),
            AS_OF,
            JSON,
        ),
        examples=("aideps stats", "aideps stats --top 5 --as-of 2023", "aideps stats --json | jq .single_points"),
    ),
    Command(
        "conflicts",
        "conflicts",
        "Claims that disagree across sources, side by side with each source.",
        "Two figures for one investment, or two values of one fact, each with its\nsource, date and sentence.",
        args=(OPTIONAL_NAME,),
        options=TABLE,
        examples=("aideps conflicts", "aideps conflicts openai --json"),
    ),
    Command(
        "export",
        "export",
        "The graph as DOT, Mermaid, GraphML, JSON or CSV, or drawn as SVG/PNG/PDF by Graphviz.",
        "Edges are coloured by kind and drawn by status, with a key; the whole\n"
        "graph is shaped for a 16:9 slide. Without --output, text goes to stdout;\n"
        "an image goes to stdout only when it is not a terminal. -o FILE's\n"
        "extension names the format (.svg, .png, .pdf, .dot, .mmd, .graphml, ...).",
        args=(
            Arg("name", "[NAME]", "Only NAME's neighbourhood: the entities within --depth hops of it.", type="name", required=False),
        ),
        options=(
            Opt(
                "form",
                ("--format", "-f"),
                "dot, mermaid, graphml, json, csv, svg, png or pdf (default: from --output's extension, else dot); "
                "neo4j: nodes.csv and relationships.csv in the folder -o DIR, for neo4j-admin database import.",
                type="choice",
                choices=EXPORT_FORMATS,
                metavar="FORMAT",
            ),
            Opt(
                "output",
                ("--output", "-o"),
                "Write to FILE (atomically) instead of stdout ('-': stdout); with --format neo4j, into the folder FILE. "
                "Never the knowledge file being read.",
                type="path",
                metavar="FILE",
            ),
            Opt(
                "force",
                ("--force",),
                "Replace --output even when it is a symbolic link or a read-only file.",
                kind="flag",
                default=False,
            ),
            DEPTH.with_help("With NAME: hops around it (default 1)."),
            ANY_KIND,
            *FILTERS,
            Opt(
                "dependencies",
                ("--dependencies",),
                "Dependencies only: no rivalry, no entity without a relationship.",
                kind="flag",
                default=False,
            ),
            Opt(
                "labels",
                ("--labels",),
                "Label DOT edges with kind and status (default: when there are at most 40 edges).",
                kind="flag",
                negative="--no-labels",
            ),
            Opt("title", ("--title",), "A title on the picture.", metavar="TEXT"),
            NO_PARTS.with_help("With NAME: only NAME's own neighbourhood, not its parts'."),
            AS_OF,
            JSON.with_help("Same as --format json."),
            CSV.with_help("Same as --format csv."),
            CSV_RAW.with_help("With CSV: every cell exactly as it is, formulas not neutralised."),
        ),
        examples=(
            "aideps export -o ecosystem.svg",
            "aideps export nvidia --depth 2 -o nvidia.pdf",
            "aideps export nvidia --depth 2 --format mermaid",
        ),
    ),
    Command(
        "import",
        "import_catalogue",
        "Turn another map of the ecosystem into a knowledge file, and report the mess it holds.",
        "SOURCE is the kind of map: ecosystem-graphs (Stanford CRFM's Ecosystem Graphs;\n"
        "DIR is a checkout, or its assets folder). Organizations and assets become\n"
        "entities, each card a source, each dependency a built-on relationship citing\n"
        "the card's field; names no card has become 'unknown' placeholders. The\n"
        "report (counts with examples) goes to stderr, or to --report FILE as JSON.",
        args=(
            Arg("source", "SOURCE", "The kind of map: ecosystem-graphs."),
            Arg("folder", "DIR", "The checkout to read (its assets/*.yaml).", type="dir"),
        ),
        options=(
            Opt(
                "output",
                ("--output", "-o"),
                "Write the knowledge file to FILE (atomically) instead of stdout; never over the input, "
                "nor over an existing file without --force.",
                type="path",
                metavar="FILE",
            ),
            Opt("force", ("--force",), "Replace --output when it exists.", kind="flag", default=False),
            Opt("report", ("--report",), "Write the report to FILE as JSON instead of stderr (shape: docs/json.md).", type="path", metavar="FILE"),
        ),
        examples=(
            "aideps import ecosystem-graphs ecosystem-graphs/ -o eg.yaml",
            "aideps import ecosystem-graphs ecosystem-graphs/ -o eg.yaml --report mess.json",
            "aideps import ecosystem-graphs ecosystem-graphs/assets -o eg.yaml --force",
        ),
    ),
    Command(
        "cache",
        "cache",
        "The index cache: 'info' says where it is and what it holds; 'clean' empties it.",
        "The cache keeps one index per knowledge-file content (at most 16 indexes and 1 GiB: the least recently\n"
        "used go first; indexes of deleted or renamed files go at the next build). 'clean' removes only\n"
        "what aideps puts there, never following a link. $AIDEPS_CACHE_DIR sets where it is.",
        args=(Arg("action", "ACTION", "info or clean."),),
        options=(JSON.with_help("With info: print a JSON document instead (shapes: docs/json.md)."),),
        examples=("aideps cache info", "aideps cache info --json", "aideps cache clean"),
    ),
)

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}

APP_HELP = (
    "Who depends on whom in AI, for what, since when, and says who.\n\n"
    "Every relationship reads 'FROM relies on TO for KIND' and carries the "
    "sentence of the article it comes from."
)


def options_of(command: Command) -> tuple[Opt, ...]:
    """The command's own options, then the global ones it also accepts."""
    own = {opt.dest for opt in command.options}
    return command.options + tuple(opt for opt in GLOBAL if opt.dest not in own)
