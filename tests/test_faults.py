"""Faults as they happen: a full disk under the reports and under the processed tables. The
previous good files stay, no temporary file is left, the message names the folder, and the next
run continues once there is room."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.atomic import write_text
from analysis.errors import InputError
from analysis.loaders import load_dataset
from analysis.loaders.dataset import processed_dir_of
from analysis.reporting import batch


def _leftovers(folder: Path) -> list[Path]:
    return [
        p
        for p in folder.rglob("*")
        if p.name.endswith(".tmp")
        or p.name.endswith(".failed.ipynb")
        or (p.name[:1] == "." and p.name[1:5].isdigit())
    ]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")

    def full(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    from analysis.atomic import write_atomically

    with pytest.raises(InputError) as caught:
        write_atomically(target, full)
    assert str(tmp_path) in str(caught.value) and "No space left" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"


def test_a_full_disk_under_the_processed_tables_names_the_folder(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, data, ignore=shutil.ignore_patterns("*.xlsx", "*.sav"))
    processed = tmp_path / "processed"

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    with pytest.raises(InputError) as caught:
        load_dataset(data, processed_dir=processed)
    assert str(processed) in str(caught.value) and "No space left" in str(caught.value)
    assert not processed.exists() or not any(processed.iterdir())
    monkeypatch.undo()
    ds = load_dataset(data, processed_dir=processed)  # the next run builds them
    assert (processed_dir_of(ds, processed) / "survey.parquet").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs (root only, as in CI); skipped where it cannot be mounted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """A file that leaves about ``leave`` bytes free on ``folder``'s disk."""
    free = shutil.disk_usage(folder).free
    filler = folder / "filler.bin"
    with open(filler, "wb") as fh:
        fh.truncate(0)
        fh.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.slow
def test_a_full_disk_under_the_reports_keeps_the_good_report(small_disk, tmp_path, capsys):
    out, processed = small_disk / "reports", tmp_path / "processed"
    args = {"partnership": "folehaven", "year": 2025, "workers": 1, "out_dir": str(out)}
    assert batch.run_reports(**args, processed_dir=processed) == 0
    good = (out / "folehaven" / "2025.html").read_bytes()
    filler = _fill(small_disk, leave=20_000)
    code = batch.run_reports(**args, force=True, processed_dir=processed)
    err = capsys.readouterr().err
    assert code == 1 and str(out) in err, err
    assert "Traceback" not in err, err
    assert (out / "folehaven" / "2025.html").read_bytes() == good  # the previous good report
    assert _leftovers(out) == [], _leftovers(out)
    filler.unlink()
    assert batch.run_reports(**args, force=True, processed_dir=processed) == 0  # continues
