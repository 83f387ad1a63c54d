"""A command line that explains itself: every command and option has help text, every
command shows examples, and the reports command names every output."""

from __future__ import annotations

import argparse

import pytest

from analysis.cli import build_parser, main


def _parsers(parser: argparse.ArgumentParser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


PARSERS = list(_parsers(build_parser()))


@pytest.mark.parametrize(
    ("path", "parser"), PARSERS, ids=[" ".join(p) or "main" for p, _ in PARSERS]
)
def test_every_option_and_argument_has_help(path, parser):
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        assert action.help and action.help.strip(), (path, action.dest)
    assert parser.description, path


@pytest.mark.parametrize(
    ("path", "parser"), PARSERS, ids=[" ".join(p) or "main" for p, _ in PARSERS]
)
def test_every_help_runs_and_shows_an_example(path, parser, capsys):
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "usage: python -m analysis" in out
    assert "examples:" in out and "python -m analysis " in out.split("examples:")[1], path


def test_reports_help_names_every_output(capsys):
    with pytest.raises(SystemExit):
        main(["reports", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for what in ("index.html", "status/<year>.html", ".pdf", ".docx", "_results.csv"):
        assert what in out, what
    assert "folehaven" in out and "tingbjerg_husum" in out and "amager" in out


def test_partnership_option_lists_the_ids_and_names(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Tryghedspartnerskabet Folehaven" in out and "2022–2025" in out
