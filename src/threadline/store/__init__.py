"""Storage: the only code that speaks SQL.

A workspace is a folder holding an embedded DuckDB database (``threadline.duckdb``)
and a content-addressed copy of every ingested file (``blobs/ab/abcdef…``).
:func:`open_workspace` is the one entry point; later a PostgreSQL URL will be
accepted by the same function.
"""

from threadline.store.workspace import Workspace, open_workspace

__all__ = ["Workspace", "open_workspace"]
