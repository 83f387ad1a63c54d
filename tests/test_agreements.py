"""The agreements as data: encoded values checked against the seed texts, and strict loading."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from analysis import config
from analysis.agreements import agreement_for, load_agreement, load_agreements
from analysis.errors import InputError


@pytest.fixture(scope="module")
def agreements():
    return {a.id: a for a in load_agreements()}


def baselines(agreement):
    return {i.id: i.baseline for i in agreement.crime.indicators}


def test_all_five_agreements(agreements):
    assert sorted(agreements) == [
        "amager_2017_2020",
        "folehaven_2022_2025",
        "folehaven_2026_2029",
        "tingbjerg_husum_2017_2020",
        "tingbjerg_husum_2021_2024",
    ]


def test_tingbjerg_2015_baselines_from_seed_002(agreements):
    # seed 002, "Gerningstype Mål Baseline 2015 (antal anm.)"
    a = agreements["tingbjerg_husum_2017_2020"]
    assert a.crime.baseline_year == 2015
    assert baselines(a) == {
        "samlet_antal": 596,
        "indbrud": 145,
        "tyveri_roeveri": 323,
        "vold_trusler_vaaben": 86,
        "haervaerk": 42,
        "narkotika": 37,
        "chikane": 38,
    }
    assert [i.id for i in a.crime.monitored] == ["narkotika", "chikane"]
    # the total is the sum of the four target types
    assert 145 + 323 + 86 + 42 == 596


def test_amager_2015_baselines_and_ssp_from_seed_003(agreements):
    a = agreements["amager_2017_2020"]
    assert baselines(a) == {
        "samlet_antal": 263,
        "indbrud": 48,
        "tyveri_roeveri": 128,
        "vold_trusler_vaaben": 66,
        "haervaerk": 21,
        "narkotika": 24,
        "chikane": 37,
    }
    assert 48 + 128 + 66 + 21 == 263
    assert a.ssp is not None and (a.ssp.baseline_year, a.ssp.baseline) == (2016, 1)
    assert "Sundbyvester" in a.ssp.district
    assert a.period.start is None and a.period.first_year == 2017
    assert a.period.end == dt.date(2020, 12, 31)
    assert a.collaboration is None
    assert a.survey.every_year is False and a.survey.approach_city_by == 2020


def test_folehaven_2026_budget_and_safe_share_from_seed_004(agreements):
    a = agreements["folehaven_2026_2029"]
    assert a.budget.yearly_total_dkk == 1_467_000
    assert a.budget.project_management_dkk == 417_000
    assert a.budget.activity_funds_dkk == 1_050_000
    assert a.survey.indicators == ("safe_share", "safe_share_night")
    assert a.survey.direction == "increase"
    assert a.crime.targets[0].components == ("straffelov",)
    assert a.crime.baseline_year == 2025
    assert all(i.baseline is None and not i.baseline_stated for i in a.crime.targets)
    assert {"Bærhaven", "Elmehaven", "Elleparken"} <= set(a.area.estates)


def test_pending_baselines_and_collaboration(agreements):
    for key, year in [("tingbjerg_husum_2021_2024", 2020), ("folehaven_2022_2025", 2021)]:
        a = agreements[key]
        assert a.crime.baseline_year == year
        assert a.crime.targets[0].id == "borgervendt_per_1000"
        assert [i.id for i in a.crime.monitored] == ["chikane", "haervaerk", "narkotika", "trusler"]
        assert a.collaboration is not None and a.collaboration.min_share == 0.75
        assert a.survey.every_year is True


def test_budgets_from_seeds(agreements):
    assert agreements["folehaven_2022_2025"].budget.activity_funds_dkk == 900_000
    assert agreements["tingbjerg_husum_2021_2024"].budget.activity_funds_dkk == 1_900_000
    assert agreements["amager_2017_2020"].budget.activity_funds_dkk == 1_200_000


def test_agreement_for_year():
    assert agreement_for("folehaven", 2025).id == "folehaven_2022_2025"
    assert agreement_for("folehaven", 2026).id == "folehaven_2026_2029"
    assert agreement_for("tingbjerg_husum", 2020).id == "tingbjerg_husum_2017_2020"
    with pytest.raises(LookupError, match=r"2022–2025.*2026–2029"):
        agreement_for("folehaven", 2019)
    with pytest.raises(LookupError, match="unknown partnership"):
        agreement_for("vesterbro", 2022)


def _copy(tmp_path: Path, name: str = "folehaven_2022_2025.yaml") -> Path:
    target = tmp_path / name
    shutil.copy(config.AGREEMENTS_DIR / name, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "name: Tryghedspartnerskabet Folehaven",
            "nme: Tryghedspartnerskabet Folehaven",
            r"(?s)key 'name': missing.*key 'nme': unknown key \(did you mean 'name'\?\)",
        ),
        ("first_year: 2022", "first_year: 'twenty'", r"key 'period.first_year': expected a year"),
        ("end: 2025-12-31", "end: 2021-12-31", r"key 'period.end': 2021-12-31 is before"),
        (
            "components: [indbrud], role: target",
            "components: [indbrud, lommetyveri], role: target",
            r"crime.indicators\[1\].components': expected a list drawn from the crime categories",
        ),
        ("min_share: 0.75", "min_share: 75", r"collaboration.min_share': expected a share"),
        (
            "role: target, baseline: pending}",
            "role: target, baseline: -3}",
            r"crime.indicators\[0\].baseline': expected a non-negative number",
        ),
        ("direction: decrease", "direction: down", r"survey.direction"),
    ],
)
def test_malformed_agreement_names_file_and_key(tmp_path, old, new, message):
    path = _copy(tmp_path)
    _edit(path, old, new)
    with pytest.raises(InputError, match=message) as info:
        load_agreement(path)
    assert str(path) in str(info.value)


def test_invalid_yaml_syntax_names_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nperiod: [2020\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.yaml: line \d+, column \d+: not valid YAML"):
        load_agreement(path)


def test_baseline_added_later_needs_no_code_change(tmp_path):
    path = _copy(tmp_path)
    _edit(
        path,
        "unit: per_1000, components: [borgervendt], role: target, baseline: pending",
        "unit: per_1000, components: [borgervendt], role: target, baseline: 31.5",
    )
    a = load_agreement(path)
    assert a.crime.targets[0].baseline == 31.5 and a.crime.targets[0].baseline_stated


def test_overlapping_periods_are_an_error(tmp_path):
    _copy(tmp_path)
    other = _copy(tmp_path, "folehaven_2026_2029.yaml")
    _edit(other, "start: 2026-01-01", "start: 2025-01-01")
    _edit(other, "first_year: 2026", "first_year: 2025")
    with pytest.raises(InputError, match=r"overlaps folehaven_2022_2025\.yaml"):
        load_agreements(tmp_path)


def test_every_problem_of_an_agreement_is_listed_at_once(tmp_path):
    path = _copy(tmp_path)
    _edit(path, "first_year: 2022", "first_year: 'twenty'")
    _edit(path, "direction: decrease", "direction: down")
    _edit(path, "min_share: 0.75", "min_share: 75")
    with pytest.raises(InputError) as info:
        load_agreement(path)
    assert len(info.value.problems) == 3


def test_the_yaml_cannot_set_what_the_loader_records(tmp_path):
    # path and sha256 are the file's provenance, set by the loader; start may not be empty
    path = _copy(tmp_path)
    _edit(path, "name: Tryghedspartnerskabet Folehaven", "name: x\nsha256: abc\npath: /tmp/x")
    _edit(path, "start: 2022-01-01", "start: null")
    with pytest.raises(InputError) as info:
        load_agreement(path)
    text = str(info.value)
    assert "key 'sha256': unknown key" in text and "key 'path': unknown key" in text
    assert "key 'period.start': expected a date (YYYY-MM-DD) or 'signing_date', got None" in text


def test_ssp_district_is_the_reference_name_whatever_its_case(tmp_path):
    path = _copy(tmp_path, "amager_2017_2020.yaml")
    _edit(path, 'district: "15 Sundbyvester"', 'district: "15  SUNDBYVESTER"')
    assert load_agreement(path).ssp.district == "15 Sundbyvester"


def test_a_huge_value_is_not_repeated_in_the_message(tmp_path):
    path = _copy(tmp_path)
    _edit(path, "first_year: 2022", f"first_year: '{'x' * 100_000}'")
    with pytest.raises(InputError) as info:
        load_agreement(path)
    assert len(str(info.value)) < 1000


def test_validate_a_folder_of_agreements(tmp_path, capsys):
    from analysis.cli import main

    assert main(["validate", str(config.AGREEMENTS_DIR)]) == 0
    assert "5 valid agreements" in capsys.readouterr().out
    _copy(tmp_path)
    other = _copy(tmp_path, "folehaven_2026_2029.yaml")
    _edit(other, "start: 2026-01-01", "start: 2025-01-01")
    _edit(other, "first_year: 2026", "first_year: 2025")
    assert main(["validate", str(tmp_path)]) == 1
    assert "overlaps folehaven_2022_2025.yaml" in capsys.readouterr().err
