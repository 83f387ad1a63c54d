"""Reading the project's YAML (agreements, ``dataset.yaml``) strictly: one clear error, never a
silent guess.

PyYAML keeps the last of two duplicate keys without a word, and anchors and aliases can expand
exponentially ("billion laughs"). This loader refuses both, refuses tags beyond plain YAML, caps
the file size, and turns every problem into an :class:`~analysis.errors.InputError` naming the
file and the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.errors import InputError

#: Larger configuration files are refused before they are parsed.
MAX_BYTES = 1_000_000


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases (anchors are refused where they are used) and without
    duplicate keys."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed here", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {str(key)[:80]!r}", key_node.start_mark
                )
            seen[key] = True
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping
)


def load_yaml(path: Path, data: bytes | None = None) -> Any:
    """The parsed content of ``path`` (or of its bytes ``data``, already read), or one
    InputError naming the file (and the line)."""
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_BYTES:
            raise InputError(
                path, f"{size:,} bytes; a configuration file may have at most {MAX_BYTES:,}"
            )
        text = (path.read_bytes() if data is None else data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 text; save the file as UTF-8") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a YAML file") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"{where}not valid YAML ({str(problem)[:200]})") from exc
