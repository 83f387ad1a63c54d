"""``python -m analysis SUBCOMMAND``: see :mod:`analysis.cli`."""

from analysis.cli import main

raise SystemExit(main())
