"""The orchestrator (threadline.pipeline): one table of what runs again after a change,
and a refusal naming the engines for one it does not know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from threadline.errors import PipelineError
from threadline.pipeline import AFTER, process, rerun
from threadline.store import open_workspace


def test_every_change_reruns_stages_downstream_in_pipeline_order() -> None:
    order = ["extract", "resolve", "analyze"]
    for change, stages in AFTER.items():
        assert stages, change
        assert list(stages) == [s for s in order if s in stages], change
        assert stages[-1] == "analyze", change  # the measures always follow the network


def test_a_rerun_on_an_empty_workspace_gives_each_stages_counts(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        counts = rerun(ws, "judgement")
    assert list(counts) == ["resolve", "analyze"]
    assert all(isinstance(v, dict) for v in counts.values())


def test_an_unknown_engine_is_refused_by_name(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws, pytest.raises(PipelineError) as err:
        engine: Any = "quantum"
        process(ws, engine=engine)
    assert "'quantum'" in str(err.value) and "embedded or spark" in str(err.value)
    assert err.value.code == "T300"
