"""The history: the validated rows of every successful run, kept in an embedded SQLite database.

A run reads the history before its summary (:func:`open_history`, then
:meth:`History.index` and :meth:`History.rows`: the rows of periods the
spreadsheets no longer hold) and writes it once, after its run folder has been
written (:func:`record_run`, one transaction). The ``history`` command lists,
forgets and exports runs through the same class. Nothing else opens the file.
Staff read docs/history.md; this docstring is for developers.

**Storage.** Rows are kept in *blocks*, one per (table, partner, period), and a
block is stored once however many runs read it: it is known by a SHA-256 digest
of its rows exactly as stored. A run is a row of ``runs``, the files it read
(``run_files``) and the blocks it read (``run_blocks``), so a second draft of
the same quarter adds a few small rows, not another copy of every activity.
Only rows read from the spreadsheets are recorded; rows a run took from the
history stay with the run that read them.

**The file.** ``PRAGMA application_id`` marks it as ours and ``PRAGMA
user_version`` is its schema version; :data:`MIGRATIONS` brings an older file up
to :data:`SCHEMA_VERSION` inside the writing transaction (a reader migrates
inside a transaction it rolls back, so reading never changes the file). WAL
journal mode where the file system allows it (not on network drives), a busy
timeout, and a clear :class:`~boardpack.errors.HistoryError` for a file that is
locked, read-only, damaged or not ours, naming the file. A file that is not ours
is never written to.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import HistoryDamaged, HistoryForeign, HistoryLocked, HistoryReadOnly
from .model import Period, ValidatedInputs

# The file name of the history inside the output folder, when --history is not given.
DEFAULT_NAME = "history.sqlite"

# Seconds to wait for another run (or program) to finish writing before giving up.
BUSY_TIMEOUT = 10.0

# "BPKH" in the database header: this file is a boardpack history.
APPLICATION_ID = 0x42504B48

# The columns stored for each table, in order. They are the validated frames'
# columns (schema.py) except activity_key, which is worked out again on reading
# so that it always follows the current text matching. A new frame column needs
# a migration that adds it here and to the table.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "partner",
    "area",
    "activity",
    "period",
    "status",
    "progress",
    "due_date",
    "lead",
    "commentary",
    "budget",
    "spend",
    "decision",
    "revised_due_date",
    "file",
    "sheet",
    "row",
)
METRIC_COLUMNS: tuple[str, ...] = (
    "partner",
    "area",
    "metric",
    "period",
    "target",
    "actual",
    "unit",
    "better_when",
    "file",
    "sheet",
    "row",
)
COLUMNS: dict[str, tuple[str, ...]] = {"activities": ACTIVITY_COLUMNS, "metrics": METRIC_COLUMNS}
_NUMBERS = frozenset({"progress", "budget", "spend", "target", "actual"})
_DATES = frozenset({"due_date", "revised_due_date"})

# Each entry takes the schema from version i to i + 1, in one transaction.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: runs, the files each read, blocks of rows, and which blocks each run read
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a pack's "run 3" stays run 3
            recorded_at TEXT NOT NULL,             -- when the run finished, UTC, ISO 8601
            command TEXT NOT NULL,                 -- generate or charts
            as_at TEXT NOT NULL,                   -- the period the run reported on
            folder TEXT NOT NULL,                  -- the run folder it wrote, e.g. 2026-08-01
            activity_rows INTEGER NOT NULL,        -- rows read from the spreadsheets
            metric_rows INTEGER NOT NULL)""",
        """CREATE TABLE run_files (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            name TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, rows INTEGER NOT NULL,
            PRIMARY KEY (run_id, name))""",
        """CREATE TABLE blocks (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('activities', 'metrics')),
            partner TEXT NOT NULL,
            period TEXT NOT NULL,
            digest TEXT NOT NULL UNIQUE,           -- SHA-256 of the rows as stored
            rows INTEGER NOT NULL)""",
        """CREATE TABLE run_blocks (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            block_id INTEGER NOT NULL REFERENCES blocks (id),
            PRIMARY KEY (run_id, block_id)) WITHOUT ROWID""",
        """CREATE TABLE activities (
            block_id INTEGER NOT NULL REFERENCES blocks (id), seq INTEGER NOT NULL,
            partner TEXT NOT NULL, area TEXT, activity TEXT NOT NULL, period TEXT NOT NULL, status TEXT NOT NULL,
            progress REAL, due_date TEXT, lead TEXT, commentary TEXT, budget REAL, spend REAL, decision TEXT,
            revised_due_date TEXT, file TEXT, sheet TEXT, row INTEGER,
            PRIMARY KEY (block_id, seq)) WITHOUT ROWID""",
        """CREATE TABLE metrics (
            block_id INTEGER NOT NULL REFERENCES blocks (id), seq INTEGER NOT NULL,
            partner TEXT NOT NULL, area TEXT, metric TEXT NOT NULL, period TEXT NOT NULL, target REAL,
            actual REAL, unit TEXT, better_when TEXT, file TEXT, sheet TEXT, row INTEGER,
            PRIMARY KEY (block_id, seq)) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# File systems on which SQLite's WAL mode is unsafe (it needs shared memory between processes).
_NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "afs",
        "ncpfs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.davfs2",
        "vboxsf",
        "prl_fs",
    }
)

Record = tuple  # one row as stored: Python str, float, int or None in COLUMNS order


@dataclass(frozen=True)
class StoredFile:
    """One input file a run read: its name, SHA-256, size in bytes and rows read."""

    name: str
    sha256: str
    size: int
    rows: int


@dataclass(frozen=True)
class StoredRun:
    """One successful run, as the history holds it."""

    id: int
    recorded_at: str  # UTC, ISO 8601
    command: str
    as_at: Period
    folder: str
    activity_rows: int
    metric_rows: int
    files: tuple[StoredFile, ...] = ()
    periods: tuple[Period, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.id,
            "recorded_at": self.recorded_at,
            "command": self.command,
            "as_at": self.as_at.label,
            "folder": self.folder,
            "periods": [p.label for p in self.periods],
            "activity_rows": self.activity_rows,
            "metric_rows": self.metric_rows,
            "files": [{"name": f.name, "sha256": f.sha256, "bytes": f.size, "rows": f.rows} for f in self.files],
        }


@dataclass(frozen=True)
class BlockRef:
    """That run ``run`` read block ``block``: one partner's rows of one table for one period."""

    block: int
    kind: str  # "activities" or "metrics"
    partner: str
    period: Period
    digest: str
    rows: int
    run: int
    run_as_at: Period
    run_folder: str


# --------------------------------------------------------------------------- blocks


def parse_label(label: str) -> Period:
    """A Period from the label the history stores ("2025-26 Q3")."""
    match = re.fullmatch(r"(\d{4})-\d{2} Q([1-4])", label)
    if match is None:
        raise ValueError(f"{label!r} is not a period label")
    return Period(int(match[1]), int(match[2]))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT or value is pd.NA


def _column_values(frame: pd.DataFrame, name: str) -> list:
    """One frame column as the Python values SQLite stores: labels, ISO dates, floats, None for blanks.

    Whole columns at a time, and each distinct period or date converted once:
    10,000 rows take a few hundredths of a second.
    """
    if name not in frame.columns:
        return [None] * len(frame)
    column = frame[name]
    if name in _NUMBERS:
        values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float).tolist()
        return [None if v != v else v for v in values]  # NaN is the only value not equal to itself
    values = column.tolist()
    if name == "period":
        labels: dict[Period, str] = {}
        return [(labels.get(v) or labels.setdefault(v, v.label)) if isinstance(v, Period) else None for v in values]
    if name in _DATES:
        dates: dict[Any, str] = {}
        found: list[str | None] = []
        for v in values:
            if _blank(v):
                found.append(None)
                continue
            iso = dates.get(v)
            if iso is None:
                iso = dates[v] = (v.date() if isinstance(v, dt.datetime) else v).isoformat()
            found.append(iso)
        return found
    if name == "row":
        return [v if type(v) is int else (None if _blank(v) else int(v)) for v in values]
    return [v if type(v) is str else (None if _blank(v) else str(v)) for v in values]


def digest(kind: str, records: Sequence[Record]) -> str:
    """The digest of a block: the same rows, stored or read back, always give the same text."""
    text = json.dumps([kind, records], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def blocks_of(frame: pd.DataFrame, kind: str) -> dict[tuple[str, Period], list[Record]]:
    """The rows of a validated frame as stored, in frame order, grouped by (partner, period)."""
    columns = COLUMNS[kind]
    if frame.empty:
        return {}
    by_label: dict[tuple[str, str], list[Record]] = {}  # keyed by text: hashing a Period costs more
    for record in zip(*(_column_values(frame, name) for name in columns), strict=True):
        key = (record[0], record[3])  # partner, period label
        block = by_label.get(key)
        if block is None:
            block = by_label[key] = []
        block.append(record)
    periods = {label: parse_label(label) for _, label in by_label}
    return {(partner, periods[label]): records for (partner, label), records in by_label.items()}


# --------------------------------------------------------------------------- opening the file


def _network_file_system(folder: Path, mounts: str | None = None) -> bool:
    """Whether ``folder`` is on a network file system, from the mount table (Linux; False elsewhere)."""
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    folder_text = str(folder)
    best, kind = -1, ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = folder_text == point or folder_text.startswith(point.rstrip("/") + "/")
        if inside and len(point) > best:
            best, kind = len(point), parts[2]
    return kind in _NETWORK_FILE_SYSTEMS


def _existing_ancestor(path: Path) -> Path:
    for folder in path.parents:
        if folder.exists():
            return folder
    return Path(path.anchor or ".")


def _check_writable(path: Path) -> None:
    """Raise HistoryReadOnly unless the history file (or the folder it will be made in) can be written."""
    if path.is_dir():
        raise HistoryForeign(
            f"the history path {path} is a folder; give a file name with --history PATH, or run with --no-history"
        )
    folder = path.parent if path.parent.exists() else _existing_ancestor(path)
    if not folder.is_dir():
        raise HistoryReadOnly(
            f"cannot write the history {path}: part of that path is a file, not a folder; "
            "choose another file with --history PATH, or run with --no-history"
        )
    if path.exists() and not os.access(path, os.W_OK):
        why = "it is read-only"
    elif not os.access(folder, os.W_OK | os.X_OK):
        why = f"its folder {folder} is read-only"
    else:
        return
    raise HistoryReadOnly(
        f"cannot write the history {path}: {why} (permission denied); choose another file "
        "with --history PATH, or run with --no-history"
    )


def _check_header(path: Path) -> None:
    """A file that is not an SQLite database at all is never opened by SQLite (which could write to it)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise HistoryReadOnly(
            f"cannot read the history {path}: {exc.strerror}; run with --no-history to build the pack without it"
        ) from None
    if head and head != b"SQLite format 3\x00":
        raise HistoryForeign(
            f"{path} is not a boardpack history: it is not an SQLite database (another kind "
            "of file, or a damaged one); it was left as it is. Move it away, choose another "
            "file with --history PATH, or run with --no-history"
        )


def _explain(exc: sqlite3.Error, path: Path, timeout: float) -> Exception:
    """Our exception for an SQLite error on the history file."""
    text = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    if "locked" in text or "busy" in text or code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return HistoryLocked(
            f"the history {path} is locked by another run or program, and stayed locked for "
            f"{timeout:g} seconds; let it finish (or close the program that has the file open) "
            "and run again, or run with --no-history to build the pack without it"
        )
    if "readonly" in text or "read-only" in text or code == sqlite3.SQLITE_READONLY:
        return HistoryReadOnly(
            f"cannot write the history {path}: it is read-only; choose another file with "
            "--history PATH, or run with --no-history"
        )
    if "disk is full" in text or code == sqlite3.SQLITE_FULL:
        return HistoryReadOnly(
            f"cannot write the history {path}: the disk is full; free some space and run "
            "again, or run with --no-history"
        )
    if "unable to open" in text or code == sqlite3.SQLITE_CANTOPEN:
        return HistoryReadOnly(
            f"cannot open the history {path} (SQLite: {text}); check that it and its folder "
            "can be read and written, or run with --no-history"
        )
    if "not a database" in text or code == sqlite3.SQLITE_NOTADB:
        return HistoryForeign(
            f"{path} is not a boardpack history: SQLite says it is not a database; it was left "
            "as it is. Move it away, choose another file with --history PATH, or run with "
            "--no-history"
        )
    return HistoryDamaged(
        f"the history {path} is damaged (SQLite: {text}); it was left as it is. Move it away "
        "to start a new history (docs/history.md says how to save what it holds), or run "
        "with --no-history"
    )


def _connect(path: Path, timeout: float, *, mode: str) -> sqlite3.Connection:
    """A connection in autocommit mode (we BEGIN ourselves); ``mode`` is ro, rw or rwc (create)."""
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)  # we BEGIN ourselves
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _version(connection: sqlite3.Connection, path: Path) -> int:
    """The file's schema version; 0 for an empty database. Raises HistoryForeign for anyone else's."""
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if application == APPLICATION_ID:
        if version > SCHEMA_VERSION:
            raise HistoryForeign(
                f"the history {path} was written by a newer boardpack (schema version "
                f"{version}; this one knows up to {SCHEMA_VERSION}); it was left as it is. "
                "Upgrade boardpack, or run with --no-history"
            )
        return version
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    if application == 0 and not tables:
        return 0
    held = f" (it holds the tables {', '.join(tables[:5])}{' …' if len(tables) > 5 else ''})" if tables else ""
    raise HistoryForeign(
        f"{path} is not a boardpack history: it is another program's SQLite database{held}; "
        "it was left as it is. Choose another file with --history PATH, or run with --no-history"
    )


def _migrate(connection: sqlite3.Connection, version: int) -> None:
    """Bring the schema from ``version`` to SCHEMA_VERSION; the caller holds the transaction."""
    for step in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[step]:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {step + 1}")
    if version < SCHEMA_VERSION:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _set_journal(connection: sqlite3.Connection, folder: Path) -> None:
    """WAL where the file system allows it; the rollback journal on network drives."""
    wanted = "delete" if _network_file_system(folder.resolve()) else "wal"
    try:
        current = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if current != wanted:
            connection.execute(f"PRAGMA journal_mode = {wanted}")
    except sqlite3.OperationalError:
        pass  # another connection has it open: keep the mode it has


# --------------------------------------------------------------------------- reading


class History:
    """An open history: what it holds, for the run that reads it and for the ``history`` command.

    Opened for a run (``write=True``), it takes the write lock inside a
    transaction that closing rolls back, so a locked or read-only file is reported
    before any work is done and reading never changes the file. ``write=False``
    (listing, exporting) needs only read access. A missing or empty file is an
    empty history.
    """

    def __init__(self, path: Path, timeout: float = BUSY_TIMEOUT, *, write: bool = True) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._connection: sqlite3.Connection | None = None
        if write:
            _check_writable(self.path)
        elif self.path.is_dir():
            raise HistoryForeign(f"the history path {self.path} is a folder; give the history file with --history PATH")
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        _check_header(self.path)
        try:
            self._connection = _connect(self.path, timeout, mode="rw" if write else "ro")
            try:
                self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                version = _version(self._connection, self.path)
            except sqlite3.OperationalError:
                if write or os.access(self.path.parent, os.W_OK):
                    raise
                # A WAL file in a read-only folder: SQLite cannot make its shared-memory file there.
                # Read it as it is on disk (immutable), which is all a listing or an export needs.
                self._connection.close()
                self._connection = _connect(self.path, timeout, mode="ro&immutable=1")
                self._connection.execute("BEGIN")
                version = _version(self._connection, self.path)
            if version == 0:  # an empty database: nothing recorded yet
                self.close()
            elif version < SCHEMA_VERSION:
                if not write:
                    raise HistoryReadOnly(
                        f"the history {self.path} was written by an older boardpack and must be upgraded before it "
                        "can be read; run generate or charts once with write access to it"
                    )
                _migrate(self._connection, version)  # rolled back on closing: the writer migrates for good
        except sqlite3.Error as exc:
            self.close()
            raise _explain(exc, self.path, timeout) from None
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()  # an open transaction is rolled back
            finally:
                self._connection = None

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple]:
        if self._connection is None:
            return []
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise _explain(exc, self.path, self.timeout) from None

    def index(self) -> tuple[BlockRef, ...]:
        """Every block every run read, in run order."""
        rows = self._query(
            "SELECT b.id, b.kind, b.partner, b.period, b.digest, b.rows, r.id, r.as_at, r.folder "
            "FROM run_blocks rb JOIN blocks b ON b.id = rb.block_id JOIN runs r ON r.id = rb.run_id "
            "ORDER BY r.id, b.id"
        )
        labels: dict[str, Period] = {}
        try:
            return tuple(
                BlockRef(
                    block,
                    kind,
                    partner,
                    labels.setdefault(period, parse_label(period)),
                    digest_,
                    count,
                    run,
                    labels.setdefault(as_at, parse_label(as_at)),
                    folder,
                )
                for block, kind, partner, period, digest_, count, run, as_at, folder in rows
            )
        except ValueError as exc:
            raise HistoryDamaged(
                f"the history {self.path} is damaged ({exc}); it was left as it is. Move it away "
                "to start a new history, or run with --no-history"
            ) from None

    def rows(self, kind: str, blocks: Iterable[int]) -> dict[int, list[Record]]:
        """The stored rows of these blocks of one table, each block's in the order they were read."""
        columns = ", ".join(COLUMNS[kind])
        wanted = sorted(set(blocks))
        found: dict[int, list[Record]] = {block: [] for block in wanted}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for block, *record in self._query(
                f"SELECT block_id, {columns} FROM {kind} WHERE block_id IN ({marks}) ORDER BY block_id, seq", chunk
            ):
                found[block].append(tuple(record))
        return found

    def runs(self) -> tuple[StoredRun, ...]:
        """Every stored run, oldest first, with its files and the periods it read."""
        files: dict[int, list[StoredFile]] = {}
        for run, name, sha, size, count in self._query(
            "SELECT run_id, name, sha256, bytes, rows FROM run_files ORDER BY run_id, name"
        ):
            files.setdefault(run, []).append(StoredFile(name, sha, size, count))
        periods: dict[int, set[Period]] = {}
        for run, period in self._query(
            "SELECT DISTINCT rb.run_id, b.period FROM run_blocks rb JOIN blocks b ON b.id = rb.block_id"
        ):
            periods.setdefault(run, set()).add(parse_label(period))
        return tuple(
            StoredRun(
                run,
                recorded,
                command,
                parse_label(as_at),
                folder,
                activities,
                metrics,
                tuple(files.get(run, ())),
                tuple(sorted(periods.get(run, ()))),
            )
            for run, recorded, command, as_at, folder, activities, metrics in self._query(
                "SELECT id, recorded_at, command, as_at, folder, activity_rows, metric_rows FROM runs ORDER BY id"
            )
        )

    def stored_rows(self) -> pd.DataFrame:
        """Every stored row once per run that read it, activities then metrics, for ``history --export``."""
        frames = []
        for kind in ("activities", "metrics"):
            columns = COLUMNS[kind]
            rows = self._query(
                f"SELECT r.id, r.recorded_at, r.as_at, {', '.join('t.' + c for c in columns)} "
                f"FROM run_blocks rb JOIN runs r ON r.id = rb.run_id JOIN blocks b ON b.id = rb.block_id "
                f"JOIN {kind} t ON t.block_id = b.id WHERE b.kind = ? ORDER BY r.id, b.id, t.seq",
                (kind,),
            )
            frame = pd.DataFrame.from_records(rows, columns=["run", "run_recorded_at", "run_as_at", *columns])
            frame.insert(3, "table", kind)
            frames.append(frame)
        ordered = ["run", "run_recorded_at", "run_as_at", "table", *dict.fromkeys(ACTIVITY_COLUMNS + METRIC_COLUMNS)]
        return (
            pd.concat(frames, ignore_index=True)
            .reindex(columns=ordered)
            .astype(object)
            .where(lambda f: f.notna(), None)
        )

    def forget(self, run: int) -> tuple[StoredRun, int]:
        """Remove one run, and the rows no other run read; returns the run and how many rows went."""
        found = [r for r in self.runs() if r.id == run]
        if not found:
            raise KeyError(run)
        connection = self._connection
        assert connection is not None  # runs() found it
        try:
            connection.execute("DELETE FROM run_blocks WHERE run_id = ?", (run,))
            connection.execute("DELETE FROM run_files WHERE run_id = ?", (run,))
            connection.execute("DELETE FROM runs WHERE id = ?", (run,))
            orphans = "SELECT id FROM blocks WHERE id NOT IN (SELECT block_id FROM run_blocks)"
            removed = sum(
                connection.execute(f"DELETE FROM {kind} WHERE block_id IN ({orphans})").rowcount
                for kind in ("activities", "metrics")
            )
            connection.execute(f"DELETE FROM blocks WHERE id IN ({orphans})")
            connection.execute("COMMIT")
            connection.execute("BEGIN IMMEDIATE")  # the reader's transaction, rolled back on closing
        except sqlite3.Error as exc:
            raise _explain(exc, self.path, self.timeout) from None
        return found[0], removed


def open_history(path: str | Path, timeout: float = BUSY_TIMEOUT, *, write: bool = True) -> History:
    """The history at ``path`` (a missing file reads as empty); close it, or use ``with``.

    ``write=True`` (a run, or forgetting a run) checks the file can be written and
    takes the write lock while open; ``write=False`` only reads.
    """
    return History(Path(path), timeout, write=write)


# --------------------------------------------------------------------------- recording a run


def record_run(
    path: str | Path,
    validated: ValidatedInputs,
    *,
    command: str,
    folder: str,
    timeout: float = BUSY_TIMEOUT,
    now: dt.datetime | None = None,
) -> int:
    """Record the rows a successful run read from the spreadsheets, in one transaction; returns its run number.

    ``validated`` must be the spreadsheets' rows only (not rows taken from the
    history). The file is created when missing; an interrupted or failed write
    leaves it as it was.
    """
    path = Path(path)
    _check_writable(path)
    if path.exists() and path.stat().st_size:
        _check_header(path)
    recorded_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    blocks = {
        kind: blocks_of(frame, kind)
        for kind, frame in (("activities", validated.activities), ("metrics", validated.metrics))
    }
    connection = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(path, timeout, mode="rwc")
        _set_journal(connection, path.parent)
        connection.execute("BEGIN IMMEDIATE")
        _migrate(connection, _version(connection, path))
        run = _insert_run(connection, validated, blocks, command, folder, recorded_at.isoformat(timespec="seconds"))
        connection.execute("COMMIT")
        return run
    except sqlite3.Error as exc:
        raise _explain(exc, path, timeout) from None
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise HistoryReadOnly(
                f"cannot write the history {path}: permission denied; choose another file "
                "with --history PATH, or run with --no-history"
            ) from None
        raise
    finally:
        if connection is not None:
            connection.close()  # rolls back anything not committed


def _insert_run(
    connection: sqlite3.Connection,
    validated: ValidatedInputs,
    blocks: dict[str, dict[tuple[str, Period], list[Record]]],
    command: str,
    folder: str,
    recorded_at: str,
) -> int:
    as_at = validated.as_at or max(validated.periods)
    cursor = connection.execute(
        "INSERT INTO runs (recorded_at, command, as_at, folder, activity_rows, metric_rows) VALUES (?, ?, ?, ?, ?, ?)",
        (recorded_at, command, as_at.label, folder, len(validated.activities), len(validated.metrics)),
    )
    run = cursor.lastrowid
    connection.executemany(
        "INSERT INTO run_files (run_id, name, sha256, bytes, rows) VALUES (?, ?, ?, ?, ?)",
        [(run, s.name, s.sha256, s.size, s.rows) for s in validated.sources],
    )
    known = dict(connection.execute("SELECT digest, id FROM blocks"))
    links = []
    for kind, by_key in blocks.items():
        new_rows = []
        for (partner, period), records in by_key.items():
            key = digest(kind, records)
            block = known.get(key)
            if block is None:
                block = connection.execute(
                    "INSERT INTO blocks (kind, partner, period, digest, rows) VALUES (?, ?, ?, ?, ?)",
                    (kind, partner, period.label, key, len(records)),
                ).lastrowid
                known[key] = block
                new_rows.extend((block, seq, *record) for seq, record in enumerate(records))
            links.append((run, block))
        columns = COLUMNS[kind]
        marks = ", ".join("?" * (len(columns) + 2))
        connection.executemany(f"INSERT INTO {kind} (block_id, seq, {', '.join(columns)}) VALUES ({marks})", new_rows)
    connection.executemany("INSERT OR IGNORE INTO run_blocks (run_id, block_id) VALUES (?, ?)", links)
    return run
