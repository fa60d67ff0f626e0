"""``threadline eval``: score an analysis export against a gold standard.

The rule is the one in the gold's README ("How it is scored"), so that figures
from different tools mean the same:

>>> from threadline.evaluate import fold_name
>>> fold_name("Belkaïd’s")
'belkaid'
"""

from threadline.evaluate.claims import ClaimScores, score_claims
from threadline.evaluate.report import EvalReport, format_report, report_to_dict
from threadline.evaluate.scoring import fold_name, gold_pairs, load_gold, score

__all__ = [
    "ClaimScores",
    "EvalReport",
    "fold_name",
    "format_report",
    "gold_pairs",
    "load_gold",
    "report_to_dict",
    "score",
    "score_claims",
]
