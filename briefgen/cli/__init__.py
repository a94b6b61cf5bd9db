"""The command line: argument parsing, logging handlers, progress bars and exit codes; no logic (every command
calls the library)."""

from .main import main

__all__ = ["main"]
