"""Entry point of the ``tweepy-dm`` command; works even without the ``cli`` extra."""

from __future__ import annotations

import sys
from typing import NoReturn, Optional


def main(argv: Optional[list[str]] = None) -> NoReturn:
    """Run the command line and exit with its status (2 if the cli extra is missing)."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError as missing:
        print(
            f"tweepy-dm's command line needs the cli extra ({missing.name} is not installed):\n"
            "    pip install 'tweepy-dm[cli]'",
            file=sys.stderr,
        )
        sys.exit(2)
    from tweepy_dm.cli._app import cli

    cli.main(args=argv, prog_name="tweepy-dm")  # click exits with the command's status
    sys.exit(0)  # pragma: no cover - click always exits in standalone mode
