"""Commands of one group, registered on the main `threadline` app (see cli/app.py)."""

from __future__ import annotations

from threadline.cli.app import app  # noqa: F401  (commands are added with @app.command)
