"""Processes a benchmark starts (the bots), each logging to its own file, always stopped."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
STOP_TIMEOUT = 20.0  # alongside lets work under way finish (up to 10 s) before it stops


@dataclass
class Child:
    """One process started by the benchmark."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def check(self) -> None:
        """Raise if the process has exited."""
        code = self.process.poll()
        if code is not None:
            raise RuntimeError(f"{self.name} exited with code {code}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not stopped within STOP_TIMEOUT."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        """The end of its log, for error messages."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError as error:
            return f"(no log for {self.name}: {error})"
        if not text.strip():
            return f"--- {self.name} logged nothing ---"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.name}'s log ---\n{tail}"


def start_child(name: str, command: list[str], env: dict[str, str], log: Path) -> Child:
    """Start `command` in the repository root with `env`, its output going to `log`."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Child(name, process, log)
