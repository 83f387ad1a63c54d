"""Headless Chromium (Debian's package), as every check and print of the project starts it.

The flags keep it off the network (this machine's closed network refuses its background
connections) and let a page finish drawing before it is captured or printed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=10000",
]


def find() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Chromium with the project's flags and a fresh profile; SystemExit when missing."""
    browser = find()
    if browser is None:
        raise SystemExit("chromium not found: make installs it (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
