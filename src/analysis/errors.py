"""The project's error type: one clear message naming the file, the place and what was expected."""

from __future__ import annotations

#: problems shown in one message; the rest are counted
MAX_PROBLEMS = 40
#: characters of one problem shown (a value that holds a whole file is cut, never repeated)
MAX_PROBLEM_CHARS = 1000


class InputError(ValueError):
    """Bad input data or configuration.

    The message always names the file and, where it applies, the row, column or key, and what
    was expected. Several problems found in one file are listed in one error: the first
    ``MAX_PROBLEMS``, each cut at ``MAX_PROBLEM_CHARS``, and how many more there are.
    """

    def __init__(self, source: object, problems: list[str] | str) -> None:
        self.source = str(source)
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = [_cut(p) for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS} more problems")
        if len(self.problems) == 1:
            message = f"{self.source}: {shown[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in shown)
            message = f"{self.source}: {len(self.problems)} problems\n{lines}"
        super().__init__(message)


def _cut(problem: str) -> str:
    if len(problem) <= MAX_PROBLEM_CHARS:
        return problem
    return f"{problem[: MAX_PROBLEM_CHARS - 30]}... ({len(problem):,} characters in all)"
