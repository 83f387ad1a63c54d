"""One content key for every cache: an edit to one file of each kind re-makes exactly the outputs
made from it (and the processed tables are rebuilt exactly when their key changes)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.content_key import DEPENDS, content_key, source_digests
from analysis.loaders import load_dataset
from analysis.reporting import uptodate

OUTPUTS = tuple(DEPENDS)
TASKS = ({"partnership": "amager", "year": 2019}, {"partnership": "folehaven", "year": 2025})


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A copy of every source of the key, with the configuration pointing at it."""
    copies = {
        "PACKAGE_DIR": config.PACKAGE_DIR,
        "AGREEMENTS_DIR": config.AGREEMENTS_DIR,
        "REFERENCE_DIR": config.REFERENCE_DIR,
        "PUBLISHED_DIR": config.PUBLISHED_DIR,
    }
    for name, src in copies.items():
        dst = tmp_path / name.lower()
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        monkeypatch.setattr(config, name, dst)
    for name in ("EVALUATION_TEMPLATE", "ASSUMPTIONS_LOG"):
        dst = tmp_path / getattr(config, name).name
        shutil.copy(getattr(config, name), dst)
        monkeypatch.setattr(config, name, dst)
    data = tmp_path / "data"
    shutil.copytree(config.EXAMPLE_DIR, data)
    return tmp_path, data


def _inputs(data: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data.iterdir())}


def _keys(data: Path) -> dict[tuple[str, str], str]:
    sources, inputs = source_digests(), _inputs(data)
    return {
        (out, f"{t['partnership']}/{t['year']}"): content_key(out, data, inputs, t, sources)
        for out in OUTPUTS
        for t in TASKS
    }


def _changed(before: dict, after: dict) -> set[str]:
    return {out for (out, _), key in after.items() if before[(out, _)] != key}


def _append(path: Path, text: str) -> None:
    with path.open("ab") as fh:  # bytes: some inputs are not UTF-8
        fh.write(text.encode())


EVERYTHING = set(OUTPUTS)
NOT_TABLES = EVERYTHING - {"tables"}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ("package_dir/indicators.py", EVERYTHING),
        ("package_dir/config.py", EVERYTHING),
        ("package_dir/templates/report.css", EVERYTHING),
        ("package_dir/templates/status.html.j2", EVERYTHING),
        ("agreements_dir/folehaven_2022_2025.yaml", EVERYTHING),
        ("reference_dir/areas.csv", EVERYTHING),
        ("published_dir/figures.csv", NOT_TABLES),
        ("evaluation.ipynb", {"report", "batch"}),
        ("assumptions.md", {"report", "batch"}),
        ("data/survey.csv", EVERYTHING),
    ],
)
def test_an_edit_remakes_exactly_what_is_made_from_it(tree, edit, expected):
    root, data = tree
    before = _keys(data)
    _append(root / edit, "\n")
    after = _keys(data)
    assert _changed(before, after) == expected
    # every partnership-year of a changed output changes with it
    assert all(after[k] != before[k] for k in after if k[0] in expected)


def test_parameters_and_the_data_folder_identity_are_in_the_key(tree, tmp_path):
    _, data = tree
    sources, inputs = source_digests(), _inputs(data)
    a, b = (content_key("report", data, inputs, t, sources) for t in TASKS)
    assert a != b
    twin = tmp_path / "twin"
    shutil.copytree(data, twin)  # the same bytes, another folder: never one cache
    assert content_key("report", twin, inputs, TASKS[0], sources) != a


def test_processed_tables_are_rebuilt_exactly_when_their_key_changes(tree, tmp_path):
    root, data = tree
    processed = tmp_path / "processed"

    def manifest_time() -> int:
        (folder,) = [p for p in processed.iterdir() if p.is_dir()]
        return (folder / "manifest.json").stat().st_mtime_ns

    load_dataset(data, processed_dir=processed)
    first = manifest_time()
    _append(root / "evaluation.ipynb", "\n")  # the notebook does not shape the tables
    load_dataset(data, processed_dir=processed)
    assert manifest_time() == first
    _append(root / "package_dir" / "indicators.py", "\n# edited\n")
    load_dataset(data, processed_dir=processed)
    assert manifest_time() != first


def test_a_no_change_rerun_is_decided_from_the_recorded_key(tree, tmp_path, capsys):
    root, data = tree
    out = tmp_path / "reports"
    out.mkdir()
    key = uptodate.check(None, None, str(data), out, None, False)
    output = out / "index.html"
    output.write_text("x", encoding="utf-8")
    manifest: dict = {}
    uptodate.record(manifest, key, [output], 17)
    (out / uptodate.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert uptodate.check(None, None, str(data), out, None, False) is None
    assert "17 evaluations: 0 rendered, 17 unchanged (skipped)" in capsys.readouterr().err
    # forced, another request, an edited input, a missing output or a running batch: work to do
    assert uptodate.check(None, None, str(data), out, None, False, force=True) == key
    assert uptodate.check("amager", None, str(data), out, None, False) is not None
    (out / uptodate.LOCK).write_text("1", encoding="utf-8")
    assert uptodate.check(None, None, str(data), out, None, False) is not None
    (out / uptodate.LOCK).unlink()
    _append(data / "police.csv", "\n")
    assert uptodate.check(None, None, str(data), out, None, False) is not None
    _append(root / "package_dir" / "config.py", "\n")
    output.unlink()
    assert uptodate.unchanged(out, key) is None
