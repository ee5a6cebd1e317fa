"""The only stage that writes files: a run's files go into a temporary folder
beside the target, which is swapped into place only when every file is written.

A failed or interrupted run therefore leaves the previous run folder as it was,
and never a mixture of old and new files. Two runs into the same folder take
turns through a lock file (``filelock``: ``flock`` on Linux and macOS, the
Windows lock on Windows) that is removed when the run ends, however it ends.
:func:`write_file` does the same for one file (``history --export``). The
history database is written by SQLite, in one transaction (boardpack/history.py).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from .errors import OutputError


@contextmanager
def _run_lock(parent: Path, name: str) -> Iterator[None]:
    """One run at a time per run folder; a second run waits for the first.

    The lock file is removed before the lock is let go, on success, failure
    and Ctrl-C alike, so no run leaves it behind. A run waiting on the removed
    file then finds it gone and locks a new one (filelock checks for this), so
    two runs never hold the lock at once. On Windows an open file cannot be
    removed; there filelock removes it as it lets go.
    """
    lock_path = parent / f".{name}.lock"
    with FileLock(lock_path):
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                lock_path.unlink()


def _explain(exc: OSError, where: Path) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write to {where}: permission denied; choose another --output folder"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk holding {where} is full; free some space and run again"
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return f"cannot write to {where}: part of that path is a file, not a folder; choose another --output folder"
    return f"cannot write to {where}: {exc.strerror or exc}"


def check_writable(folder: str | Path) -> None:
    """Raise OutputError now, before any work, if run folders cannot be written into ``folder``.

    Creates nothing: a folder that does not exist yet is judged by the nearest
    one above it that does. ``write_run`` still reports anything this cannot
    foresee (a full disk).
    """
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(_explain(OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)), folder))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(_explain(OSError(errno.EACCES, os.strerror(errno.EACCES)), folder))


def write_run(target: str | Path, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (relative path -> bytes) as the folder ``target``, all or nothing."""
    target = Path(target)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(_explain(exc, parent)) from None

    try:
        with _run_lock(parent, target.name):
            _restore_interrupted_swap(target)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
            try:
                for relative, data in sorted(files.items()):
                    if Path(relative).is_absolute() or ".." in Path(relative).parts:
                        raise ValueError(f"{relative!r} would be written outside the run folder")
                    path = staging / relative
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                _swap_into_place(staging, target)
            except BaseException:  # Ctrl-C included: never leave a half-written folder behind
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except OSError as exc:
        raise OutputError(_explain(exc, parent)) from None
    return target


def _swap_into_place(staging: Path, target: Path) -> None:
    staging.chmod(0o755)  # mkdtemp makes it private; a run folder is shared like any other
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}.old")
    _remove(retired)
    os.replace(target, retired)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired, target)  # the previous run goes back where it was
        raise
    _remove(retired)


def _remove(path: Path) -> None:
    """Remove a folder (or a file where a run folder was expected); never raise."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _restore_interrupted_swap(target: Path) -> None:
    """If a run was killed between the two renames, put the previous folder back."""
    retired = target.with_name(f".{target.name}.old")
    if retired.exists():
        if target.exists():
            _remove(retired)
        else:
            os.replace(retired, target)
    for leftover in target.parent.glob(f".{target.name}.new-*"):
        _remove(leftover)


def write_file(target: str | Path, data: bytes) -> Path:
    """Write one file whole or not at all: a temporary file beside it, then renamed over it."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.new-", dir=target.parent)
    except OSError as exc:
        raise OutputError(_explain(exc, target.parent).replace("--output folder", "file")) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; an export is shared like any other file
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(_explain(exc, target).replace("--output folder", "file")) from None
        raise
    return target
