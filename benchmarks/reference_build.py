"""The straightforward build of the board pack: the yardstick benchmarks/run.py measures us against.

    .venv/bin/python benchmarks/reference_build.py --inputs DIR --template FILE --output DIR

Not product code, and independent of it: what one would write first. openpyxl.load_workbook
for each workbook (csv for CSV files), pandas for the summary, one pyplot PNG at 150 dpi per
chart drawn one after another (the overview charts, one per area and a progress chart per
partner), and one reportlab document with a contents page with page numbers (TableOfContents,
multiBuild) embedding the PNGs and each partner's activity table. It knows only the headings and
spellings benchmarks/make_data.py writes. Prints its stage times (seconds) as JSON on stdout.
"""

import time

START = time.perf_counter()
import argparse
import csv
import datetime as dt
import json
import re
import resource
import tomllib
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import openpyxl
import pandas as pd
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

HEADINGS = {
    "partner": "partner",
    "partner organisation": "partner",
    "area": "area",
    "strategic area": "area",
    "activity": "activity",
    "objective": "activity",
    "period": "period",
    "reporting period": "period",
    "status": "status",
    "rag status": "status",
    "progress": "progress",
    "% complete": "progress",
    "due date": "due",
    "deadline": "due",
    "lead": "lead",
    "lead officer": "lead",
    "commentary": "commentary",
    "progress update": "commentary",
    "comments": "commentary",
    "budget": "budget",
    "budget (£)": "budget",
    "budget £": "budget",
    "spend": "spend",
    "actual spend": "spend",
    "spend to date": "spend",
}
STATUS = {
    "red": "Red",
    "off track": "Red",
    "amber": "Amber",
    "a": "Amber",
    "at risk": "Amber",
    "green": "Green",
    "g": "Green",
    "on track": "Green",
    "complete": "Complete",
    "done": "Complete",
    "blue": "Complete",
    "not started": "Not started",
    "grey": "Not started",
}
ORDER = ["Red", "Amber", "Green", "Complete", "Not started"]
COLOURS = ["#C0392B", "#E6A23C", "#2E8B57", "#2F5D8A", "#9E9E9E"]
times = {"imports": time.perf_counter() - START}
matplotlib.use("Agg")


def key(text):
    return str(text).replace("’", "'").strip().lower()


def stage(name, started):
    times[name] = round(time.perf_counter() - started, 3)
    times[f"{name}_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return time.perf_counter()


def read_rows(path):
    """(headings, rows of (value, number format)) for each sheet or CSV file with an activities header."""
    if path.suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # Excel's plain CSV on a UK PC
            text = data.decode("cp1252")
        rows = list(csv.reader(text.splitlines()))
        sheets = [[[(v, "") for v in row] for row in rows]]
    else:
        book = openpyxl.load_workbook(path, data_only=True)
        sheets = [[[(c.value, c.number_format) for c in row] for row in ws.iter_rows()] for ws in book.worksheets]
    for rows in sheets:
        for i, row in enumerate(rows[:15]):
            names = [HEADINGS.get(key(v)) if v else None for v, _ in row]
            if {"partner", "activity", "status"} <= set(names):
                yield names, rows[i + 1 :]
                break


def load(folder):
    records = []
    for path in sorted(p for p in Path(folder).iterdir() if p.suffix in (".xlsx", ".xlsm", ".csv")):
        for names, rows in read_rows(path):
            for row in rows:
                rec = {
                    n: (v * 100 if n == "progress" and "%" in f and v is not None else v)
                    for n, (v, f) in zip(names, row, strict=True)
                    if n
                }
                if rec.get("partner"):
                    records.append(rec)
    return pd.DataFrame(records)


def money(v):
    return float(str(v).replace("£", "").replace(",", "")) if v not in (None, "") else 0.0


def normalise(df, template):
    def lookup(entries):
        return {
            key(s): e["name"]
            for e in entries
            for s in [e["name"], e.get("short_name", e["name"]), *e.get("aliases", [])]
        }

    partners, areas = lookup(template["partners"]), lookup(template["areas"])
    df["partner"], df["area"] = df["partner"].map(lambda v: partners[key(v)]), df["area"].map(lambda v: areas[key(v)])
    df["status"] = df["status"].map(lambda v: STATUS[key(v)])

    def period(v):
        y, q = re.search(r"(\d{2,4})[-/]\d{2}", v)[1], re.search(r"[Qq](\d)", v)[1]
        return (int(y) + (2000 if len(y) == 2 else 0), int(q))

    df["period"] = df["period"].map(period)
    df["progress"] = pd.to_numeric(df["progress"].map(lambda v: str(v).rstrip("%") if v not in (None, "") else None))
    df["due"] = df["due"].map(
        lambda v: v if isinstance(v, dt.datetime) else dt.datetime.strptime(v, "%d/%m/%Y" if "/" in v else "%Y-%m-%d")
    )
    df["budget"], df["spend"] = df["budget"].map(money), df["spend"].map(money)
    df["commentary"] = df["commentary"].fillna("").astype(str)
    return df


def summarise(df):
    as_at = max(df["period"])
    previous = (as_at[0], as_at[1] - 1) if as_at[1] > 1 else (as_at[0] - 1, 4)
    month = 8 + 3 * as_at[1]  # year starts in August: the month after the as-at quarter
    end = pd.Timestamp(as_at[0] + (month - 1) // 12, (month - 1) % 12 + 1, 1) - pd.Timedelta(days=1)
    cur = df[df["period"] == as_at].copy()
    prev = df[df["period"] == previous][["partner", "activity", "status"]].rename(columns={"status": "before"})
    cur = cur.merge(prev, on=["partner", "activity"], how="left")
    cur["overdue"] = (cur["due"] < end) & (cur["status"] != "Complete")
    counts = pd.crosstab(cur["partner"], cur["status"]).reindex(columns=ORDER, fill_value=0)
    trend = df.groupby("period")["status"].apply(lambda s: 100 * s.isin(["Green", "Complete"]).mean())
    return {
        "as_at": as_at,
        "current": cur,
        "counts": counts,
        "trend": trend,
        "money": cur.groupby("partner")[["budget", "spend"]].sum(),
        "matrix": pd.crosstab(cur["partner"], cur["area"]),
        "areas": {
            a: pd.crosstab(g["partner"], g["status"]).reindex(columns=ORDER, fill_value=0)
            for a, g in cur.groupby("area")
        },
    }


def save(folder, name, title):
    plt.title(title)
    plt.tight_layout()
    path = folder / f"{name}.png"
    width, height = plt.gcf().get_size_inches()
    plt.savefig(path, dpi=150)
    plt.close()
    return path, title, height / width


def draw(s, folder):
    charts = []
    s["counts"].plot.barh(stacked=True, color=COLOURS, figsize=(8, 2 + 0.25 * len(s["counts"])))
    charts.append(save(folder, "rag-overview", "Status by partner"))
    plt.figure(figsize=(8, 4))
    plt.plot([f"{y}-{(y + 1) % 100} Q{q}" for y, q in s["trend"].index], s["trend"].values, marker="o")
    charts.append(save(folder, "trend", "On track or complete, %"))
    s["money"].plot.barh(figsize=(8, 2 + 0.25 * len(s["money"])))
    charts.append(save(folder, "budget-spend", "Budget and spend, £"))
    plt.figure(figsize=(8, 2 + 0.25 * len(s["matrix"])))
    plt.imshow(s["matrix"].values, cmap="Blues", aspect="auto")
    plt.yticks(range(len(s["matrix"])), s["matrix"].index)
    plt.xticks(range(len(s["matrix"].columns)), s["matrix"].columns, rotation=30)
    for (i, j), n in pd.DataFrame(s["matrix"].values).stack().items():
        plt.text(j, i, n, ha="center", va="center")
    charts.append(save(folder, "heatmap", "Activities by partner and area"))
    for i, (area, counts) in enumerate(s["areas"].items()):
        counts.plot.barh(stacked=True, color=COLOURS, figsize=(8, 2 + 0.25 * len(counts)))
        charts.append(save(folder, f"area-{i}", f"{area}: status by partner"))
    for i, (partner, rows) in enumerate(s["current"].groupby("partner")):
        plt.figure(figsize=(8, 1.5 + 0.22 * len(rows)))
        plt.barh(range(len(rows)), rows["progress"].fillna(0), color=[COLOURS[ORDER.index(x)] for x in rows["status"]])
        plt.yticks(range(len(rows)), rows["activity"].str[:50], fontsize=7)
        charts.append(save(folder, f"partner-{i}", f"{partner}: progress %"))
    return charts


class Doc(SimpleDocTemplate):
    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name in ("Heading1", "Heading2"):
            level, key = int(flowable.style.name[-1]) - 1, f"h{self.seq.nextf('heading')}"
            self.canv.bookmarkPage(key)
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))


def build_pdf(s, charts, path):
    styles, cell = getSampleStyleSheet(), getSampleStyleSheet()["BodyText"]
    toc = TableOfContents()
    story = [
        Paragraph("International Strategy Progress Report", styles["Title"]),
        toc,
        PageBreak(),
        Paragraph("Executive summary", styles["Heading1"]),
    ]
    image = {
        title: Image(str(path), min(16 * cm, 20 * cm / aspect), min(16 * cm * aspect, 20 * cm))
        for path, title, aspect in charts
    }
    story += [image[t] for _, t, _ in charts[:4]] + [PageBreak(), Paragraph("Partners", styles["Heading1"])]
    for partner, rows in s["current"].groupby("partner"):
        story += [Paragraph(partner, styles["Heading2"]), image[f"{partner}: progress %"]]
        table = [["Activity", "Area", "Status", "Progress", "Due", "Commentary"]] + [
            [
                Paragraph(r.activity, cell),
                r.area,
                r.status,
                f"{r.progress:.0f}%" if r.progress == r.progress else "",
                r.due.strftime("%d/%m/%Y"),
                Paragraph(r.commentary, cell),
            ]
            for r in rows.itertuples()
        ]
        story.append(
            Table(
                table,
                colWidths=[4 * cm, 2.5 * cm, 1.8 * cm, 1.6 * cm, 2 * cm, 5 * cm],
                repeatRows=1,
                style=TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "grey"), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
            )
        )
    story += [PageBreak(), Paragraph("Strategic areas", styles["Heading1"])]
    for _, title, _ in charts[4 : 4 + len(s["areas"])]:
        story += [Paragraph(title.split(":")[0], styles["Heading2"]), image[title]]
    doc = Doc(str(path), pagesize=A4)
    doc.multiBuild(story, onLaterPages=lambda c, d: c.drawString(18 * cm, 1 * cm, f"Page {d.page}"))
    return doc.page


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", required=True), parser.add_argument("--template", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    charts_folder = Path(args.output) / "charts"
    charts_folder.mkdir(parents=True, exist_ok=True)
    template = tomllib.loads(Path(args.template).read_text(encoding="utf-8"))
    t = time.perf_counter()
    raw = load(args.inputs)
    t = stage("load", t)
    df = normalise(raw, template)
    t = stage("validate", t)
    s = summarise(df)
    t = stage("summarise", t)
    charts = draw(s, charts_folder)
    t = stage("charts", t)
    pages = build_pdf(s, charts, Path(args.output) / "board-pack.pdf")
    stage("pdf", t)
    print(
        json.dumps(
            {
                **times,
                "charts_count": len(charts),
                "pages": pages,
                "rows": len(df),
                "pdf_bytes": (Path(args.output) / "board-pack.pdf").stat().st_size,
            }
        )
    )


if __name__ == "__main__":
    main()
