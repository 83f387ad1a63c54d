"""``python -m analysis stats``: one JSON object, or a one-line error with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.cli import main

KEYS = {"estimate", "ci_low", "ci_high", "p_value", "method"}


def run(capsys, *args):
    code = main(["stats", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_diff_prop_json(capsys):
    # Newcombe (1998b) Table II: method 5 (Mee, the default) 0.0533-0.3377; method 10 0.0524-0.3339
    code, out, _ = run(capsys, "diff-prop", "56", "70", "48", "80")
    data = json.loads(out)
    assert code == 0 and set(data) >= KEYS
    assert round(data["ci_low"], 4) == 0.0533 and round(data["ci_high"], 4) == 0.3377
    code, out, _ = run(capsys, "diff-prop", "56", "70", "48", "80", "--method", "newcomb")
    data = json.loads(out)
    assert round(data["ci_low"], 4) == 0.0524 and round(data["ci_high"], 4) == 0.3339


def test_diff_prop_design_effect_per_group(capsys):
    # a city sample with design effect 1.6 and an area sample with 1.2: n_eff = n / deff each
    code, out, _ = run(
        capsys, "diff-prop", "60", "300", "900", "6000", "--deff1", "1.2", "--deff2", "1.6"
    )
    data = json.loads(out)
    assert code == 0 and data["n"] == [250.0, 3750.0] and data["n_kind"] == "n_eff"
    code, out, _ = run(capsys, "diff-prop", "60", "300", "900", "6000")
    assert json.loads(out)["p_value"] < data["p_value"]  # deff 1 overstates the evidence


def test_calibrate_prints_the_false_alarm_rates(capsys):
    code, out, _ = run(capsys, "calibrate", "--sims", "100")
    rows = json.loads(out)["scenarios"]
    assert code == 0 and {r["scenario"] for r in rows} >= {"police counts φ=4, no change"}
    assert all(0 <= r["significant"] <= 1 for r in rows)


@pytest.mark.parametrize(
    "args",
    [
        ["prop", "30", "200", "--method", "jeffreys"],
        ["trend", "83/86", "90/93", "129/136", "70/82"],
        ["rate-ratio", "11", "800", "21", "3011", "--alternative", "larger"],
        ["mde", "0.15", "300", "280"],
        ["diff-prop", "30", "200", "40", "210", "--deff", "1.4", "--method", "agresti-caffo"],
    ],
)
def test_each_subcommand_prints_the_keys(capsys, args):
    code, out, _ = run(capsys, *args)
    assert code == 0 and set(json.loads(out)) >= KEYS


def test_trend_statistic_is_chi_square(capsys):
    _, out, _ = run(capsys, "trend", "83/86", "90/93", "129/136", "70/82")
    assert round(json.loads(out)["statistic"], 4) == 8.2249


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["prop", "5", "3"], "count = 5.0 is larger than nobs = 3.0"),
        (["prop", "x", "3"], "invalid float value"),
        (["trend", "3-10"], "expected X/N"),
        (["diff-prop", "-1", "10", "2", "10"], "count1 must be at least 0"),
        (["rate-ratio", "1", "0", "2", "10"], "exposure1 must be greater than 0"),
        (["mde", "15", "300", "300"], "share must be at most 1"),
    ],
)
def test_bad_arguments_one_line_exit_2(capsys, args, message):
    with pytest.raises(SystemExit) as info:
        code = main(["stats", *args])
        raise SystemExit(code)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point():
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "stats", "prop", "17", "100"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out)["method"] == "wilson"
