"""The command line: ``python -m analysis {stats,validate,evaluate,reports} ...``.

Bad arguments give a one-line error and exit status 2; a data problem gives the file's problems
and exit status 1. No traceback reaches the user for either.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import config

ALPHA_HELP = f"significance level (default {config.ALPHA:g}, as the reports)"
POWER_HELP = f"power (default {config.POWER:g}, as the reports)"


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


#: stands in an option's help for the partnerships, read from the agreements only when help is
#: shown (reading them costs most of a second; a no-change re-run of the batch, a fraction)
PARTNERSHIPS = "<partnerships>"


class _Formatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal; the examples kept one per line; the partnerships
    listed where :data:`PARTNERSHIPS` stands."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        return text.replace(PARTNERSHIPS, _partnerships()) if text else text

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line + "\n" for line in text.splitlines())
        return super()._fill_text(text, width, indent)


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  python -m analysis {line}" for line in lines)


def _sub(sub: argparse._SubParsersAction, name: str, help: str, *examples: str):
    return sub.add_parser(
        name,
        help=help.replace("%", "%%"),  # argparse formats a help with %
        description=help,
        epilog=_examples(*examples) if examples else None,
        formatter_class=_Formatter,
    )


def _numbers(parser: argparse.ArgumentParser, **helps: str) -> None:
    """Positional numbers, named in capitals in the usage line: ``_numbers(q, x="...")``."""
    for name, what in helps.items():
        parser.add_argument(name, type=float, metavar=name.upper(), help=what)


def _alpha_power(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--alpha", type=float, default=config.ALPHA, help=ALPHA_HELP)
    parser.add_argument("--power", type=float, default=config.POWER, help=POWER_HELP)


def _add_stats(sub: argparse._SubParsersAction) -> None:
    p = _sub(
        sub,
        "stats",
        "quick significance checks on counts you type in; prints one JSON object",
        "stats diff-prop 51 300 40 310",
        "stats rate-ratio 82 2240 70 2230 --alternative larger",
    )
    s = p.add_subparsers(dest="test", required=True, parser_class=_Parser, metavar="TEST")
    deff = "design effect (variance ratio to simple random sampling, at least 1; default 1)"
    q = _sub(s, "prop", "a share X/N with its 95 % confidence interval", "stats prop 51 300")
    _numbers(q, x="respondents with the answer (e.g. unsafe)", n="respondents in all")
    q.add_argument(
        "--method",
        default="wilson",
        choices=["wilson", "clopper-pearson", "jeffreys"],
        help="interval method: wilson (default), clopper-pearson or jeffreys",
    )
    q.add_argument("--deff", type=float, default=1.0, help=deff)
    q = _sub(
        s,
        "diff-prop",
        "the change X1/N1 - X2/N2 between two shares, with its CI and p-value",
        "stats diff-prop 51 300 40 310",
        "stats diff-prop 51 300 40 310 --deff1 1.2 --deff2 1.4",
    )
    _numbers(
        q,
        x1="respondents with the answer in group 1 (e.g. this year)",
        n1="respondents in group 1",
        x2="respondents with the answer in group 2 (e.g. last year)",
        n2="respondents in group 2",
    )
    q.add_argument(
        "--method",
        default="score",
        choices=["score", "newcomb", "wald", "agresti-caffo"],
        help="interval for the change: score (Mee; default), newcomb, wald or agresti-caffo",
    )
    q.add_argument("--deff", type=float, default=1.0, help=f"{deff}, for both groups")
    q.add_argument("--deff1", type=float, help="design effect of group 1 (n_eff = N1 / deff1)")
    q.add_argument("--deff2", type=float, help="design effect of group 2 (n_eff = N2 / deff2)")
    q = _sub(
        s,
        "trend",
        "Cochran-Armitage trend test over shares X/N of successive years",
        "stats trend 83/86 90/93 129/136 70/82",
    )
    q.add_argument(
        "groups", nargs="+", type=_fraction, metavar="X/N", help="one share per year, in order"
    )
    q.add_argument(
        "--scores", nargs="+", type=float, help="the years' scores (default 1, 2, 3, ...)"
    )
    q = _sub(
        s,
        "rate-ratio",
        "the ratio of two rates C1/E1 and C2/E2 (police reports per inhabitant), with CI and p",
        "stats rate-ratio 82 2240 70 2230",
    )
    _numbers(
        q,
        c1="count in period 1 (e.g. reports this year)",
        e1="exposure in period 1 (inhabitants; 1 for a plain count)",
        c2="count in period 2 (e.g. the baseline year)",
        e2="exposure in period 2",
    )
    q.add_argument(
        "--method", default="exact", choices=["exact", "score"], help="exact (default) or score"
    )
    q.add_argument(
        "--alternative",
        default="two-sided",
        choices=["two-sided", "larger"],
        help="two-sided (default) or larger (period 1 above period 2)",
    )
    q = _sub(
        s,
        "mde",
        "the smallest change in a share P that samples of N1 and N2 can detect",
        "stats mde 0.15 300 300 --direction decrease",
    )
    _numbers(
        q,
        p="the share now, between 0 and 1 (0.15)",
        n1="effective respondents, group 1",
        n2="effective respondents, group 2",
    )
    _alpha_power(q)
    q.add_argument(
        "--direction",
        default="either",
        choices=["either", "decrease", "increase"],
        help="the change sought: either (default), decrease or increase",
    )
    q = _sub(
        s,
        "sample-size",
        "respondents needed per group to detect a change from share P1 to P2",
        "stats sample-size 0.15 0.12 --deff 1.2",
    )
    _numbers(q, p1="the share now, between 0 and 1", p2="the share hoped for, between 0 and 1")
    _alpha_power(q)
    q.add_argument("--deff", type=float, default=1.0, help=f"{deff} (n = n_eff x deff)")
    q.add_argument(
        "--alternative",
        default="two-sided",
        choices=["two-sided", "one-sided"],
        help="two-sided (default) or one-sided",
    )
    q = _sub(
        s,
        "calibrate",
        "false alarms with no real change, and power, by simulation of the verdicts",
        "stats calibrate --sims 2000",
    )
    q.add_argument("--sims", type=int, default=2000, help="simulated years (at least 100)")
    q.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")


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


@functools.cache
def _partnerships() -> str:
    """'amager (Amager Partnerskab, 2017–2020), ...' from the agreements."""
    from analysis.agreements import load_agreements

    try:
        agreements = load_agreements()
    except ValueError:  # a broken agreement is reported by the command that reads it
        return "a partnership id of data/raw/agreements"
    by: dict[str, list[str]] = {}
    for a in agreements:
        by.setdefault(a.partnership, []).append(f"{a.name}, {a.period}")
    return "; ".join(f"{p} ({' / '.join(v)})" for p, v in sorted(by.items()))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m analysis",
        description="Evaluation of Copenhagen's safety partnerships.",
        epilog=_examples(
            "reports",
            "evaluate --partnership folehaven --year 2025",
            "validate data/raw/example",
        ),
        formatter_class=_Formatter,
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="COMMAND"
    )
    _add_stats(sub)
    kinds = "survey, survey_aggregate, police, population, activities, ssp"
    p = _sub(
        sub,
        "validate",
        "check an input file, a data folder or an agreement, and summarise it",
        "validate data/raw/example",
        "validate police.xlsx --kind police",
        "validate data/raw/agreements/",
    )
    p.add_argument(
        "path",
        help="a data file (.csv, .xlsx, .sav, .parquet), a data folder or its dataset.yaml, "
        "an agreement (.yaml) or a folder of agreements",
    )
    p.add_argument("--kind", help=f"the file's kind: {kinds} (default: from its columns)")
    p.add_argument("--encoding", help="the file's encoding: utf-8 or cp1252 (default: detected)")
    p.add_argument(
        "--delimiter", help="the CSV delimiter, one character: ';', ',' or tab (default: detected)"
    )
    partnerships = PARTNERSHIPS
    data_dir = "a data folder with a dataset.yaml (default: the bundled example data)"
    p = _sub(
        sub,
        "evaluate",
        "print the evaluation of one partnership and year (Danish text, or JSON)",
        "evaluate --partnership folehaven --year 2025",
        "evaluate --partnership amager --year 2019 --format json",
    )
    p.add_argument(
        "--partnership", required=True, metavar="ID", help=f"the partnership: {partnerships}"
    )
    p.add_argument(
        "--year",
        required=True,
        type=int,
        metavar="YEAR",
        help="the survey year, within the partnership's agreement period and with data",
    )
    p.add_argument(
        "--format",
        choices=["json", "table"],
        default="table",
        help="table (default: text wrapped to the terminal) or json (every number)",
    )
    p.add_argument("--data-dir", metavar="DIR", help=data_dir)
    p = _sub(
        sub,
        "reports",
        "render every evaluation: reports/<partnership>/<year>.html (.ipynb, .json), "
        "reports/index.html, the committee's status documents reports/status/<year>.html, "
        ".pdf and .docx, and the results table data/processed/<name>_results.csv (.parquet)",
        "reports",
        "reports --partnership folehaven --year 2025",
        "reports --data-dir data/raw/published --out reports/published",
    )
    p.add_argument("--partnership", help=f"only this partnership (default: all): {partnerships}")
    p.add_argument(
        "--year",
        type=int,
        metavar="YEAR",
        help="only this survey year (default: every year with data)",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="reports rendered at once (default: the number of CPUs)",
    )
    p.add_argument(
        "--force", action="store_true", help="re-run evaluations whose inputs are unchanged"
    )
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every report instead of one kept per worker (slower; the "
        "same reports)",
    )
    p.add_argument("--data-dir", metavar="DIR", help=data_dir)
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports/)")
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
        from analysis.reporting import uptodate

        out = Path(args.out) if args.out else config.REPORTS_DIR
        data_dir = str(Path(args.data_dir).resolve()) if args.data_dir else None
        check = (args.partnership, args.year, data_dir, out, None, args.fresh_kernels)
        if not args.force and uptodate.check(*check) is None:
            return 0  # nothing changed: decided before the batch's modules are imported
        from analysis.reporting.worker import start_pool

        # the workers start first: they import and start their kernels while this process
        # imports the batch's modules and plans (1.5 s of one core otherwise idle)
        workers = args.workers or os.cpu_count() or 1
        pool = start_pool(workers, warm=not args.fresh_kernels)
        # imported here, not at the top: 1.5 s of imports, ten times a no-change re-run
        from analysis.reporting.batch import run_reports

        return run_reports(
            partnership=args.partnership,
            year=args.year,
            workers=workers,
            force=args.force,
            data_dir=args.data_dir,
            out_dir=args.out,
            fresh_kernels=args.fresh_kernels,
            pool=pool,
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
