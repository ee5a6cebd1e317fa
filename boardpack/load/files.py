"""Which files of the inputs folder are read, and the limits on all of them together.

A workbook goes to ``xlsx.read_workbook`` and a CSV file to ``csv.read_csv``;
every file that is left out is named, with the reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import Config
from ..formats import printable
from ..model import LoadedInputs, Problem, RawTable, SourceFile
from .common import Unreadable
from .csv import read_csv
from .header import EMPTY_SHEET
from .xlsx import read_workbook

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv"}
LEGACY_SUFFIXES = {
    ".xls": "an old Excel 97-2003 workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".xlsb": "an Excel binary workbook",
    ".numbers": "an Apple Numbers file",
}


def load_inputs(folder: str | Path, config: Config) -> LoadedInputs:
    """Read every spreadsheet in ``folder`` (not recursive) into raw tables."""
    folder = Path(folder)
    tables: list[RawTable] = []
    sources: list[SourceFile] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []

    limit_mb = config.limits.max_uncompressed_mb
    read_bytes = read_rows = 0  # of the files kept so far: all of them together stay within the limits
    for path in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        name = printable(path.name)
        suffix = path.suffix.lower()
        if name.startswith("~$"):
            skipped.append((name, "an Office lock file (the workbook is open in Excel)"))
        elif name.startswith("."):
            skipped.append((name, "a hidden file"))
        elif path.is_dir():
            if suffix in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        None,
                        "is a folder, not a spreadsheet; move the file itself into the inputs folder",
                    )
                )
            else:
                skipped.append((name, "a folder (sub-folders are not read)"))
        elif suffix in LEGACY_SUFFIXES:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    None,
                    None,
                    f"is {LEGACY_SUFFIXES[suffix]}, which cannot be read; "
                    "open it in Excel and save it as an Excel Workbook (.xlsx)",
                )
            )
        elif suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
            skipped.append((name, "not a spreadsheet (.xlsx, .xlsm or .csv)"))
        else:
            try:
                if not path.is_file():  # a pipe would block the read; a device could be endless
                    raise Unreadable(
                        "is not an ordinary file (it is a link to nothing, a device or a pipe); "
                        "put the spreadsheet itself in the inputs folder"
                    )
                size = path.stat().st_size
                if size > limit_mb * 1024 * 1024:
                    raise Unreadable(
                        f"is {size / 1024 / 1024:,.0f} MB, over the limit of {limit_mb:g} MB "
                        "([limits] max_uncompressed_mb in the template); this is not a normal tracker"
                    )
                data = path.read_bytes()
            except OSError as exc:
                problems.append(Problem(name, None, None, None, None, f"cannot be read: {exc.strerror}"))
                continue
            except Unreadable as exc:
                problems.append(exc.problem(name))
                continue
            try:
                if not data:
                    raise Unreadable("is empty (0 bytes); save the spreadsheet again or remove the file")
                reader = read_workbook if suffix in WORKBOOK_SUFFIXES else read_csv
                file_tables, reports, content = reader(name, data, config)
            except Unreadable as exc:
                problems.append(exc.problem(name))
                continue
            except Exception as exc:  # a fault of ours: name the file, and go on to check the others
                problems.append(Problem.fault(name, exc))
                continue
            rows = sum(len(table.frame) for table in file_tables)
            if read_bytes + content > limit_mb * 1024 * 1024 or read_rows + rows > config.limits.max_rows:
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        None,
                        (
                            f"was not read: with the files before it, the inputs would come to more than "
                            f"{limit_mb:g} MB or {config.limits.max_rows:,} rows, the limits for all files together "
                            "([limits] max_uncompressed_mb and max_rows in the template); move the files of earlier "
                            "years out of the inputs folder"
                        ),
                    )
                )
                continue
            read_bytes, read_rows = read_bytes + content, read_rows + rows
            tables.extend(file_tables)
            sources.append(SourceFile(name, hashlib.sha256(data).hexdigest(), len(data), tuple(reports)))
            if not any(report.rows or report.note != EMPTY_SHEET for report in reports):
                problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        None,
                        None,
                        "has no data: every sheet in it is empty, so nothing was read from it",
                        "warning",
                    )
                )

    return LoadedInputs(str(folder), tuple(tables), tuple(sources), tuple(skipped), tuple(problems))
