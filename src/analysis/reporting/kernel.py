"""A kernel manager on IPC transport: parallel kernels cannot race for TCP ports."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import KernelManager
from traitlets import default


class IPCKernelManager(KernelManager):
    """Kernel sockets are files in a private temporary folder instead of localhost ports."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        return str(Path(tempfile.mkdtemp(prefix="kernel-ipc-")) / "kernel")

    def cleanup_ipc_files(self) -> None:
        super().cleanup_ipc_files()
        shutil.rmtree(Path(self.ip).parent, ignore_errors=True)
