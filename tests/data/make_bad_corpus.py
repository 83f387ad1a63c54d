"""Write the corpus of malformed input files in tests/data/bad/ (run once; files are committed).

Each file breaks one rule; tests/test_loaders_bad_input.py asserts the message for each.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

OUT = Path(__file__).parent / "bad"
S = "respondent_id,year,district,area,weight,safety,safety_night"
OK1 = "2020-1,2020,valby,folehaven,1.2,tryg,utryg"
OK2 = "2020-2,2020,amager_vest,,0.8,meget tryg,hverken tryg eller utryg"
A = "area,year,indicator,share,count,n,deff"
P = "area,year,crime_type,count"

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
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, text in TEXT.items():
        (OUT / name).write_text(text, encoding="utf-8")
    (OUT / "empty.csv").write_bytes(b"")
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
