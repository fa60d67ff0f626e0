"""The workbench's snapshot after a write: swapped in, the old one freed, the garbage
collector's frozen set kept to the live snapshot (no full sweep on every write)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from threadline.api.state import Workbench


def test_a_refresh_frees_the_old_snapshot_and_freezes_only_the_new(
    case_workspace: Path,
) -> None:
    wb = Workbench(case_workspace)
    try:
        wb.refresh()
        frozen = gc.get_freeze_count()
        old = weakref.ref(wb.snapshot)
        for _ in range(5):
            wb.refresh()
        assert old() is None  # freed by reference counting, though it was frozen
        # five refreshes did not pile five snapshots into the frozen set
        assert gc.get_freeze_count() <= frozen * 1.05 + 1_000
        assert wb.generation == 7
    finally:
        wb.close()
