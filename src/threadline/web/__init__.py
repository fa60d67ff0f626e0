"""The web workbench: a static page (HTML, CSS, vanilla JavaScript modules) served by the
API application, with Cytoscape.js copied into ``static/vendor/`` by the frontend build.

Nothing on the page calls out of the machine: no CDN, no fonts, no analytics;
the server's Content-Security-Policy allows only its own origin.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).with_name("static")
VENDOR_DIR = STATIC_DIR / "vendor"
#: Built by ``make install`` (``npm run build`` in ``frontend/``).
CYTOSCAPE = VENDOR_DIR / "cytoscape.min.js"


def vendor_built() -> bool:
    """True when the frontend build has copied the browser libraries into the package."""
    return CYTOSCAPE.exists()
