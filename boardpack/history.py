"""The history: the validated rows of every successful run, kept in an embedded SQLite database.

A run reads the history before its summary (:func:`open_history`, then
:meth:`History.index` and :meth:`History.rows`: the rows of periods the
spreadsheets no longer hold) and writes it once, after its run folder has been
written (:func:`record_run`, one transaction). The ``history`` command lists,
forgets and exports runs through the same class. Nothing else opens the file.
Staff read docs/history.md; this docstring is for developers.

**Storage.** Rows are kept in *blocks*, one per (table, partner, period), and a
block is stored once however many runs read it: it is known by a SHA-256 digest
of its rows exactly as stored (``history_blocks.py``). A run is a row of ``runs``, the files it read
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
is never written to. Opening, schema and errors are in ``history_file.py``.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import HistoryDamaged, HistoryForeign, HistoryReadOnly
from .history_blocks import ACTIVITY_COLUMNS, COLUMNS, METRIC_COLUMNS, BlockRef, Record, blocks_of, digest, parse_label
from .history_file import (
    BUSY_TIMEOUT,
    SCHEMA_VERSION,
    check_header,
    check_writable,
    connect,
    explain,
    file_version,
    migrate,
    set_journal,
)
from .model import Period, ValidatedInputs

# The file name of the history inside the output folder, when --history is not given.
DEFAULT_NAME = "history.sqlite"


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
            check_writable(self.path)
        elif self.path.is_dir():
            raise HistoryForeign(f"the history path {self.path} is a folder; give the history file with --history PATH")
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        check_header(self.path)
        try:
            self._connection = connect(self.path, timeout, mode="rw" if write else "ro")
            try:
                self._connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                version = file_version(self._connection, self.path)
            except sqlite3.OperationalError:
                if write or os.access(self.path.parent, os.W_OK):
                    raise
                # A WAL file in a read-only folder: SQLite cannot make its shared-memory file there.
                # Read it as it is on disk (immutable), which is all a listing or an export needs.
                self._connection.close()
                self._connection = connect(self.path, timeout, mode="ro&immutable=1")
                self._connection.execute("BEGIN")
                version = file_version(self._connection, self.path)
            if version == 0:  # an empty database: nothing recorded yet
                self.close()
            elif version < SCHEMA_VERSION:
                if not write:
                    raise HistoryReadOnly(
                        f"the history {self.path} was written by an older boardpack and must be upgraded before it "
                        "can be read; run generate or charts once with write access to it"
                    )
                migrate(self._connection, version)  # rolled back on closing: the writer migrates for good
        except sqlite3.Error as exc:
            self.close()
            raise explain(exc, self.path, timeout) from None
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
            raise explain(exc, self.path, self.timeout) from None

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
            raise explain(exc, self.path, self.timeout) from None
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
    check_writable(path)
    if path.exists() and path.stat().st_size:
        check_header(path)
    recorded_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    blocks = {
        kind: blocks_of(frame, kind)
        for kind, frame in (("activities", validated.activities), ("metrics", validated.metrics))
    }
    connection = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = connect(path, timeout, mode="rwc")
        set_journal(connection, path.parent)
        connection.execute("BEGIN IMMEDIATE")
        migrate(connection, file_version(connection, path))
        run = _insert_run(connection, validated, blocks, command, folder, recorded_at.isoformat(timespec="seconds"))
        connection.execute("COMMIT")
        return run
    except sqlite3.Error as exc:
        raise explain(exc, path, timeout) from None
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
    assert run is not None  # an INSERT always sets it
    connection.executemany(
        "INSERT INTO run_files (run_id, name, sha256, bytes, rows) VALUES (?, ?, ?, ?, ?)",
        [(run, s.name, s.sha256, s.size, s.rows) for s in validated.sources],
    )
    known = dict(connection.execute("SELECT digest, id FROM blocks"))
    links = []
    for kind, by_key in blocks.items():
        new_rows: list[tuple[Any, ...]] = []
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
