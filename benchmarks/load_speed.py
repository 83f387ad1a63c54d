"""Load, validate and aggregate 1,000,000 respondent rows from parquet.

Goal (issue 4): at most 2 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _respondents import respondents

from analysis.loaders.survey import aggregate_microdata
from analysis.loaders.validation import load_file


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.parquet"
        respondents().to_parquet(path, index=False)
        load_file(path, "survey")  # warm up imports (pandera, pyarrow)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            _, df, _ = load_file(path, "survey")
            tidy = aggregate_microdata(df, example_data=False)
            times.append(time.perf_counter() - t)
    print(f"rows: {len(df):,}; tidy rows: {len(tidy)}")
    print(f"load + validate + aggregate: {min(times):.3f} s  (goal <= 2 s)")


if __name__ == "__main__":
    main()
