"""The history file: its schema and migrations, opening it, and what each SQLite failure means.

``PRAGMA application_id`` marks the file as ours and ``PRAGMA user_version`` is
its schema version; :data:`MIGRATIONS` brings an older file up to
:data:`SCHEMA_VERSION` inside the caller's transaction. WAL journal mode where
the file system allows it (not on network drives). Every SQLite error becomes
one of our history errors naming the file (:func:`explain`); a file that is not
ours is never written to. :mod:`boardpack.history` reads and writes through these.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .errors import HistoryDamaged, HistoryForeign, HistoryLocked, HistoryReadOnly

# Seconds to wait for another run (or program) to finish writing before giving up.
BUSY_TIMEOUT = 10.0

# "BPKH" in the database header: this file is a boardpack history.
APPLICATION_ID = 0x42504B48

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


def check_writable(path: Path) -> None:
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


def check_header(path: Path) -> None:
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


def explain(exc: sqlite3.Error, path: Path, timeout: float) -> Exception:
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


def connect(path: Path, timeout: float, *, mode: str) -> sqlite3.Connection:
    """A connection in autocommit mode (we BEGIN ourselves); ``mode`` is ro, rw or rwc (create)."""
    uri = f"{path.absolute().as_uri()}?mode={mode}"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)  # we BEGIN ourselves
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def file_version(connection: sqlite3.Connection, path: Path) -> int:
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


def migrate(connection: sqlite3.Connection, version: int) -> None:
    """Bring the schema from ``version`` to SCHEMA_VERSION; the caller holds the transaction."""
    for step in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[step]:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {step + 1}")
    if version < SCHEMA_VERSION:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def set_journal(connection: sqlite3.Connection, folder: Path) -> None:
    """WAL where the file system allows it; the rollback journal on network drives."""
    wanted = "delete" if _network_file_system(folder.resolve()) else "wal"
    try:
        current = connection.execute("PRAGMA journal_mode").fetchone()[0]
        if current != wanted:
            connection.execute(f"PRAGMA journal_mode = {wanted}")
    except sqlite3.OperationalError:
        pass  # another connection has it open: keep the mode it has
