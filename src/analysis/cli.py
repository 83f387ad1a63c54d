"""The command line: ``python -m analysis {stats,validate,evaluate,reports} ...``.

Bad arguments give a one-line error and exit status 2; a data problem gives the file's problems
and exit status 1. No traceback reaches the user for either.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _json(obj: dict) -> str:
    def clean(v):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            return None if math.isnan(v) else str(v)
        return v

    return json.dumps({k: clean(v) for k, v in obj.items()}, ensure_ascii=False, default=str)


def _fraction(text: str) -> tuple[int, int]:
    try:
        x, n = text.split("/")
        return int(x), int(n)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected X/N with whole numbers, got {text!r}") from None


def _add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="quick significance checks; prints one JSON object")
    s = p.add_subparsers(dest="test", required=True, parser_class=_Parser)
    q = s.add_parser("prop", help="a share with its CI")
    q.add_argument("x", type=float)
    q.add_argument("n", type=float)
    q.add_argument("--method", default="wilson", choices=["wilson", "clopper-pearson", "jeffreys"])
    q.add_argument("--deff", type=float, default=1.0)
    q = s.add_parser("diff-prop", help="X1/N1 - X2/N2 with CI and p-value")
    for a in ("x1", "n1", "x2", "n2"):
        q.add_argument(a, type=float)
    q.add_argument(
        "--method", default="score", choices=["score", "newcomb", "wald", "agresti-caffo"]
    )
    q.add_argument("--deff", type=float, default=1.0, help="design effect of both groups")
    q.add_argument("--deff1", type=float, help="design effect of group 1 (n_eff = N1 / deff1)")
    q.add_argument("--deff2", type=float, help="design effect of group 2 (n_eff = N2 / deff2)")
    q = s.add_parser("trend", help="Cochran-Armitage trend test over X/N groups")
    q.add_argument("groups", nargs="+", type=_fraction, metavar="X/N")
    q.add_argument("--scores", nargs="+", type=float)
    q = s.add_parser("rate-ratio", help="ratio of C1/E1 to C2/E2")
    for a in ("c1", "e1", "c2", "e2"):
        q.add_argument(a, type=float)
    q.add_argument("--method", default="exact", choices=["exact", "score"])
    q.add_argument("--alternative", default="two-sided", choices=["two-sided", "larger"])
    q = s.add_parser("mde", help="minimum detectable change for share P with N1 and N2")
    q.add_argument("p", type=float)
    q.add_argument("n1", type=float)
    q.add_argument("n2", type=float)
    q.add_argument("--alpha", type=float, default=0.05)
    q.add_argument("--power", type=float, default=0.8)
    q.add_argument("--direction", default="either", choices=["either", "decrease", "increase"])
    q = s.add_parser("sample-size", help="respondents per group to detect P1 against P2")
    q.add_argument("p1", type=float)
    q.add_argument("p2", type=float)
    q.add_argument("--power", type=float, default=0.8)
    q.add_argument("--alpha", type=float, default=0.05)
    q.add_argument("--deff", type=float, default=1.0, help="design effect (n = n_eff x deff)")
    q.add_argument("--alternative", default="two-sided", choices=["two-sided", "one-sided"])
    q = s.add_parser("calibrate", help="false alarms with no real change, and power (simulated)")
    q.add_argument("--sims", type=int, default=2000)
    q.add_argument("--seed", type=int, default=2026)


def _run_stats(args: argparse.Namespace) -> dict:
    from analysis import stats as st

    if args.test == "prop":
        r = st.share_ci(st.Proportion.from_counts(args.x, args.n, args.deff), args.method, min_n=0)
    elif args.test == "diff-prop":
        deff1 = args.deff if args.deff1 is None else args.deff1
        deff2 = args.deff if args.deff2 is None else args.deff2
        r = st.diff_proportions(
            st.Proportion.from_counts(args.x1, args.n1, deff1, "1"),
            st.Proportion.from_counts(args.x2, args.n2, deff2, "2"),
            args.method,
            min_n=0,
        )
    elif args.test == "trend":
        xs, ns = zip(*args.groups, strict=True)
        r = st.trend_test(xs, ns, args.scores, min_n=0)
    elif args.test == "rate-ratio":
        r = st.rate_ratio(args.c1, args.e1, args.c2, args.e2, args.method, args.alternative)
    elif args.test == "sample-size":
        r = st.sample_size_two_proportions(
            args.p1, args.p2, args.power, args.alpha, args.deff, args.alternative
        )
        return {
            "n_eff": r.n[0],
            "n": r.estimate,
            "p1": args.p1,
            "p2": args.p2,
            "power": args.power,
            "alpha": args.alpha,
            "deff": args.deff,
            "alternative": args.alternative,
            "method": r.method,
        }
    elif args.test == "calibrate":
        from analysis.evaluation.calibration import simulate

        if args.sims < 100:
            raise ValueError(f"--sims must be at least 100, got {args.sims}")
        return {"scenarios": simulate(args.sims, args.seed).to_dict(orient="records")}
    else:
        r = st.minimum_detectable_change(
            args.p, args.n1, args.n2, args.alpha, args.power, args.direction
        )
    return r.to_dict()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m analysis", description="Evaluation of Copenhagen's safety partnerships."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_stats(sub)
    p = sub.add_parser("validate", help="check one input file and summarise it")
    p.add_argument(
        "path",
        help="a data file (.csv, .xlsx, .sav, .parquet), a data folder or its dataset.yaml, "
        "an agreement (.yaml) or a folder of agreements",
    )
    p.add_argument(
        "--kind",
        help="survey, survey_aggregate, police, population, activities, "
        "ssp (inferred from the columns when not given)",
    )
    p.add_argument("--encoding", help="declare the encoding (utf-8, cp1252); default: detected")
    p.add_argument("--delimiter", help="declare the CSV delimiter; default: detected")
    p = sub.add_parser("evaluate", help="print the evaluation of one partnership and year")
    p.add_argument("--partnership", required=True)
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.add_argument("--data-dir", help="input folder (default: the bundled example data)")
    p = sub.add_parser("reports", help="render every evaluation into reports/ with an index")
    p.add_argument("--partnership")
    p.add_argument("--year", type=int)
    p.add_argument("--workers", type=int)
    p.add_argument("--force", action="store_true", help="re-run unchanged evaluations")
    p.add_argument("--data-dir", help="input folder (default: the bundled example data)")
    p.add_argument("--out", help="output folder (default: reports/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from analysis.errors import InputError

    try:
        if args.command == "stats":
            print(_json(_run_stats(args)))
            return 0
        if args.command == "validate":
            from analysis.loaders.validate_cli import run_validate

            return run_validate(args.path, args.kind, args.encoding, args.delimiter)
        if args.command == "evaluate":
            from analysis.evaluation.cli import run_evaluate

            return run_evaluate(args.partnership, args.year, args.format, args.data_dir)
        from analysis.reporting.batch import run_reports

        return run_reports(
            partnership=args.partnership,
            year=args.year,
            workers=args.workers,
            force=args.force,
            data_dir=args.data_dir,
            out_dir=args.out,
        )
    except ValueError as exc:
        if isinstance(exc, InputError):
            print(str(exc), file=sys.stderr)
            return 1
        print(f"python -m analysis {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except LookupError as exc:
        print(f"python -m analysis {args.command}: error: {exc.args[0]}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a path the user gave: unreadable, read-only, full, missing
        where = exc.filename or "a file"
        print(
            f"python -m analysis {args.command}: error: {where}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
