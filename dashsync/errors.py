"""Exit codes and the one exception type every command turns into a single line on stderr."""

from __future__ import annotations

EXIT_OK = 0
EXIT_DIFFERENT = 1  # diff found differences, or a command only partly succeeded
EXIT_USAGE = 2  # bad usage or input, unreachable Grafana, bad credentials
EXIT_CONFLICT = 3  # a dashboard was edited in Grafana since dashsync wrote it


class DashsyncError(Exception):
    """An expected failure: its message is one line for a human, its exit code is what the shell sees."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
