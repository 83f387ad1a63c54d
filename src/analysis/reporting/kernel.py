"""A kernel manager on IPC transport: parallel kernels cannot race for TCP ports."""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session
from traitlets import default

from analysis import config


class IPCKernelManager(KernelManager):
    """Kernel sockets are files in a private temporary folder instead of localhost ports.

    The kernel keeps no input history (see below). Its own stderr (start-up warnings, the
    interrupt it logs while shutting down) is discarded: errors in the notebook's cells reach
    papermill as messages, and a kernel that dies is reported by papermill as such.
    """

    #: the warm kernel's kept client (see :meth:`WarmKernel.notebook`), handed to the notebook
    #: client when it asks the manager for one: papermill takes no client, only a manager
    handed = None

    def client(self, **kwargs):
        if self.handed is not None and not kwargs:
            return self.handed
        return super().client(**kwargs)

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        # the batch's process id in the name: an interrupted batch removes its own folders
        batch = os.environ.get(config.BATCH_PID_VAR, str(os.getpid()))
        return str(Path(tempfile.mkdtemp(prefix=f"kernel-ipc-{batch}-")) / "kernel")

    async def _async_pre_start_kernel(self, **kw):
        kw.setdefault("stderr", subprocess.DEVNULL)
        # No input history: nothing in a report's cells is worth keeping in the user's
        # history database, and a warm kernel, which starts each notebook at line 1 again,
        # made IPython print "Session/line number was not unique in database" into a report.
        kw["extra_arguments"] = [*kw.get("extra_arguments", []), "--HistoryManager.enabled=False"]
        return await super()._async_pre_start_kernel(**kw)

    def cleanup_ipc_files(self) -> None:
        super().cleanup_ipc_files()
        shutil.rmtree(Path(self.ip).parent, ignore_errors=True)


class KernelCallError(RuntimeError):
    """Code run in the kept kernel raised (its exception's type name and message)."""

    def __init__(self, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


class KeptClient(BlockingKernelClient):
    """A client that stays connected to its kernel from notebook to notebook.

    A notebook client starts its channels and waits for the kernel to be ready; for a new
    client that wait ends with a fixed 0.2 s of listening for stray broadcast messages
    (jupyter_client's ``wait_for_ready``), a fifth of a second per report. A kept client is
    ready once: its channels are already connected (a broadcast sent before a new subscriber
    is connected would be lost; this one never reconnects), and the notebook client reads
    only the replies to its own requests, so messages left from an earlier notebook are
    skipped.
    """

    ready = False

    def start_channels(self, *args, **kwargs) -> None:
        if not self.channels_running:
            super().start_channels(*args, **kwargs)

    def wait_for_ready(self, timeout: float | None = None) -> None:
        if not self.ready:
            super().wait_for_ready(timeout=timeout)
            self.ready = True


#: run once in a new warm kernel: the template's imports (``plots`` sets the seaborn theme as it
#: is imported), then what a fresh kernel has after them
WARM_UP = "from analysis.reporting import blocks, runner\nrunner.remember_fresh_state()"
#: run before each notebook in a warm kernel (see :func:`analysis.reporting.runner.reset`)
RESET = "from analysis.reporting import runner\nrunner.reset()"


class WarmKernel:
    """One kernel per worker process, kept between notebooks: it imports the package once.

    Before each notebook the kernel is put back as a fresh kernel has it after the template's
    imports (:func:`analysis.reporting.runner.reset`: an empty namespace, execution count 1,
    matplotlib's settings, warnings filters, no figures, the garbage collector unfrozen); a
    test renders the same reports in fresh and warm kernels, in another order, and compares
    the HTML byte for byte. A notebook that fails or times out discards the kernel (a hung
    cell may still be running in it), so the next notebook gets a new one.
    """

    def __init__(self) -> None:
        self.km: IPCKernelManager | None = None
        self.kc = None

    @contextlib.contextmanager
    def notebook(self, cwd: str):
        """The kept kernel, reset for the next notebook: ``{"km": ...}`` for papermill, whose
        notebook client asks the manager for its client and gets the kept one
        (:class:`KeptClient`; one client per kernel, so no two clients share a session). The
        kernel is discarded when the run raises."""
        km = self._ready(cwd)
        km.handed = self.kc
        try:
            yield {"km": km}
        except BaseException:
            self.discard()
            raise
        finally:
            km.handed = None

    def _ready(self, cwd: str) -> IPCKernelManager:
        """The kept kernel, reset for the next notebook (started on first use)."""
        self.start(cwd)
        self._run(RESET)
        return self.km

    def start(self, cwd: str) -> None:
        """Start the kernel and import the template's modules in it, unless it is running."""
        if self.km is None or not self.km.is_alive():
            self.discard()
            self.km = IPCKernelManager(
                kernel_name=config.KERNEL_NAME, client_class=f"{__name__}.KeptClient"
            )
            self.km.start_kernel(cwd=cwd)
            # a session of its own, not the manager's: two parties signing with one session
            # drop each other's messages as replays ("duplicate signature")
            own = Session(
                key=self.km.session.key, signature_scheme=self.km.session.signature_scheme
            )
            self.kc = self.km.client(session=own)
            # no heartbeat: the manager knows whether its kernel lives, and stopping the
            # heartbeat's thread takes a second
            self.kc.start_channels(hb=False)
            self.kc.wait_for_ready(timeout=config.CELL_TIMEOUT)
            self._run(WARM_UP)

    @property
    def alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def call(self, module: str, function: str, *args: object) -> object:
        """``module.function(*args)`` run in the kept kernel (arguments and result as JSON),
        which must be alive; its error is raised as :class:`KernelCallError`."""
        code = (
            f"import json as _json\nfrom {module} import {function} as _f\n"
            f"_out = _json.dumps(_f(*_json.loads({json.dumps(json.dumps(args))})))"
        )
        reply = self._run(code, result="_out")
        return json.loads(
            ast.literal_eval(reply["user_expressions"]["result"]["data"]["text/plain"])
        )

    def _run(self, code: str, result: str | None = None) -> dict:
        reply = self.kc.execute_interactive(
            code,
            silent=True,
            store_history=False,
            user_expressions={"result": result} if result else None,
            timeout=config.CELL_TIMEOUT,
            output_hook=lambda msg: None,  # what the code prints is not kept
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise KernelCallError(content.get("ename", ""), content.get("evalue", ""))
        return content

    def discard(self) -> None:
        """Shut the kernel down (now: nothing it holds is needed)."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        self.km = self.kc = None
