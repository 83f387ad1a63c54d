"""A kernel manager on IPC transport: parallel kernels cannot race for TCP ports."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager
from traitlets import default

from analysis import config


class IPCKernelManager(KernelManager):
    """Kernel sockets are files in a private temporary folder instead of localhost ports.

    The kernel process's own stderr (start-up warnings, the interrupt it logs while shutting
    down) is discarded: errors in the notebook's cells reach papermill as messages, and a
    kernel that dies is reported by papermill as such.
    """

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
        return await super()._async_pre_start_kernel(**kw)

    def cleanup_ipc_files(self) -> None:
        super().cleanup_ipc_files()
        shutil.rmtree(Path(self.ip).parent, ignore_errors=True)
