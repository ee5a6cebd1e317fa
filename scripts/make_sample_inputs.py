"""Write the sample spreadsheets that ship in ``inputs/``.

    .venv/bin/python scripts/make_sample_inputs.py

Three files, written the way staff really keep them (see inputs/README.md):

- ``esu-csa-tracker.xlsx`` (openpyxl): title rows above the header, staff
  headings, percentage cells, Excel dates (revised deadlines too), £ formats,
  a Metrics sheet (one measure better when lower) and a Lookups sheet that is
  not a table;
- ``acui-gsv.xlsx`` (XlsxWriter): header in row 1, status synonyms, mixed
  period spellings, progress 0-100, ISO dates typed as text, and the decisions
  the board is asked to take in the as-at period;
- ``other-partners.csv``: Windows-1252, UK dates, "£1,200", a line break
  inside a quoted comment.

The output is deterministic: no randomness, no use of today's date, fixed
document timestamps, so the files are byte-identical on every run. Exactly one
row is a deliberate warning (an Amber row with no commentary); the script
checks that and prints where it is.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from itertools import cycle
from pathlib import Path
from typing import NamedTuple

import openpyxl
import xlsxwriter
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

INPUTS = Path(__file__).resolve().parent.parent / "inputs"
STAMP = datetime(2026, 7, 31, 17, 0, 0)  # document "created/modified" time in the .xlsx files
QUARTERS = (1, 2, 3, 4)
STATUS = {"R": "Red", "A": "Amber", "G": "Green", "C": "Complete", "N": "Not started"}


class Activity(NamedTuple):
    partner: str  # registry short name
    area: str  # registry name
    text: str
    lead: str
    due: date
    budget: float | None
    quarters: dict[int, tuple[str, int, float | None, str]]  # quarter -> (status, progress %, spend, commentary)
    revised: tuple[int, date] | None = None  # (from quarter, revised due date): the deadline was moved then
    decisions: dict[int, str] | None = None  # quarter -> what the board is asked to decide, in staff's words

    def revised_due(self, quarter: int) -> date | None:
        return self.revised[1] if self.revised and quarter >= self.revised[0] else None

    def decision(self, quarter: int) -> str | None:
        return (self.decisions or {}).get(quarter)


class Measure(NamedTuple):
    area: str
    name: str
    unit: str
    target: float | None  # the same every quarter; None: no target
    actuals: tuple[float, float, float, float]  # Q1..Q4
    better_when: str | None = None  # blank: higher is better


A = Activity
# fmt: off
ACTIVITIES = [
    # --- European Students' Union -----------------------------------------------------------
    A("ESU", "Education policy", "Respond to ESU consultation on the European Student Card", "VP Education",
      date(2025, 12, 12), None, {
          1: ("G", 40, None, "Draft response discussed at Education Zone; final text due to ESU on 12 December."),
          2: ("C", 100, None, "Response submitted on 10 December and quoted in ESU's summary to the "
                              "European Commission."),
          3: ("C", 100, None, ""),
          4: ("C", 100, None, "")}),
    A("ESU", "Student voice", "Send a delegation to the ESU Board Meeting", "President",
      date(2026, 5, 15), 3200, {
          1: ("G", 10, 0, ""),
          2: ("G", 35, 450, "Three delegates elected at Student Council in November."),
          3: ("A", 60, 1650, "Venue and flights confirmed, but one delegate's visa appointment is not until "
                             "late April. "
                             "An alternate delegate has been briefed."),
          4: ("C", 100, 2980, "Three delegates attended; report to Student Council on 4 June.")}),
    A("ESU", "Education policy", "Contribute to ESU's Bologna With Student Eyes 2026 survey",
      "Policy & Research Manager", date(2026, 2, 27), None, {
          1: ("G", 15, None, ""),
          2: ("G", 50, None, "Answers drafted with course reps from three faculties."),
          3: ("C", 100, None, "Submitted on 20 February."),
          4: ("C", 100, None, "")}),
    A("ESU", "Capacity building", "Nominate and train two student experts for ESU's quality assurance pool",
      "Academic Representation Coordinator", date(2026, 3, 31), 800, {
          1: ("G", 20, 0, "Call for nominations open until 14 November."),
          2: ("A", 35, 150, "Only one nomination received, so the call has been reopened until 16 January."),
          3: ("A", 50, 300, "The second nominee withdrew because of exams. One expert is trained; we are looking for "
                            "a replacement before ESU's March deadline."),
          4: ("R", 60, 300, "ESU's training for this cycle is full and the second place has been lost. "
                            "We will nominate again when the pool reopens in autumn 2026.")}),
    A("ESU", "International literacy", "Europe Week: student events on Erasmus+ and the UK",
      "Llŷr Gruffudd (International Officer)", date(2026, 5, 9), 1500, {
          1: ("G", 5, 0, "Dates fixed around Europe Day, 9 May."),
          2: ("G", 20, 200, ""),
          3: ("G", 55, 650, "Speakers confirmed, including a Taith-funded returner; the Cardiff event "
                            "is at Tŷ Hywel."),
          4: ("C", 100, 1380, "Five events with 410 attendees. Llŷr is writing up the feedback for the "
                              "autumn report.")}),
    A("ESU", "Social justice", "ESU campaign on student housing and the cost of living", "VP Welfare",
      date(2026, 6, 30), 600, {
          1: ("A", 10, 0, ""),  # THE deliberate warning: Amber with no commentary
          2: ("A", 20, 0, "ESU's campaign pack is delayed to February; we are using our own housing survey "
                          "results in the meantime."),
          3: ("G", 60, 240, "Joint week of action held 9-13 March with 14 European unions. Our housing survey is "
                            "cited in ESU's briefing."),
          4: ("C", 100, 520, "Campaign closed with a letter to the Minister for Skills; ESU has asked us to lead "
                             "its follow-up group.")}),
    # --- Commonwealth Students' Association -------------------------------------------------
    A("CSA", "Capacity building", "Commonwealth student leaders' exchange", "President",
      date(2026, 4, 30), 6000, {
          1: ("G", 15, 500, "Host unions in Ghana, Malaysia and Jamaica agreed in principle."),
          2: ("G", 40, 1800, ""),
          3: ("A", 65, 4200, "The Jamaican host union withdrew after its elections. CSA's secretariat is finding a "
                             "replacement; flights for the other two visits are booked."),
          4: ("C", 100, 6150, "Three exchanges completed (Ghana, Malaysia, Trinidad and Tobago). £150 over budget "
                              "because of late flight changes for the replacement visit.")}),
    A("CSA", "Student voice", "Student submission to the Conference of Commonwealth Education Ministers",
      "VP Education", date(2026, 2, 13), None, {
          1: ("G", 10, None, ""),
          2: ("G", 45, None, "Draft agreed with CSA's policy group."),
          3: ("R", 60, None, "We missed the secretariat's deadline of 13 February because CSA's own consultation "
                             "closed late. CSA has offered to table our points as an annex to its statement."),
          4: ("A", 85, None, "Annex accepted by CSA; we are waiting for confirmation that it will be circulated "
                             "to ministers.")},
      revised=(3, date(2026, 5, 29))),  # CSA's deadline for annexes: moved, and still passed in Q4
    A("CSA", "Sustainability", "Climate action toolkit for Commonwealth student unions", "Sustainability Officer",
      date(2026, 7, 31), 1200, {
          1: ("N", 0, 0, "Starts after CSA's climate working group meets in November."),
          2: ("G", 15, 0, "Working group agreed the outline; we are drafting the energy and travel chapters."),
          3: ("G", 45, 350, ""),
          4: ("A", 80, 900, "The English version is ready, but the French translation for West African unions is "
                            "late. Publication moves to September.")},
      revised=(4, date(2026, 9, 30))),  # due on Q4's last day, moved past it: not overdue
    A("CSA", "Social justice", "Anti-racism training exchange with CSA member unions", "EDI Coordinator",
      date(2026, 9, 30), 900, {
          1: ("G", 10, 0, ""),
          2: ("G", 30, 120, "First online session held with unions from India and South Africa."),
          3: ("G", 55, 310, ""),
          4: ("G", 75, 480, "Four of six sessions delivered; the last two are planned for September.")}),
    A("CSA", "International literacy", "Commonwealth Day student panel", "International Students' Officer",
      date(2026, 3, 9), 400, {
          1: ("G", 5, 0, ""),
          2: ("G", 35, 60, "Panel of four student leaders confirmed."),
          3: ("C", 100, 370, "Held on 9 March with 85 in the room and 140 online."),
          4: ("C", 100, 370, "")}),
    # --- Association of College Unions International ----------------------------------------
    A("ACUI", "Sustainability", "Joint sustainability summit with ACUI member unions", "Sustainability Officer",
      date(2026, 4, 24), 2500, {
          1: ("G", 15, 0, ""),
          2: ("A", 30, 200, "The US co-host lost its travel funding, so the summit is moving online; speaker "
                            "bookings are two months behind."),
          3: ("G", 70, 900, "Online format agreed and 11 member unions signed up."),
          4: ("C", 100, 1450, "Summit held on 22 April with pledges from 9 unions. The online format saved "
                              "about £1,000.")}),
    A("ACUI", "Capacity building", "ACUI Annual Conference 2026: officer and staff attendance", "Chief Executive",
      date(2026, 3, 31), 5500, {
          1: ("G", 10, 0, ""),
          2: ("G", 40, 2100, "Registration and flights booked for two officers and one member of staff."),
          3: ("C", 100, 5230, "Attended; learning shared at the March staff briefing.")}),
    A("ACUI", "Capacity building", "Adapt ACUI's college union benchmarking survey for UK use",
      "Insight & Research Manager", date(2026, 6, 30), None, {
          1: ("G", 10, None, ""),
          2: ("A", 20, None, "The data-sharing agreement with ACUI is still with our legal advisers."),
          3: ("R", 25, None, "Legal advice is that ACUI's survey terms do not cover transfers of UK personal data. "
                             "The project is paused until ACUI sends a revised agreement."),
          4: ("R", 25, None, "No revised agreement yet. We recommend closing this activity and reconsidering it "
                             "in 2026-27 planning.")},
      decisions={4: "Approve closing the benchmarking survey and reconsidering it in 2026-27 planning"}),
    A("ACUI", "Student voice", "Share our course-rep model in an ACUI webinar", "Zoë Adeyemi (Representation Manager)",
      date(2025, 12, 4), None, {
          1: ("G", 40, None, "Webinar slot confirmed for 4 December."),
          2: ("C", 100, None, "Presented to 60 colleagues from US and Canadian unions; two have asked for "
                              "follow-up calls."),
          3: ("C", 100, None, ""),
          4: ("C", 100, None, "")}),
    A("ACUI", "International literacy", "Host a visiting ACUI study tour", "Head of Student Activities",
      date(2026, 6, 12), 750, {
          3: ("G", 20, 0, "New this quarter: ACUI asked us to host eight US union staff in June."),
          4: ("C", 100, 690, "Study tour hosted 8-12 June; the societies and volunteering teams ran the programme.")}),
    # --- Global Student Voice ----------------------------------------------------------------
    A("GSV", "Social justice", "Refugee student scholarship campaign with GSV unions", "VP Welfare",
      date(2026, 6, 30), 2000, {
          1: ("G", 15, 0, ""),
          2: ("G", 35, 250, "Campaign asks agreed with unions in Kenya, Colombia and Germany."),
          3: ("A", 50, 700, "Two partner unions have not yet signed the joint letter, so it has not gone out. "
                            "We will send it on 31 March with the unions that have signed."),
          4: ("A", 70, 1100, "Joint letter sent to 12 universities and 5 have replied; two have agreed to meet. "
                             "Follow-up planned for September.")}),
    A("GSV", "Student voice", "Host the GSV online assembly in March", "President",
      date(2026, 3, 18), 300, {
          1: ("G", 5, 0, ""),
          2: ("G", 40, 0, "Agenda agreed; 30 unions registered."),
          3: ("C", 100, 240, "Assembly held on 18 March with 42 unions from 19 countries."),
          4: ("C", 100, 240, "")}),
    A("GSV", "Sustainability", "Joint climate justice statement for COP30", "Sustainability Officer",
      date(2025, 11, 7), None, {
          1: ("G", 70, None, "Statement drafted with GSV's climate group."),
          2: ("C", 100, None, "Signed by 57 unions and read out at the COP30 youth day in Belém."),
          3: ("C", 100, None, ""),
          4: ("C", 100, None, "")}),
    A("GSV", "Education policy", "International students' cost-of-living survey with GSV unions",
      "Policy & Research Manager", date(2026, 5, 29), 500, {
          1: ("G", 10, 0, ""),
          2: ("G", 35, 0, "Questions agreed with six unions; the survey opens on 2 February."),
          3: ("A", 55, 250, "Only 420 responses so far against a target of 1,000. We are promoting it through the "
                            "international societies."),
          4: ("G", 85, 480, "1,130 responses and the report is drafted. Publication is held back to September so "
                            "it can launch in Welcome Week.")}),
    A("GSV", "Social justice", "GSV solidarity fund for students affected by conflict", "VP Welfare",
      date(2026, 10, 30), 1500, {
          3: ("G", 10, 0, "New: Student Council voted in February to give £1,500 through GSV."),
          4: ("A", 30, 500, "First grant paid. The second is on hold because our bank cannot send money to the "
                            "recipient union. We propose paying it through GSV's fiscal host in the Netherlands, "
                            "which Finance has checked.")},
      decisions={4: "Approve paying the second solidarity grant (£1,000) through GSV's fiscal host"}),
    # --- Other international partners (the CSV holds only cp1252 characters) -----------------
    A("Other", "Education policy", "With UKCISA, respond to the Home Office consultation on the Graduate route",
      "VP Education", date(2025, 12, 19), None, {
          1: ("G", 30, None, "Survey of 240 international students closed on 20 October."),
          2: ("C", 100, None, "Joint response submitted with UKCISA on 15 December."),
          3: ("C", 100, None, "")}),
    A("Other", "Capacity building", "Taith bid for a student learning exchange", "Partnerships Manager",
      date(2026, 3, 27), 1200, {
          1: ("G", 20, 0, "Partner universities in Kerala and Lesotho have agreed to host."),
          2: ("A", 35, 0, "Taith moved the bid deadline, and the university's international office wants the bid "
                          "to go in under its name. Talks continue."),
          3: ("G", 70, 450, "Bid submitted jointly with the university on 20 March; decision due in May."),
          4: ("C", 100, 1125, "Bid won: funding for 12 students to travel in 2026-27.\n"
                              "Next step: recruit students in October.")}),
    A("Other", "Sustainability", "Fossil-free careers pledge with People & Planet", "Sustainability Officer",
      date(2026, 7, 17), None, {
          1: ("G", 10, None, ""),
          2: ("G", 30, None, "The careers service agreed to review its recruiter policy."),
          3: ("G", 60, None, ""),
          4: ("R", 70, None, "The university has postponed its decision on the recruiter policy to its November "
                             "Council, so we will miss the July target. We are meeting the PVC in September.")}),
    A("Other", "Social justice", "International student belonging project with the university",
      "José Ferreira (International Students' Rep)", date(2026, 6, 30), 2400, {
          1: ("G", 10, 0, "Project group includes students from 11 countries."),
          2: ("G", 30, 380, ""),
          3: ("A", 45, 900, "Survey response is lower than hoped (180 of a target 400), and the focus groups have "
                            "moved to April, after Ramadan."),
          4: ("C", 100, 2310.50, "Report with 14 recommendations presented to the university's Education "
                                 "Committee on 24 June.")}),
    A("Other", "International literacy", "Study abroad fair with the university's Global Opportunities team",
      "Global Opportunities Coordinator", date(2026, 2, 11), 650, {
          1: ("G", 20, 0, ""),
          2: ("G", 50, 150, "35 exhibitors booked, including Taith and the Turing Scheme."),
          3: ("C", 100, 610, "Fair held on 11 February with about 600 visitors."),
          4: ("C", 100, 610, "")}),
    A("Other", "Student voice", "Student voice in the university's international strategy refresh", "President",
      date(2026, 12, 11), None, {
          4: ("G", 10, None, "New: the university has invited two officers onto its strategy working group, which "
                             "meets monthly from June.")}),
]

M = Measure
# Metrics: partner -> measures, each with its actual in every quarter
METRICS = {
    "ESU": [M("Education policy", "Policy submissions", "number", 2, (1, 3, 2, 2)),
            M("Student voice", "Students reached", "number", 150, (90, 210, 160, 240)),
            # Less is better: Q4's £2,400 against £2,000 is on the wrong side of the target.
            M("International literacy", "Event spend", "£", 2000, (850, 1600, 1900, 2400), "lower")],
    "CSA": [M("Capacity building", "Officers trained", "number", 10, (4, 12, 9, 15)),
            M("International literacy", "Event attendance", "number", 120, (60, 95, 225, 140))],
    "ACUI": [M("Capacity building", "Staff and officers in ACUI learning", "number", 8, (6, 9, 11, 4)),
             M("Sustainability", "Satisfaction %", "%", 80, (78, 84, 81, 88))],
    "GSV": [M("Social justice", "Partner unions engaged", "number", 12, (8, 10, 13, 15)),
            M("Student voice", "Students reached", "number", 500, (320, 610, 450, 700))],
    "Other": [M("Education policy", "Policy submissions", "number", 1, (1, 2, 0, 1)),
              M("Capacity building", "External funding secured", "£", None, (0, 0, 0, 18000))],
}
# fmt: on


def rows(partners: tuple[str, ...]) -> list[tuple[int, Activity, tuple]]:
    """(quarter, activity, quarter row) for these partners: quarter by quarter, as staff append them."""
    return [(q, a, a.quarters[q]) for q in QUARTERS for a in ACTIVITIES if a.partner in partners and q in a.quarters]


def warnings(where: str, listed: list[tuple[int, Activity, tuple]], first_row: int, column: str) -> list[str]:
    """Red or Amber rows without commentary, as 'file · sheet · row · column'."""
    return [
        f"{where} · row {first_row + i} · {column}"
        for i, (_, _, (status, _, _, comment)) in enumerate(listed)
        if status in "RA" and not comment
    ]


def save_reproducibly(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed timestamps inside and out, so every run gives the same bytes."""
    wb.properties.creator = wb.properties.lastModifiedBy = "International Partnerships Coordinator"
    wb.properties.created = STAMP
    buffer = io.BytesIO()
    wb.save(buffer)  # openpyxl stamps "modified" with the current time; put STAMP back
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP.isoformat().encode() + b"Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def write_esu_csa(path: Path) -> list[str]:
    spelled = {"ESU": "ESU", "CSA": "Commonwealth Students’ Association"}  # curly apostrophe, as Excel autocorrects
    heading = [
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
        "Revised Deadline",
    ]
    formats = {6: "0%", 7: "dd/mm/yyyy", 10: '"£"#,##0', 11: '"£"#,##0', 12: "dd/mm/yyyy"}
    header_row = 4
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tracker"
    ws["A1"] = "International Strategy Tracker 2025-26"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "European Students' Union and Commonwealth Students' Association · updated each quarter by the lead officer"
    )
    ws.append([])
    ws.append(heading)
    listed = rows(("ESU", "CSA"))
    for q, a, (status, progress, spend, comment) in listed:
        ws.append(
            [
                spelled[a.partner],
                a.area,
                a.text,
                f"2025-26 Q{q}",
                STATUS[status],
                progress / 100,
                a.due,
                a.lead,
                comment or None,
                a.budget,
                spend,
                a.revised_due(q),
            ]
        )
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.number_format = formats.get(cell.column, cell.number_format)
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column in (3, 9))
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJKL", (34, 22, 48, 16, 12, 11, 12, 34, 60, 11, 12, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:L{ws.max_row}"

    metrics = wb.create_sheet("Metrics")
    metrics.append(["Partner", "Area", "Metric", "Period", "Target", "Actual", "Unit", "Better when"])
    for partner, measures in METRICS.items():
        for q in QUARTERS:
            for m in measures:
                metrics.append(
                    [partner, m.area, m.name, f"2025-26 Q{q}", m.target, m.actuals[q - 1], m.unit, m.better_when]
                )
    for cell in metrics[1]:
        cell.font = Font(bold=True)
    metrics.column_dimensions["C"].width = 36

    lookups = wb.create_sheet("Lookups")
    lists = [
        ("Partners", list(spelled.values()), "A"),  # (heading, values, Tracker column using them)
        ("Strategic areas", sorted({a.area for a in ACTIVITIES}), "B"),
        ("Reporting periods", [f"2025-26 Q{q}" for q in QUARTERS], "D"),
        ("RAG ratings", list(STATUS.values()), "E"),
    ]
    lookups["A1"] = (
        "Lists behind the drop-downs on the Tracker sheet. Please ask the International Partnerships "
        "Coordinator before changing them."
    )
    lookups["A2"] = (
        "Red and Amber ratings need a progress update saying what has gone wrong and what we are doing about it."
    )
    for col, (title, values, used_in) in enumerate(lists, start=1):
        lookups.cell(4, col, title).font = Font(bold=True)
        for r, value in enumerate(values, start=5):
            lookups.cell(r, col, value)
        letter = get_column_letter(col)
        validation = DataValidation(type="list", formula1=f"=Lookups!${letter}$5:${letter}${4 + len(values)}")
        ws.add_data_validation(validation)
        validation.add(f"{used_in}{header_row + 1}:{used_in}500")
    save_reproducibly(wb, path)
    return warnings(f"{path.name} · Tracker", listed, header_row + 1, "Progress Update")


def write_acui_gsv(path: Path) -> list[str]:
    spelled = {"ACUI": "ACUI", "GSV": "Global Student Voice"}
    areas = {"Capacity building": "Capacity", "Social justice": "EDI"}  # registry aliases
    periods = {1: "2025-26 Q1", 2: "Q2 2025-26", 3: "2025/26 Q3", 4: "Q4 25/26"}
    synonyms = {
        "G": cycle(["On track", "G", "Green"]),
        "A": cycle(["At risk", "Amber"]),
        "R": cycle(["Red"]),
        "C": cycle(["Done", "Complete"]),
        "N": cycle(["Not started"]),
    }
    heading = [
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
        "Decision needed",
    ]
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": STAMP, "author": "International Partnerships Coordinator"})
    ws = wb.add_worksheet("ACUI and GSV")
    ws.write_row(0, 0, heading, wb.add_format({"bold": True}))
    listed = rows(("ACUI", "GSV"))
    for r, (q, a, (status, progress, spend, comment)) in enumerate(listed, start=1):
        ws.write_row(
            r,
            0,
            [
                spelled[a.partner],
                areas.get(a.area, a.area),
                a.text,
                periods[q],
                next(synonyms[status]),
                progress,
                a.due.isoformat(),
                a.lead,
                comment or None,
                a.budget,
                spend,
                a.decision(q),
            ],
        )
    for col, width in enumerate((20, 18, 50, 12, 12, 9, 11, 36, 60, 9, 9, 50)):
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    wb.close()
    return warnings(f"{path.name} · ACUI and GSV", listed, 2, "Commentary")


def write_other(path: Path) -> list[str]:
    heading = [
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
    others = [a for a in ACTIVITIES if a.partner == "Other"]
    spelled = {a.text: ("Other partners", "Other")[i % 2] for i, a in enumerate(others)}
    listed = rows(("Other",))
    with path.open("w", encoding="cp1252", newline="") as f:  # Excel's plain "CSV" on a UK PC
        out = csv.writer(f)  # comma-delimited, CRLF, quotes only where needed
        out.writerow(heading)
        for q, a, (status, progress, spend, comment) in listed:
            out.writerow(
                [
                    spelled[a.text],
                    a.area,
                    a.text,
                    f"Q{q} 2025-26",
                    STATUS[status],
                    f"{progress}%",
                    a.due.strftime("%d/%m/%Y"),
                    a.lead,
                    comment,
                    "" if a.budget is None else f"£{a.budget:,.0f}",
                    "" if spend is None else f"{spend:.2f}".removesuffix(".00"),
                ]
            )
    return warnings(path.name, listed, 2, "Comments")  # header is row 1; one record = one Excel row


# Each file has only the optional columns its partners use; a value for a column
# its file lacks would be lost without a word, so main() refuses it.
REVISED_IN = {"ESU", "CSA"}  # esu-csa-tracker.xlsx has "Revised Deadline"
DECISIONS_IN = {"ACUI", "GSV"}  # acui-gsv.xlsx has "Decision needed"


def check_columns() -> None:
    for a in ACTIVITIES:
        assert not a.revised or a.partner in REVISED_IN, f"{a.partner}'s file has no revised due date column"
        assert not a.decisions or a.partner in DECISIONS_IN, f"{a.partner}'s file has no decision column"


def main() -> None:
    check_columns()
    INPUTS.mkdir(exist_ok=True)
    found = []
    for name, writer in (
        ("esu-csa-tracker.xlsx", write_esu_csa),
        ("acui-gsv.xlsx", write_acui_gsv),
        ("other-partners.csv", write_other),
    ):
        found += writer(INPUTS / name)
        print(f"wrote inputs/{name}")
    assert len(found) == 1, f"expected exactly one deliberate warning, found {found}"
    print(
        f"{sum(len(a.quarters) for a in ACTIVITIES)} activity rows, "
        f"{len(QUARTERS) * sum(len(m) for m in METRICS.values())} metric rows; deliberate warning: {found[0]}"
    )


if __name__ == "__main__":
    main()
