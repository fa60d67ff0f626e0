"""``threadline eval``: score an analysis export against a gold standard.

The rule is the one in the gold's README ("How it is scored", "Added with
dev.json"), shared with the gold's ``score.py``, so that figures from
different tools mean the same:

>>> from threadline.evaluate import fold_name
>>> fold_name("Zoë’s")
'zoe'
"""

from threadline.evaluate.claims import ClaimScores, score_claims
from threadline.evaluate.documents import document_texts, map_documents, restrict
from threadline.evaluate.report import EvalReport, format_report, report_to_dict
from threadline.evaluate.scoring import fold_name, gold_pairs, load_gold, score

__all__ = [
    "ClaimScores",
    "EvalReport",
    "document_texts",
    "fold_name",
    "format_report",
    "gold_pairs",
    "load_gold",
    "map_documents",
    "report_to_dict",
    "restrict",
    "score",
    "score_claims",
]
