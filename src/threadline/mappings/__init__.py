"""Example mappings and small fictional record files (docs/sources.md walks through each).

Every name, number, plate, document number and address in ``samples/`` is
invented; the people are those of the fictional demo case (Vremmingen), so the
records and the demo's articles resolve into one network.

>>> sorted(p.name for p in MAPPINGS.glob("*.yaml"))[:2]
['calls.yaml', 'crossings.yaml']
"""

from __future__ import annotations

from pathlib import Path

#: The folder of example mappings (``*.yaml``).
MAPPINGS = Path(__file__).resolve().parent
#: The folder of the fictional sample files they read.
SAMPLES = MAPPINGS / "samples"
