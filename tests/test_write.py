"""The writer: all or nothing, the previous run untouched by a failed one."""

from __future__ import annotations

import os
import threading

import pytest

import boardpack.write
from boardpack.errors import OutputError
from boardpack.write import write_run


def _listing(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _beside(output):
    """Everything in the output folder: after any run, only run folders (no lock, no temporary folder)."""
    return sorted(p.name for p in output.iterdir())


def test_writes_every_file(tmp_path):
    folder = write_run(tmp_path / "run", {"a.txt": b"a", "charts/b.png": b"b"})
    assert _listing(folder) == ["a.txt", "charts", "charts/b.png"]
    assert (folder / "charts/b.png").read_bytes() == b"b"
    assert _beside(tmp_path) == ["run"]


def test_rerun_replaces_the_folder_whole(tmp_path):
    write_run(tmp_path / "run", {"old.txt": b"old", "keep.txt": b"1"})
    folder = write_run(tmp_path / "run", {"keep.txt": b"2"})
    assert _listing(folder) == ["keep.txt"]
    assert (folder / "keep.txt").read_bytes() == b"2"


class _Exploding(dict):
    """A set of files whose third file cannot be produced."""

    def items(self):
        for index, item in enumerate(super().items()):
            if index == 2:
                raise KeyboardInterrupt  # as if Ctrl-C arrived mid-write
            yield item


def test_interrupted_run_leaves_previous_run_and_no_temporary_folder(tmp_path):
    write_run(tmp_path / "run", {"pack.pdf": b"good"})
    with pytest.raises(KeyboardInterrupt):
        write_run(tmp_path / "run", _Exploding({"a": b"1", "b": b"2", "c": b"3", "d": b"4"}))
    assert (tmp_path / "run" / "pack.pdf").read_bytes() == b"good"
    assert _listing(tmp_path / "run") == ["pack.pdf"]
    assert _beside(tmp_path) == ["run"]


def test_a_failed_run_leaves_no_lock_file_or_temporary_folder(tmp_path):
    write_run(tmp_path / "run", {"pack.pdf": b"good"})
    with pytest.raises(ValueError, match="outside the run folder"):
        write_run(tmp_path / "run", {"a.txt": b"1", "../escape.txt": b"2"})
    assert _beside(tmp_path) == ["run"]
    assert _listing(tmp_path / "run") == ["pack.pdf"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(OutputError, match="permission denied"):
        write_run(locked / "run", {"a": b"1"})


def test_output_under_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_run(tmp_path / "file" / "run", {"a": b"1"})


def test_killed_between_renames_is_recovered_by_the_next_run(tmp_path):
    # The state a kill between the two renames leaves: only the retired folder.
    retired = tmp_path / ".run.old"
    retired.mkdir()
    (retired / "pack.pdf").write_bytes(b"previous")
    write_run(tmp_path / "other", {"x": b"1"})  # a run elsewhere does not touch it
    assert retired.exists()
    folder = write_run(tmp_path / "run", {"pack.pdf": b"new"})
    assert (folder / "pack.pdf").read_bytes() == b"new"
    assert not retired.exists()


def test_two_runs_at_once_each_leave_a_complete_folder(tmp_path):
    files_a = {f"{i}.txt": b"a" for i in range(50)}
    files_b = {f"{i}.txt": b"b" for i in range(50)}
    threads = [threading.Thread(target=write_run, args=(tmp_path / "run", f)) for f in (files_a, files_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    contents = {(tmp_path / "run" / name).read_bytes() for name in files_a}
    assert contents in ({b"a"}, {b"b"})  # one run's files, never a mixture
    assert _beside(tmp_path) == ["run"]


def test_runs_take_turns_although_each_removes_the_lock_file(tmp_path, monkeypatch):
    # Each run removes its lock file as it ends, while others wait on it: still one run at a time.
    # A run is inside from its check for an interrupted swap to the end of its own swap.
    guard, inside, most = threading.Lock(), [0], [0]
    restore, swap = boardpack.write._restore_interrupted_swap, boardpack.write._swap_into_place

    def entering(target):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        restore(target)

    def leaving(staging, target):
        try:
            swap(staging, target)
        finally:
            with guard:
                inside[0] -= 1

    monkeypatch.setattr(boardpack.write, "_restore_interrupted_swap", entering)
    monkeypatch.setattr(boardpack.write, "_swap_into_place", leaving)
    errors = []

    def runs(letter):
        try:
            for _ in range(5):
                write_run(tmp_path / "run", {f"{i}.txt": letter.encode() for i in range(40)})
        except BaseException as exc:  # reported below: a thread's failure would otherwise pass unseen
            errors.append(exc)

    threads = [threading.Thread(target=runs, args=(letter,)) for letter in "abcdef"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert most[0] == 1
    assert len({p.read_bytes() for p in (tmp_path / "run").iterdir()}) == 1
    assert _beside(tmp_path) == ["run"]
