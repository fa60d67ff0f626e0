"""The demo: a small fictional case (invented people and places) shipped with threadline.

Every name, place and event in ``case/`` is invented for this project; see
``CASE.md``. ``expected.json`` is what a careful reader extracts,
and the demo's tests check threadline against it.
"""

from __future__ import annotations

import json
from pathlib import Path

CASE_DIR = Path(__file__).parent / "case"
EXPECTED = json.loads((Path(__file__).parent / "expected.json").read_text(encoding="utf-8"))
KEY_PERSON: str = EXPECTED["key_person"]
