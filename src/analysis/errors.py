"""The project's error type: one clear message naming the file, the place and what was expected."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input data or configuration.

    The message always names the file and, where it applies, the row, column or key, and what
    was expected. Several problems found in one file are listed in one error.
    """

    def __init__(self, source: object, problems: list[str] | str) -> None:
        self.source = str(source)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            message = f"{self.source}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{self.source}: {len(self.problems)} problems\n{lines}"
        super().__init__(message)
