"""The `pos` command line, outside the core packages: each command module calls services,
hardware or the UI; nothing in the core imports this package."""

from pos_app.cli.main import EXIT_FAILED, EXIT_OK, EXIT_USAGE, build_parser, main, open_db

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main", "open_db"]
