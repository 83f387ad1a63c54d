"""Headless Chromium (Debian's package), as every check and print of the project starts it.

The flags keep it off the network (this machine's closed network refuses its background
connections) and let a page finish drawing before it is captured or printed. :class:`Browser`
keeps one Chromium open for many prints, driven over the DevTools protocol on a pipe (no port,
no websocket): a status PDF then costs a page load and a print, not a browser's start.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

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


#: the longest temporary folder Chromium is given: it makes its one-instance socket there, and a
#: Unix socket's path has at most 107 bytes (a longer one and Chromium stops at once: "Socket
#: path too long", so no PDF); its own part of that path takes 45 of them
_TMP_MAX = 56


def _temporary_folder() -> str:
    """The temporary folder for Chromium: the usual one, unless its path is too long for the
    socket Chromium makes in it (a deep ``TMPDIR``: /tmp is used then, when it is there)."""
    usual = tempfile.gettempdir()
    if len(usual) > _TMP_MAX and os.access("/tmp", os.W_OK):
        return "/tmp"
    return usual


def _environment(folder: str) -> dict[str, str]:
    return {**os.environ, "TMPDIR": folder}


def run(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Chromium with the project's flags and a fresh profile; SystemExit when missing."""
    browser = find()
    if browser is None:
        raise SystemExit("chromium not found: make installs it (apt-get install chromium)")
    folder = _temporary_folder()
    with tempfile.TemporaryDirectory(dir=folder) as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=_environment(folder),
        )


#: ``Page.printToPDF`` as ``--print-to-pdf --generate-pdf-document-outline`` prints: the page
#: size from the stylesheet's ``@page``, backgrounds as the stylesheet asks, tagged, bookmarks
PRINT_OPTIONS = {
    "preferCSSPageSize": True,
    "printBackground": False,
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}


#: a promise that settles once the page's fonts are ready
FONTS = "document.fonts.ready.then(() => true)"


class BrowserError(RuntimeError):
    """Chromium stopped, or answered a command with an error."""


class Browser:
    """One headless Chromium for many prints (``with Browser() as b: b.print_pdfs(...)``).

    Commands go to the browser as NUL-terminated JSON on its fd 3 and answers come back on
    fd 4 (``--remote-debugging-pipe``); each page is opened in a tab of its own and closed.
    Events are kept until a caller waits for them: a page that loads in few milliseconds may
    fire its load event before the reply to the command that navigated to it.
    """

    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout
        self._id = 0
        self._events: list[dict] = []  #: events read while waiting for a reply
        self._replies: dict[int, dict] = {}  #: replies read while waiting for another
        self._buffer = b""
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> Browser:
        return self if self._process is not None else self.start()

    def start(self) -> Browser:
        """Start the browser and open a first tab without waiting for either (the next
        command waits), so that the browser starts beside whatever the caller does next."""
        browser = find()
        if browser is None:
            raise SystemExit("chromium not found: make installs it (apt-get install chromium)")
        folder = _temporary_folder()
        # (a profile that cannot be removed in full is left: the clean-up is not worth a failure)
        self._profile = tempfile.TemporaryDirectory(dir=folder, ignore_cleanup_errors=True)
        to_browser, self._in = os.pipe()  # we write commands to _in; the browser reads fd 3
        self._out, from_browser = os.pipe()  # the browser writes answers to fd 4
        # a small Python puts the browser's two ends on fd 3 and 4 and becomes the browser
        # (dash's redirections take one-digit fds only; pytest and the kernels hold the low ones)
        # (each end is first moved above 9, so that neither is overwritten by the other's move)
        launch = (
            "import fcntl, os, sys; a, b = (fcntl.fcntl(int(f), fcntl.F_DUPFD, 10) for f in "
            "sys.argv[1:3]); os.dup2(a, 3); os.dup2(b, 4); os.execv(sys.argv[3], sys.argv[3:])"
        )
        # no start-up tab: its renderer is torn down as the browser settles, taking the first
        # page printed with it ("Render process gone"); each print waits for its page's load
        # event instead of a virtual time budget
        flags = [f for f in FLAGS if not f.startswith("--virtual-time-budget")]
        flags += ["--no-startup-window", "--remote-debugging-pipe"]
        # the pages share one renderer process: the ten status PDFs in a tenth less time than
        # with a renderer each (measured), with the same pages, bookmarks and tags
        flags.append("--renderer-process-limit=1")
        flags.append(f"--user-data-dir={self._profile.name}")
        ends = (str(to_browser), str(from_browser))
        self._process = subprocess.Popen(
            [sys.executable, "-c", launch, *ends, browser, *flags],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_browser, from_browser),
            env=_environment(folder),
            start_new_session=True,  # its own process group: :meth:`kill` stops all of it
        )
        os.close(to_browser)
        os.close(from_browser)
        self._post("Target.createTarget", {"url": "about:blank"})  # its renderer starts now
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self._send("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._in)
        os.close(self._out)
        self._profile.cleanup()

    def kill(self) -> None:
        """Stop the browser at once, with the processes it started (its renderers went on
        writing into its profile for a moment otherwise); a print waiting for it then raises
        BrowserError."""
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except OSError:  # gone already
            self._process.kill()

    def print_pdfs(self, pages: list[tuple[Path, Path]]) -> None:
        """Print each ``(html, pdf)`` page (:data:`PRINT_OPTIONS`), once it has loaded and its
        fonts are ready; the pages load and print at once, each in a tab of its own."""
        browser = [None] * len(pages)  # commands to the browser itself, not to a page
        targets = [
            r["targetId"] for r in self._all("Target.createTarget", {"url": "about:blank"}, browser)
        ]
        try:
            attach = [{"targetId": t, "flatten": True} for t in targets]
            sessions = [r["sessionId"] for r in self._all("Target.attachToTarget", attach, browser)]
            self._all("Page.enable", {}, sessions)
            # laid out for print from the start, not for a screen first and then for the print:
            # about a tenth less time for the ten status PDFs, the same pages (measured)
            self._all("Emulation.setEmulatedMedia", {"media": "print"}, sessions)
            self._all("Page.navigate", [{"url": h.resolve().as_uri()} for h, _ in pages], sessions)
            for session in sessions:
                self._wait_for("Page.loadEventFired", session)
            self._all("Runtime.evaluate", {"expression": FONTS, "awaitPromise": True}, sessions)
            printed = self._all("Page.printToPDF", PRINT_OPTIONS, sessions)
        finally:
            self._all("Target.closeTarget", [{"targetId": t} for t in targets], browser)
        for (_, pdf), result in zip(pages, printed, strict=True):
            pdf.write_bytes(base64.b64decode(result["data"]))

    def _all(
        self, method: str, params: dict | list[dict], sessions: list[str | None]
    ) -> list[dict]:
        """One command in every session at once (``params`` one for all, or one each; a
        session None: the browser's own command)."""
        each = params if isinstance(params, list) else [params] * len(sessions)
        ids = [self._post(method, p, s) for p, s in zip(each, sessions, strict=True)]
        return [self._result(i, method) for i in ids]

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        return self._result(self._post(method, params, session), method)

    def _post(self, method: str, params: dict | None, session: str | None = None) -> int:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._in, json.dumps(message).encode() + b"\0")
        except OSError as exc:  # the browser has gone (a broken pipe)
            raise BrowserError(f"Chromium stopped ({exc.strerror or exc})") from None
        return self._id

    def _result(self, command: int, method: str) -> dict:
        while command not in self._replies:
            message = self._read()
            if "id" in message:
                self._replies[message["id"]] = message
            else:
                self._events.append(message)
        reply = self._replies.pop(command)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def _wait_for(self, event: str, session: str) -> None:
        """Until ``event`` has come from ``session`` (read now, or earlier)."""
        while True:
            for i, e in enumerate(self._events):
                if e["method"] == event and e.get("sessionId") == session:
                    del self._events[i]
                    return
            message = self._read()
            if "id" in message:
                self._replies[message["id"]] = message
            else:
                self._events.append(message)

    def _read(self) -> dict:
        """The next message (a reply or an event)."""
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._out], [], [], self.timeout)
            chunk = os.read(self._out, 1 << 20) if ready else b""
            if not chunk:
                raise BrowserError("Chromium stopped or did not answer")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)
