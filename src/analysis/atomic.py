"""Writing a file so that a reader sees the old one or the new one, never half of either.

Every writer of the project goes through :func:`write_atomically`: the content is written to a
temporary file beside the target and renamed over it. On any error (a full disk, a closed
pipe, a permission) the temporary file is removed, the previous file stays as it was, and the
error names the folder, so that the next run can continue.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from analysis.errors import InputError


def temporary_beside(path: Path) -> Path:
    """A hidden temporary name beside ``path``, unique per process and thread."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary path)``, then move the result over ``path``."""
    tmp = temporary_beside(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(
            path.parent, f"cannot write {path.name} here ({exc.strerror or exc}); nothing changed"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_text(path: Path, text: str) -> Path:
    return write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
