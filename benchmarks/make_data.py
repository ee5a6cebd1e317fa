"""Synthetic but realistic benchmark inputs at three scales, with a template beside each.

    .venv/bin/python benchmarks/make_data.py [small] [medium5] [medium] [large] [--force]

==========  ==========  ========  ===============================================
scale       rows        partners  folder
==========  ==========  ========  ===============================================
small        1,000       5        benchmarks/data/small/{inputs/,template.toml}
medium5     10,000       5        benchmarks/data/medium5/…
medium      10,000      25        benchmarks/data/medium/…
large      100,000     200        benchmarks/data/large/…
==========  ==========  ========  ===============================================

Every scale has the 6 areas of the default template and 8 quarters (2024-25 Q1 to
2025-26 Q4). Each activity is followed through the quarters: it starts (most at
the start of a strategy year, some in between), moves between statuses the way
trackers do (Not started -> Green, Green slipping to Amber, Amber recovering or
turning Red, Complete once its progress reaches 100), gains progress and spend at
its own pace towards its due date, and completed work is mostly cleared from the
tracker when the new strategy year starts. Red and Amber rows carry commentary
(about 1 in 40 does not, a warning as in real trackers); each partner has three
metrics. Row counts are exact.

The partners are split over four regional trackers, each written the way staff
keep them (see scripts/make_sample_inputs.py for the shipped samples):

- ``europe-tracker.xlsx``: title rows above the header, staff headings, progress
  as percentage cells, Excel dates, £ formats; a Metrics sheet and a Lookups
  sheet that is not a table;
- ``americas-tracker.xlsx``: header in row 1, short names, area aliases, status
  synonyms, mixed period spellings, progress 0-100, ISO dates typed as text;
- ``asia-pacific-tracker.xlsx``: one sheet per strategy year;
- ``africa-tracker.csv`` (UTF-8 with the BOM Excel writes): UK dates, "£1,200",
  "45%"; and ``africa-metrics.csv`` (Windows-1252).

Workbooks are written with XlsxWriter in constant_memory mode (fast; strings are
stored inline rather than in a shared-string table). The output is deterministic:
a fixed seed per scale and fixed document dates. ``manifest.json`` records the
generator's hash, so :func:`ensure` rewrites data made by an older generator.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
DEFAULT_TEMPLATE = ROOT / "boardpack" / "templates" / "board_report.toml"
SEED = 20240801
STAMP = dt.datetime(2026, 7, 31, 17, 0, 0)


@dataclass(frozen=True)
class Scale:
    name: str
    rows: int
    partners: int


SCALES = {
    s.name: s
    for s in (
        Scale("small", 1_000, 5),
        Scale("medium5", 10_000, 5),  # few partners, many activities each: long partner sections
        Scale("medium", 10_000, 25),
        Scale("large", 100_000, 200),
    )
}
PERIODS = tuple((2024 + i // 4, i % 4 + 1) for i in range(8))  # (strategy year start, quarter)
AREAS = (
    ("Education policy", "Policy"),
    ("Capacity building", "Capacity"),
    ("Sustainability", "Climate"),
    ("Social justice", "EDI"),
    ("Student voice", "Representation"),
    ("International literacy", "Global citizenship"),
)  # (registry name, a registry alias)
STATUS_CHANGES = {  # next status -> weight, before progress decides on Complete
    "Not started": {"Not started": 40, "Green": 50, "Amber": 8, "Red": 2},
    "Green": {"Green": 80, "Amber": 16, "Red": 4},
    "Amber": {"Green": 45, "Amber": 38, "Red": 17},
    "Red": {"Red": 45, "Amber": 40, "Green": 15},
}
PACE = {"Not started": (0, 0), "Green": (0.8, 1.3), "Amber": (0.2, 0.6), "Red": (0.0, 0.3)}
SYNONYMS = {
    "Green": ("On track", "G", "Green"),
    "Amber": ("At risk", "Amber", "A"),
    "Red": ("Red", "Off track"),
    "Complete": ("Done", "Complete", "Blue"),
    "Not started": ("Not started", "Grey"),
}
VERBS = (
    "Joint campaign on",
    "Officer exchange on",
    "Policy paper on",
    "Training programme on",
    "Student survey on",
    "Online event series on",
    "Shared toolkit on",
    "Study visit on",
    "Conference session on",
    "Peer mentoring scheme on",
    "Webinar series on",
    "Funding bid for work on",
)
TOPICS = (
    "student housing",
    "the cost of living",
    "mobility and Erasmus+",
    "climate action on campus",
    "anti-racism",
    "refugee students' access",
    "mental health support",
    "course representation",
    "recognition of qualifications",
    "international student belonging",
    "sustainable travel",
    "digital learning",
    "volunteering abroad",
    "student media",
    "democracy and elections",
    "disability access",
    "widening participation",
    "graduate visas",
    "decolonising the curriculum",
    "food insecurity",
)
LEADS = (
    "President",
    "VP Education",
    "VP Welfare",
    "International Officer",
    "Sustainability Officer",
    "Policy & Research Manager",
    "Partnerships Manager",
    "EDI Coordinator",
    "José Ferreira (International Rep)",
    "Llŷr Gruffudd (Welsh Language Officer)",
    "Chief Executive",
    "Academic Representation Coordinator",
)
PROBLEMS = (
    "The partner's elections have delayed sign-off until {month}",
    "Visa appointments for two delegates are not until {month}",
    "The partner has not yet confirmed its share of the funding",
    "The lead officer left in {month} and a replacement is being recruited",
    "Venue costs came in {n}% over budget",
    "The data-sharing agreement is still with our legal advisers",
    "Only {n}% of the expected responses have come in so far",
    "The partner's staff are on strike until {month}",
)
ACTIONS = (
    "An alternate has been briefed.",
    "We have asked the partner for a revised timetable.",
    "The VP will raise it at the next partner call on {day} {month}.",
    "A revised plan goes to the International Committee in {month}.",
    "Finance is reviewing the budget line.",
    "We will report back to the board in {month}.",
)
UPDATES = (
    "On track: {n} students involved so far.",
    "Planning meeting held in {month}; next steps agreed.",
    "Materials drafted with the partner's officers.",
    "Dates fixed for {month}; {n} places offered.",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CITIES = (
    ("Lisbon", "Portugal"),
    ("Kraków", "Poland"),
    ("Accra", "Ghana"),
    ("Nairobi", "Kenya"),
    ("Lima", "Peru"),
    ("Toronto", "Canada"),
    ("Kuala Lumpur", "Malaysia"),
    ("Melbourne", "Australia"),
    ("Tartu", "Estonia"),
    ("Montréal", "Canada"),
    ("Bogotá", "Colombia"),
    ("Pune", "India"),
    ("Cape Town", "South Africa"),
    ("Aarhus", "Denmark"),
    ("Ghent", "Belgium"),
    ("Chiang Mai", "Thailand"),
)
FILES = ("europe-tracker.xlsx", "americas-tracker.xlsx", "asia-pacific-tracker.xlsx", "africa-tracker.csv")


def partner(i: int) -> dict:
    """Registry entry of partner number ``i`` (1-based)."""
    city, country = CITIES[(i * 7) % len(CITIES)]
    return {
        "name": f"Partner {i:03d} Students' Union",
        "short_name": f"P{i:03d}",
        "aliases": [f"Partner {i:03d} SU", f"Partner {i:03d} Students Union"],
        "description": f"A students' union in {city}, {country}, and a partner since {2012 + i % 12}. "
        f"Together we work on student mobility, representation and campaigns that matter to "
        f"students in both countries, and share practice between our officers and staff.",
    }


def period_label(index: int) -> str:
    year, quarter = PERIODS[index]
    return f"{year}-{(year + 1) % 100:02d} Q{quarter}"


def month_end(year: int, month: int) -> dt.date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _commentary(rng: random.Random, status: str, completed_now: bool) -> str:
    words = {"month": rng.choice(MONTHS), "n": rng.randint(12, 90), "day": rng.randint(1, 28)}
    if status in ("Red", "Amber"):
        return "" if rng.random() < 0.025 else f"{rng.choice(PROBLEMS)}. {rng.choice(ACTIONS)}".format(**words)
    if status == "Complete":
        return f"Completed in {words['month']} with {words['n'] * 3} participants." if completed_now else ""
    chance = 0.3 if status == "Green" else 0.15
    return rng.choice(UPDATES).format(**words) if rng.random() < chance else ""


def activities(rng: random.Random, partner_index: int, quota: int) -> list[dict]:
    """Rows of one partner's activities, exactly ``quota`` of them, each followed over its quarters."""
    texts = [f"{v} {t}" for v in VERBS for t in TOPICS]
    rng.shuffle(texts)
    rows: list[dict] = []
    number = 0
    while len(rows) < quota:
        text = texts[number % len(texts)] + ("" if number < len(texts) else f" (phase {number // len(texts) + 1})")
        number += 1
        roll = rng.random()
        start = 0 if roll < 0.6 else 4 if roll < 0.8 else rng.randint(1, 7)
        year, quarter = PERIODS[start]
        quarters_to_due = rng.randint(2, 8)
        due = month_end(year, 8 + (quarter - 1) * 3 + 3 * quarters_to_due - 1)
        pace = 100 / quarters_to_due
        budget = rng.choice((250, 500, 750, 1000, 1500, 2000, 3000, 5000, 8000, 12000)) if rng.random() < 0.55 else None
        area = rng.randrange(len(AREAS))
        lead = rng.choice(LEADS)
        status = rng.choices(("Not started", "Green", "Amber", "Red"), (30, 55, 12, 3))[0]
        progress, spend = (0.0 if status == "Not started" else rng.uniform(5, 25)), 0.0
        for t in range(start, len(PERIODS)):
            completed_now = False
            if t > start and status != "Complete":
                changes = STATUS_CHANGES[status]
                status = rng.choices(list(changes), list(changes.values()))[0]
                low, high = PACE[status]
                progress += pace * rng.uniform(low, high)
                if progress >= 100 or (progress >= 90 and status == "Green" and rng.random() < 0.5):
                    status, progress, completed_now = "Complete", 100.0, True
                progress = min(progress, 100.0 if status == "Complete" else 95.0)
            if budget is not None:
                share = rng.uniform(0.85, 1.15) if status == "Complete" else progress / 100 * rng.uniform(0.7, 1.1)
                spend = max(spend, round(budget * share, rng.choice((0, 2))))
            rows.append(
                {
                    "partner": partner_index,
                    "area": area,
                    "activity": text,
                    "period": t,
                    "status": status,
                    "progress": None if rng.random() < 0.05 else round(progress),
                    "due": due,
                    "lead": lead,
                    "commentary": _commentary(rng, status, completed_now),
                    "budget": budget,
                    "spend": spend if budget is not None else None,
                }
            )
            if len(rows) == quota:
                break
            # Completed work is mostly cleared from the tracker when the new strategy year starts,
            # and now and then an activity is dropped altogether.
            if (t == 3 and status == "Complete" and rng.random() < 0.8) or rng.random() < 0.01:
                break
    return rows


def metrics(rng: random.Random, partner_index: int) -> list[dict]:
    """Three measures a quarter, each with a target and a drifting actual."""
    measures = rng.sample(
        [
            ("Students reached", "number", 400),
            ("Officers trained", "number", 12),
            ("Satisfaction %", "%", 80),
            ("External funding secured", "£", None),
        ],
        3,
    )
    rows = []
    for metric, unit, target in measures:
        area = rng.choice(("", *(name for name, _ in AREAS)))
        level = rng.uniform(0.5, 1.1)
        for t in range(len(PERIODS)):
            level = max(0.1, level + rng.uniform(-0.15, 0.2))
            actual = round((target or 5000) * level, 0 if unit != "%" else 1)
            rows.append(
                {
                    "partner": partner_index,
                    "area": area,
                    "metric": metric,
                    "period": t,
                    "target": target,
                    "actual": min(actual, 100) if unit == "%" else actual,
                    "unit": unit,
                }
            )
    return rows


# --- writers, one per regional tracker -----------------------------------------------------

STAFF_HEADINGS = [
    "Partner Organisation",
    "Strategic Area",
    "Objective",
    "Reporting Period",
    "RAG Status",
    "% Complete",
    "Deadline",
    "Lead Officer",
    "Progress Update",
    "Budget (£)",
    "Actual Spend",
]
PLAIN_HEADINGS = [
    "Partner",
    "Area",
    "Activity",
    "Period",
    "Status",
    "Progress",
    "Due date",
    "Lead",
    "Commentary",
    "Budget",
    "Spend",
]
METRIC_HEADINGS = ["Partner", "Area", "Metric", "Period", "Target", "Actual", "Unit"]


def _workbook(path: Path) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": STAMP, "author": "International Partnerships Coordinator"})
    return book


def _metrics_sheet(book, rows: list[dict], registry: list[dict]) -> None:
    sheet = book.add_worksheet("Metrics")
    sheet.write_row(0, 0, METRIC_HEADINGS, book.add_format({"bold": True}))
    for r, m in enumerate(rows, start=1):
        sheet.write_row(
            r,
            0,
            [
                registry[m["partner"]]["name"],
                m["area"],
                m["metric"],
                period_label(m["period"]),
                m["target"],
                m["actual"],
                m["unit"],
            ],
        )


def write_europe(path: Path, rows, metric_rows, registry, rng) -> None:
    book = _workbook(path)
    bold, date, money = (
        book.add_format(f) for f in ({"bold": True}, {"num_format": "dd/mm/yyyy"}, {"num_format": '"£"#,##0.00'})
    )
    percent, wrap = book.add_format({"num_format": "0%"}), book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Tracker")
    sheet.write(0, 0, "International Strategy Tracker: Europe", book.add_format({"bold": True, "font_size": 14}))
    sheet.write(1, 0, "Updated each quarter by the lead officer; please use the drop-downs")
    sheet.write_row(3, 0, STAFF_HEADINGS, bold)
    for r, a in enumerate(rows, start=4):
        name = registry[a["partner"]]["name"]
        sheet.write_row(
            r,
            0,
            [
                name.replace("'", "’") if r % 5 == 0 else name,
                AREAS[a["area"]][0],
                a["activity"],
                period_label(a["period"]),
                a["status"],
            ],
        )
        if a["progress"] is not None:
            sheet.write_number(r, 5, a["progress"] / 100, percent)
        sheet.write_datetime(r, 6, dt.datetime.combine(a["due"], dt.time()), date)
        sheet.write_string(r, 7, a["lead"])
        if a["commentary"]:
            sheet.write_string(r, 8, a["commentary"], wrap)
        for c, key in ((9, "budget"), (10, "spend")):
            if a[key] is not None:
                sheet.write_number(r, c, a[key], money)
    _metrics_sheet(book, metric_rows, registry)
    lookups = book.add_worksheet("Lookups")
    lookups.write(0, 0, "Lists behind the drop-downs on the Tracker sheet; ask before changing them.")
    for c, (title, values) in enumerate((("Areas", [n for n, _ in AREAS]), ("RAG", list(SYNONYMS)))):
        lookups.write(2, c, title, bold)
        for r, value in enumerate(values, start=3):
            lookups.write(r, c, value)
    book.close()


def write_americas(path: Path, rows, metric_rows, registry, rng) -> None:
    spellings = (
        lambda y, q: f"{y}-{(y + 1) % 100:02d} Q{q}",
        lambda y, q: f"Q{q} {y}-{(y + 1) % 100:02d}",
        lambda y, q: f"{y}/{(y + 1) % 100:02d} Q{q}",
        lambda y, q: f"Q{q} {y % 100}/{(y + 1) % 100:02d}",
    )
    book = _workbook(path)
    sheet = book.add_worksheet("Americas")
    sheet.write_row(0, 0, PLAIN_HEADINGS, book.add_format({"bold": True}))
    for r, a in enumerate(rows, start=1):
        area = AREAS[a["area"]]
        sheet.write_row(
            r,
            0,
            [
                registry[a["partner"]]["short_name"],
                area[r % 3 == 0],
                a["activity"],
                spellings[r % 4](*PERIODS[a["period"]]),
                rng.choice(SYNONYMS[a["status"]]),
                a["progress"],
                a["due"].isoformat(),
                a["lead"],
                a["commentary"] or None,
                a["budget"],
                a["spend"],
            ],
        )
    _metrics_sheet(book, metric_rows, registry)
    book.close()


def write_asia_pacific(path: Path, rows, metric_rows, registry, rng) -> None:
    book = _workbook(path)
    bold, date = book.add_format({"bold": True}), book.add_format({"num_format": "d mmm yyyy"})
    for year in sorted({PERIODS[a["period"]][0] for a in rows}):
        sheet = book.add_worksheet(f"{year}-{(year + 1) % 100:02d}")
        sheet.write_row(0, 0, PLAIN_HEADINGS, bold)
        r = 0
        for a in rows:
            if PERIODS[a["period"]][0] != year:
                continue
            r += 1
            entry = registry[a["partner"]]
            sheet.write_row(
                r,
                0,
                [
                    entry["aliases"][0] if r % 4 == 0 else entry["name"],
                    AREAS[a["area"]][0],
                    a["activity"],
                    period_label(a["period"]),
                    a["status"],
                    a["progress"],
                ],
            )
            sheet.write_datetime(r, 6, dt.datetime.combine(a["due"], dt.time()), date)
            sheet.write_row(r, 7, [a["lead"], a["commentary"] or None, a["budget"], a["spend"]])
    _metrics_sheet(book, metric_rows, registry)
    book.close()


def write_africa(path: Path, rows, metric_rows, registry, rng) -> None:
    headings = [
        "Partner",
        "Area",
        "Activity",
        "Period",
        "Status",
        "Progress",
        "Due date",
        "Lead",
        "Comments",
        "Budget £",
        "Spend to date",
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # Excel's "CSV UTF-8"
        out = csv.writer(f)
        out.writerow(headings)
        for a in rows:
            out.writerow(
                [
                    registry[a["partner"]]["name"],
                    AREAS[a["area"]][0],
                    a["activity"],
                    period_label(a["period"]),
                    a["status"],
                    "" if a["progress"] is None else f"{a['progress']}%",
                    a["due"].strftime("%d/%m/%Y"),
                    a["lead"],
                    a["commentary"],
                    "" if a["budget"] is None else f"£{a['budget']:,.0f}",
                    "" if a["spend"] is None else f"{a['spend']:.2f}".removesuffix(".00"),
                ]
            )
    with path.with_name("africa-metrics.csv").open("w", encoding="cp1252", newline="") as f:
        out = csv.writer(f)
        out.writerow(METRIC_HEADINGS)
        for m in metric_rows:
            out.writerow(
                [
                    registry[m["partner"]]["short_name"],
                    m["area"],
                    m["metric"],
                    period_label(m["period"]),
                    "" if m["target"] is None else m["target"],
                    m["actual"],
                    m["unit"],
                ]
            )


WRITERS = dict(zip(FILES, (write_europe, write_americas, write_asia_pacific, write_africa), strict=True))


# --- template and the whole scale ------------------------------------------------------------


def _toml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_template(path: Path, registry: list[dict], table_rows: int, unpacked_mb: float) -> None:
    """The default template with this scale's partners in the registry and [limits] raised if needed."""
    text = DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    chunks = re.split(r"(?m)^(?=\[)", text)  # one chunk per [table] or [[array]] header
    text = "".join(c for c in chunks if not c.startswith("[[partners]]")).rstrip() + "\n"
    limits = tomllib.loads(DEFAULT_TEMPLATE.read_text(encoding="utf-8")).get("limits", {})
    for key, needed in (("max_rows", 2 * table_rows), ("max_uncompressed_mb", int(2 * unpacked_mb) + 1)):
        if limits.get(key, 0) < needed:
            text, count = re.subn(rf"(?m)^{key}\s*=\s*[\d.]+", f"{key} = {needed}", text)
            if not count:
                text = text.replace("[limits]\n", f"[limits]\n{key} = {needed}\n")
    for entry in registry:
        text += (
            f"\n[[partners]]\nname = {_toml_text(entry['name'])}\nshort_name = {_toml_text(entry['short_name'])}"
            f"\naliases = [{', '.join(_toml_text(a) for a in entry['aliases'])}]"
            f"\ndescription = {_toml_text(entry['description'])}\n"
        )
    path.write_text(text, encoding="utf-8")
    tomllib.loads(text)  # fail here, not in the benchmark, if the copy is not valid TOML


def generator_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes() + DEFAULT_TEMPLATE.read_bytes()).hexdigest()[:16]


def make(scale: Scale) -> dict:
    """Write benchmarks/data/<scale>/ from scratch; return its manifest."""
    folder = DATA / scale.name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "inputs").mkdir(parents=True)
    rng = random.Random(f"{SEED}-{scale.name}")
    registry = [partner(i) for i in range(1, scale.partners + 1)]
    quotas = [scale.rows // scale.partners + (i < scale.rows % scale.partners) for i in range(scale.partners)]
    groups = [list(range(k, scale.partners, len(FILES))) for k in range(len(FILES))]  # partner k: tracker k mod 4
    files, table_rows = {}, 0
    for name, members in zip(FILES, groups, strict=True):
        rows = [row for p in members for row in activities(rng, p, quotas[p])]
        rows.sort(key=lambda a: (a["period"], a["partner"]))  # staff append quarter by quarter (stable sort)
        metric_rows = sorted((m for p in members for m in metrics(rng, p)), key=lambda m: (m["period"], m["partner"]))
        WRITERS[name](folder / "inputs" / name, rows, metric_rows, registry, rng)
        files[name] = {"rows": len(rows), "partners": len(members)}
        table_rows += len(rows) + len(metric_rows)
    # The limits hold for each file and for all the files together: the template is sized for the whole folder.
    unpacked = sum(
        _unpacked_mb(p) if p.suffix == ".xlsx" else p.stat().st_size / 1024 / 1024
        for p in (folder / "inputs").iterdir()
    )
    write_template(folder / "template.toml", registry, table_rows, unpacked)
    manifest = {
        "scale": scale.name,
        "rows": sum(f["rows"] for f in files.values()),
        "partners": scale.partners,
        "areas": len(AREAS),
        "periods": [period_label(i) for i in range(len(PERIODS))],
        "files": files,
        "generator": generator_hash(),
    }
    assert manifest["rows"] == scale.rows, manifest
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _unpacked_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist()) / 1024 / 1024


def ensure(name: str, force: bool = False) -> Path:
    """benchmarks/data/<name>/, written now if missing or made by an older generator."""
    folder = DATA / name
    try:
        current = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["generator"] == generator_hash()
    except (OSError, ValueError, KeyError):
        current = False
    if force or not current:
        make(SCALES[name])
    return folder


def main(argv: list[str]) -> None:
    force = "--force" in argv
    names = [a for a in argv if not a.startswith("--")] or list(SCALES)
    for name in names:
        if name not in SCALES:
            sys.exit(f"unknown scale {name!r}; use {', '.join(SCALES)}")
        folder = ensure(name, force)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        sizes = ", ".join(f"{f} {(folder / 'inputs' / f).stat().st_size / 1e3:,.0f} kB" for f in manifest["files"])
        print(
            f"{name}: {manifest['rows']:,} rows, {manifest['partners']} partners in {folder.relative_to(ROOT)} "
            f"({sizes})"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
