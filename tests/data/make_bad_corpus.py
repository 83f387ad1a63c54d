"""Write the corpus of malformed inputs in tests/data/bad/ (run once; the files are committed).

Each file (or, for ``dataset.yaml``, each folder ``dataset_*``) breaks one rule;
tests/test_loaders_bad_input.py runs every one through the command line and asserts the message,
the exit code and that nothing was written.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import openpyxl

OUT = Path(__file__).parent / "bad"
S = "respondent_id,year,district,area,weight,safety,safety_night"
OK1 = "2020-1,2020,valby,folehaven,1.2,tryg,utryg"
OK2 = "2020-2,2020,amager_vest,,0.8,meget tryg,hverken tryg eller utryg"
A = "area,year,indicator,share,count,n,deff"
P = "area,year,crime_type,count"
SEMI = S.replace(",", ";")
AGREEMENT = Path(__file__).parents[2] / "data" / "raw" / "agreements" / "folehaven_2022_2025.yaml"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)

#: a valid survey of 40 respondents with ordinary weights, for the weight cases
MANY = "\n".join(
    f"2020-{i},2020,valby,folehaven,{0.8 + i % 5 / 10:.1f},tryg,utryg" for i in range(40)
)
ACT = "partnership,year,activity,partners"

TEXT = {
    "survey_missing_column.csv": "respondent_id,year,district,area,safety,safety_night\n"
    "2020-1,2020,valby,folehaven,tryg,utryg\n",
    "survey_misspelled_column.csv": S.replace("weight", "wieght") + f"\n{OK1}\n",
    "survey_extra_column.csv": S + ",age\n" + OK1 + ",34\n",
    "survey_weight_text.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,abc,tryg,tryg\n",
    "survey_weight_zero.csv": f"{S}\n2020-1,2020,valby,folehaven,0,tryg,utryg\n{OK2}\n",
    "survey_weight_negative.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,-1.5,tryg,tryg\n",
    "survey_empty_weight.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,,tryg,tryg\n",
    "survey_answer_outside_scale.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,1.0,ret tryg,tryg\n",
    "survey_unknown_district.csv": f"{S}\n{OK1}\n2020-2,2020,hellerup,,1.0,tryg,tryg\n",
    "survey_unknown_area.csv": f"{S}\n{OK1}\n2020-2,2020,valby,vesterbro,1.0,tryg,tryg\n",
    "survey_year_outside.csv": f"{S}\n{OK1}\n2031-2,2031,valby,,1.0,tryg,tryg\n",
    "survey_year_decimal.csv": f"{S}\n{OK1}\n2020-2,2020.5,valby,,1.0,tryg,tryg\n",
    "survey_duplicate_id.csv": f"{S}\n{OK1}\n{OK2}\n{OK1.replace('1.2', '0.9')}\n",
    "survey_area_wrong_district.csv": f"{S}\n2020-1,2020,amager_vest,folehaven,1.0,tryg,tryg\n",
    "survey_missing_field.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,1.0,tryg\n",
    "survey_header_only.csv": f"{S}\n",
    "survey_no_delimiter.csv": "respondent_id year district\n1 2020 valby\n",
    "aggregate_percentages.csv": f"{A}\nfolehaven,2021,unsafe_share,17,,300,\n"
    "folehaven,2020,unsafe_share,16,,290,\n",
    "aggregate_share_above_one.csv": f"{A}\nfolehaven,2021,unsafe_share,0.17,,300,\n"
    "folehaven,2020,unsafe_share,1.6,,290,\n",
    "aggregate_count_above_n.csv": f"{A}\nfolehaven,2021,unsafe_share,,320,300,\n",
    "aggregate_share_and_count.csv": f"{A}\nfolehaven,2021,unsafe_share,0.17,51,300,\n",
    "aggregate_negative_count.csv": f"{A}\nfolehaven,2021,unsafe_share,,-4,300,\n",
    "aggregate_unknown_indicator.csv": f"{A}\nfolehaven,2021,utryghed,0.17,,300,\n",
    "aggregate_deff_below_one.csv": f"{A}\nfolehaven,2021,unsafe_share,0.17,,300,0.5\n",
    # issue 20: a weight an export multiplied; look-alike and invisible characters
    "survey_weight_extreme.csv": f"{S}\n{MANY}\n2020-99,2020,valby,folehaven,1000000,utryg,utryg\n",
    "survey_id_scientific.csv": f"{S}\n1.23457E+11,2020,valby,folehaven,1.0,tryg,tryg\n"
    "1.23457E+11,2020,valby,folehaven,1.1,utryg,tryg\n",
    "survey_weight_r_na.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,NA,tryg,tryg\n",
    "survey_area_cyrillic.csv": f"{S}\n2020-1,2020,valby,F\u043elehaven,1.0,tryg,tryg\n",
    "activities_zero_width.csv": f"{ACT}\nfolehaven,2024,Tryghedsvandring,3B; Politi\n"
    "folehaven,2024,Trygheds\u200bvandring,3B; Politi\n",
    "activities_nfd.csv": f"{ACT}\nfolehaven,2024,Gårdfest,3B; Politi\n"
    "folehaven,2024,Ga\u030ardfest,3B; Politi\n",
    "activities_cyrillic.csv": f"{ACT}\nfolehaven,2024,Tryghedsvandring,3B; Politi\n"
    "folehaven,2024,Tryghedsv\u0430ndring,3B; Politi\n",
    "police_unknown_crime_type.csv": f"{P}\nfolehaven,2020,Lommetyveri,12\n",
    "police_negative_count.csv": f"{P}\nfolehaven,2020,Tyveri,-3\n",
    "police_duplicate.csv": f"{P}\nfolehaven,2020,Tyveri,12\nfolehaven,2020,Tyveri,14\n",
    "police_unknown_area.csv": f"{P}\nvalby,2020,Tyveri,12\n",
    "population_zero_residents.csv": "area,year,residents\nfolehaven,2020,0\n",
    "population_text_residents.csv": "area,year,residents\nfolehaven,2020,ca. 2000\n",
    "activities_unknown_partnership.csv": "partnership,year,activity,partners\n"
    "vesterbro,2022,Tryghedsvandring,Politi; SSP\n",
    "ssp_count_decimal.csv": "year,district,count\n2016,15 Sundbyvester,1.5\n",
    "unknown_kind.csv": "foo,bar\n1,2\n",
    "survey.json": '{"respondent_id": 1}\n',
    "broken.xlsx": "this is not a workbook\n",
    "broken.sav": "this is not an SPSS file\n",
    # issue 11: inputs that once passed and changed a verdict, and their neighbours
    "survey_decimal_mixed.csv": f"{SEMI}\na;2025;valby;folehaven;11.45;tryg;utryg\n"
    "b;2025;valby;;4,8;tryg;tryg\n",
    "survey_grouping_odd.csv": f"{SEMI}\na;2025;valby;;1.23,5;tryg;utryg\n",
    "survey_weight_inf.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,inf,tryg,tryg\n",
    "survey_weight_overflow.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,1e999,tryg,tryg\n",
    "survey_weight_nan.csv": f"{S}\n{OK1}\n2020-2,2020,valby,,nan,tryg,tryg\n",
    "survey_stray_quote.csv": f"{S}\n"
    + "".join(f"2020-{i},2020,valby,,1.0,tryg,tryg\n" for i in range(1, 10))
    + '2020-10,2020,valby,,1.0,"tryg,tryg\n'
    + "".join(f"2020-{i},2020,valby,,1.0,tryg,tryg\n" for i in range(11, 40)),
    "police_total_and_subtypes.csv": f"{P}\nfolehaven,2020,Indbrud,7\n"
    "folehaven,2020,Indbrud i beboelse,4\nfolehaven,2020,Indbrud i forretning,2\n",
    "police_future_year.csv": f"{P}\nfolehaven,2029,Tyveri,12\n",
    "police_count_overflow.csv": f"{P}\nfolehaven,2020,Tyveri,99999999999999999999\n",
    "population_tiny.csv": "area,year,residents\nfolehaven,2020,1\n",
    "activities_no_partner.csv": "partnership,year,activity,partners\n"
    'folehaven,2022,Tryghedsvandring,";;"\n',
    "activities_duplicate_case.csv": "partnership,year,activity,partners\n"
    "folehaven,2022,Tryghedsvandring,Politi; SSP\nfolehaven,2022,TRYGHEDSVANDRING ,Politi; SSP\n",
    "ssp_unknown_district.csv": "year,district,count\n2016,16 Sundby,1\n",
    # agreements (validated by `python -m analysis validate FILE.yaml`)
    "agreement_list.yaml": "- id: folehaven_2022_2025\n- partnership: folehaven\n",
    "agreement_syntax.yaml": "id: folehaven_2022_2025\nperiod: [2022\n",
    "agreement_python_tag.yaml": "id: !!python/object/apply:os.system [echo hi]\n",
    "agreement_billion_laughs.yaml": LAUGHS,
}

#: agreements made from a real one by one edit: (file, old text, new text)
AGREEMENT_EDITS = {
    "agreement_duplicate_key.yaml": (
        "direction: decrease",
        "direction: decrease\n  direction: increase",
    ),
    "agreement_unknown_area.yaml": ("survey_area: folehaven", "survey_area: vesterbro"),
    "agreement_wrong_district.yaml": ("  district: valby", "  district: amager_vest"),
    "agreement_target_without_baseline.yaml": ("role: target, baseline: pending}", "role: target}"),
    "agreement_baseline_after_period.yaml": ("baseline_year: 2021", "baseline_year: 2027"),
    "agreement_components_twice.yaml": (
        "components: [vold_vaaben]",
        "components: [vold_vaaben, vold_vaaben]",
    ),
    "agreement_components_total.yaml": (
        "components: [indbrud]",
        "components: [indbrud, borgervendt]",
    ),
    "agreement_unknown_ssp_district.yaml": (
        "ssp: null",
        "ssp: {district: 16 Sundby, baseline_year: 2016, baseline: 1, target: at_most_baseline,"
        " text: SSP}",
    ),
}

#: data folders whose dataset.yaml is wrong; every folder also holds a valid survey.csv
DATASETS = {
    "dataset_outside": "name: x\nsynthetic: true\nfiles:\n  survey: ../survey_missing_column.csv\n",
    "dataset_absolute": "name: x\nsynthetic: true\nfiles:\n  survey: /etc/hostname\n",
    "dataset_symlink_out": "name: x\nsynthetic: true\nfiles:\n  survey: link.csv\n",
    "dataset_syntax": "name: x\nsynthetic: true\nfiles: [survey.csv\n",
    "dataset_python_tag": "name: !!python/object/apply:os.system [echo hi]\nsynthetic: true\n",
    "dataset_list": "- name: x\n- synthetic: true\n",
    "dataset_entry_mapping": "name: x\nsynthetic: true\nfiles:\n  survey: {file: survey.csv}\n",
    "dataset_folder_as_file": "name: x\nsynthetic: true\nfiles:\n  survey: sub\n",
    "dataset_duplicate_key": "name: x\nsynthetic: true\nfiles:\n  survey: survey.csv\n"
    "  survey: survey.csv\n",
    "dataset_unknown_kind": "name: x\nsynthetic: true\nfiles:\n  surveys: survey.csv\n",
    "dataset_billion_laughs": LAUGHS + "name: x\nsynthetic: true\nfiles: {survey: survey.csv}\n",
    "dataset_missing_file": "name: x\nsynthetic: true\nfiles:\n  survey: tryghed.csv\n",
    "dataset_values_merged": "name: x\nsynthetic: true\nfiles:\n  survey:\n    path: survey.csv\n"
    "    values:\n      safety: {1: meget tryg, 2: tryg, 3: tryg}\n",
    "dataset_merge_unknown": "name: x\nsynthetic: true\nfiles:\n  survey:\n    path: survey.csv\n"
    "    merge: [area]\n",
    "dataset_cp1252": "name: x\nsynthetic: true\ndescription: Ældre data\nfiles:\n"
    "  survey: survey.csv\n",
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, text in TEXT.items():
        (OUT / name).write_text(text, encoding="utf-8")
    real = AGREEMENT.read_text(encoding="utf-8")
    for name, (old, new) in AGREEMENT_EDITS.items():
        assert old in real, old
        (OUT / name).write_text(real.replace(old, new, 1), encoding="utf-8")
    for name, text in DATASETS.items():
        folder = OUT / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        encoding = "cp1252" if name.endswith("cp1252") else "utf-8"
        (folder / "dataset.yaml").write_text(text, encoding=encoding)
        (folder / "survey.csv").write_text(f"{S}\n{OK1}\n", encoding="utf-8")
    (OUT / "dataset_folder_as_file" / "sub").mkdir()
    (OUT / "dataset_folder_as_file" / "sub" / ".keep").write_text("", encoding="utf-8")
    os.symlink("../survey_missing_column.csv", OUT / "dataset_symlink_out" / "link.csv")
    (OUT / "agreement_cp1252.yaml").write_bytes(real.encode("cp1252", errors="replace"))
    # a byte-order mark promises UTF-8; the rest is Windows-1252
    (OUT / "survey_bom_not_utf8.csv").write_bytes(
        b"\xef\xbb\xbf" + f"{S}\n2020-1,2020,valby,,1.0,tryg,tryg\n# Hærværk\n".encode("cp1252")
    )
    (OUT / "empty.csv").write_bytes(b"")
    # a workbook whose XML declares an external entity (XXE): refused, in one line
    with zipfile.ZipFile(OUT / "survey_xxe.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<workbook><sheets><sheet name="&xxe;"/></sheets></workbook>',
        )
    (OUT / "binary.csv").write_bytes(bytes(range(256)) * 4)
    # cp1252 bytes (0xe6 = æ) in a file the user declares as UTF-8
    (OUT / "police_cp1252.csv").write_bytes(f"{P}\nfolehaven,2020,Hærværk,5\n".encode("cp1252"))
    # UTF-8 that went through cp1252 once too often: 'Hærværk' -> 'HÃ¦rvÃ¦rk'
    (OUT / "police_mojibake.csv").write_text(
        f"{P}\nfolehaven,2020,{'Hærværk'.encode().decode('cp1252')},5\n", encoding="utf-8"
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tryghedsundersøgelsen 2020 - besvarelser"])
    ws.append([])
    ws.append(S.split(","))
    ws.append(OK1.split(","))
    wb.save(OUT / "survey_title_row.xlsx")


if __name__ == "__main__":
    main()
