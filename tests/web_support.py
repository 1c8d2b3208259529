"""Helpers shared by the tests that run the app on a real server or `searchfic serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

SERVE_ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


class LoopbackServer:
    """The app on waitress in a thread, on a free loopback port; stop() shuts it cleanly."""

    def __init__(self, app: Any) -> None:
        from waitress import create_server

        self.server = create_server(app, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # Closing the listening socket under the select loop raises EBADF there.
            if not self._stopping.is_set():
                raise

    def stop(self) -> None:
        self._stopping.set()
        self.server.close()
        self._thread.join(timeout=10)


def serve_on_busy_port(cwd: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run `searchfic serve` in ``cwd`` on a port that is already taken; return it and the port.

    serve builds a missing index first, then fails to bind: the run ends by itself.
    """
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "searchfic", "serve", "--port", str(port)],
            cwd=cwd,
            env=SERVE_ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
    return result, port
