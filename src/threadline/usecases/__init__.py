"""Use cases the CLI and the API share: one function each, the interfaces only parse
their arguments and render the answer.

==================  =========================  ==============================
use case            command line               API
==================  =========================  ==============================
key players         ``threadline keyplayers``  ``GET /api/key-players``
triage              ``threadline triage``      ``GET /api/triage``
contagion           ``threadline contagion``   ``GET /api/contagion``
summary             ``threadline run``, demo   ``GET /api/summary``
exports             ``threadline export``      ``GET /api/exports/{fmt}``
judge in the view   ``threadline judge`` ...   ``POST /api/judgements`` ...
entity profile      ``export``, ``dossier``    ``GET /api/entities/{id}``
watch               ``threadline watch ...``   ``GET|POST /api/watches``
==================  =========================  ==============================

The analysis use cases are in :mod:`threadline.usecases.analysis`, the summary in
:mod:`threadline.usecases.summary`, judging and splitting in the user's view
:mod:`threadline.usecases.judgements`, watching an entity (with the user's view
applied) :mod:`threadline.usecases.watch`; the exports are
:func:`threadline.export.formats.render_format`, and undo and the corrections
:mod:`threadline.pipeline.judgements`. The entity profile is
:func:`threadline.export.profile.entity_profiles`: the JSON export (and so the
dossier) fills its rows from the workspace, the entity page from the API's read model
(:mod:`threadline.api.profiles`); it lives in ``export`` because the JSON export, one
of its callers, sits in that layer below this package. ``tests/e2e/test_parity.py``
asks both interfaces on the demo and compares the answers. The package sits above the
orchestrator and below the interfaces in the import contract (docs/architecture.md).
"""
