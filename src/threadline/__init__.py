"""threadline: from documents about a network to an evidence-backed network.

The pipeline has one package per stage::

    ingest -> extract -> resolve -> analyze -> export / report

Every name, tie and claim keeps its :class:`~threadline.model.Evidence`: the
stored document and the exact character span that states it.
"""

__version__ = "0.1.0"
