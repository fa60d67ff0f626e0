"""The REST API (FastAPI): the workspace's network, its evidence and the analyst's
decisions, for the web workbench and any other program. Start it with
``threadline serve``; build it in code with :func:`create_app`.

Layout: ``app`` (factory, error mapping, static page), ``routes/`` (one router
per resource), ``models`` (response bodies), ``snapshot`` (the in-memory read
model), ``search`` and ``graph`` (pure algorithms on it), ``analysis`` and
``identity`` (adapters to ``threadline.analyze`` and the judgements library).
"""

from threadline.api.app import create_app

__all__ = ["create_app"]
