"""Evaluation of Copenhagen safety partnerships."""

import hashlib
from importlib.metadata import version
from pathlib import Path

__version__ = version("analysis")


def _source_sha256() -> str:
    """SHA-256 of the package's own code and templates: which code made a report, even between
    version bumps (and without git)."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.j2")]):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


#: the digest of the code that is running, in every report's provenance
SOURCE_SHA256 = _source_sha256()
