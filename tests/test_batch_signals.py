"""The batch as a user stops it: Ctrl-C (SIGINT) or SIGTERM while reports render. It stops at
once with a one-line summary and exit code 130, kills its kernels, leaves no temporary or IPC
folder and no lock, keeps what finished, and the next run continues from there."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import config

#: several minutes of batches and browsers: left out of make test-fast
pytestmark = pytest.mark.slow


def _start(out: Path, tmp: Path, ignore_sigint: bool = False) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"}

    def background():  # as `... &` in a script: the shell starts it with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    args = ["reports", "--partnership", "folehaven", "--workers", "2", "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "analysis", *args],
        cwd=config.PROJ_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=background if ignore_sigint else None,
    )


def _wait_for_first_report(proc: subprocess.Popen) -> list[str]:
    """stderr lines up to the first finished evaluation (one line each when not a terminal)."""
    lines = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("[1/"):
            return lines
    pytest.fail(f"the batch never finished a first report: {''.join(lines)}")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_batch_stops_cleanly_and_resumes(tmp_path, sig):
    out, tmp = tmp_path / "reports", tmp_path / "tmp"
    tmp.mkdir()
    proc = _start(out, tmp)
    _wait_for_first_report(proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    # stopped at once: no evaluation finished after the signal, beyond the ones the two
    # workers had in hand (an event, not a wall-clock limit, which a loaded machine breaks)
    finished_after = [line for line in err.splitlines() if line.startswith("[")]
    assert len(finished_after) <= 2, f"the batch kept rendering after the signal: {err}"
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted:" in err, err
    assert not (out / ".batch.lock").exists()
    assert not list(out.rglob(".[0-9][0-9][0-9][0-9]-*")), "temporary report folders left"
    assert not list(out.glob(".drawings-*")), "the run's drawings folder was left"
    assert not list(tmp.glob("kernel-ipc-*")), "kernel IPC folders left"
    # the reports recorded as finished are there (a worker killed as it finished one may
    # leave its files unrecorded: the next run makes that one again)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recorded = sorted(k for k in manifest if "/" in k and not k.startswith("status/"))
    assert recorded, "a finished report was not kept"
    for name in recorded:
        assert (out / f"{name}.html").exists() and (out / f"{name}.json").exists(), name
    if sig == signal.SIGINT:  # the next run picks up where this one stopped
        again = _start(out, tmp)
        _, err = again.communicate(timeout=900)
        assert again.returncode == 0, err
        assert f"{len(recorded)} unchanged (skipped)" in err, err
        assert "PDF skipped" not in err, err


def test_kill_9_of_the_batch_stops_its_workers(tmp_path):
    # the batch's main process dies without a word: its workers must die with it, and nothing
    # may be written into the output afterwards
    import psutil

    out, tmp = tmp_path / "reports", tmp_path / "tmp"
    tmp.mkdir()
    proc = _start(out, tmp)
    _wait_for_first_report(proc)
    workers = psutil.Process(proc.pid).children()
    assert workers, "the batch has no worker processes"
    proc.kill()
    proc.wait(timeout=30)
    _gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"workers outlived the batch: {alive}"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    time.sleep(5)
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before, "something wrote into the output after the batch was killed"


def test_a_backgrounded_batch_still_stops_on_sigint(tmp_path):
    out, tmp = tmp_path / "reports", tmp_path / "tmp"
    tmp.mkdir()
    proc = _start(out, tmp, ignore_sigint=True)
    _wait_for_first_report(proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted:" in err and not (out / ".batch.lock").exists(), err


@pytest.mark.parametrize("where", ["_status_pdfs", "_index_and_results"])
def test_a_signal_after_the_reports_stops_the_run_as_cleanly(tmp_path, monkeypatch, capsys, where):
    # Ctrl-C while the PDFs print or the index is written (the signal raises KeyboardInterrupt
    # where the batch then is): exit 130, no lock or temporary folder left, the finished
    # report kept, and the next run makes what was cut short

    from analysis.reporting import batch

    out = tmp_path / "reports"
    run = {"partnership": "folehaven", "year": 2025, "workers": 1, "out_dir": str(out)}
    run["processed_dir"] = tmp_path / "processed"
    real = getattr(batch, where)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, where, interrupted)
    assert batch.run_reports(**run) == 130
    assert "interrupted: 1 of 1 evaluations finished and kept" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "folehaven/2025" in manifest
    # a status document counts as made with its PDF
    assert ("status/2025" in manifest) == (where == "_index_and_results")
    assert "index" not in manifest

    monkeypatch.setattr(batch, where, real)
    assert batch.run_reports(**run) == 0
    err = capsys.readouterr().err
    assert "1 unchanged (skipped)" in err, err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "index" in manifest and (out / "index.html").exists()
    assert (out / "status" / "2025.html").exists()


def test_a_signal_while_the_batch_waits_for_its_workers_is_raised_after_the_wait():
    # raised inside concurrent.futures.wait, an interrupt can leave a future's lock held, and
    # the pool's shutdown then never ends: there it is raised when the wait returns
    from analysis.reporting import batch

    batch._SIGNALS.update(deferred=False, pending=False, raised=False)
    reached = False
    with pytest.raises(KeyboardInterrupt), batch._interrupts_deferred():
        batch._raise_interrupt(signal.SIGTERM, None)  # nothing is raised in the wait
        reached = True
    assert reached
    batch._raise_interrupt(signal.SIGINT, None)  # the batch is stopping: a second is dropped
    batch._SIGNALS.update(raised=False)
    with pytest.raises(KeyboardInterrupt):  # anywhere else it is raised at once
        batch._raise_interrupt(signal.SIGINT, None)
    batch._SIGNALS.update(raised=False)
