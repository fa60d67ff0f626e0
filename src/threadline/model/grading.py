"""Source grading schemes as data: how far an analyst trusts a source and its information.

Two standard schemes:

- **NATO / Admiralty** (STANAG 2511): source reliability A–F and information
  credibility 1–6 ("B2" = usually reliable, probably true).
- **UK 5×5×5** (College of Policing): source evaluation A–E, intelligence
  assessment 1–5 and a handling code 1–5 (handling restricts sharing; it does
  not change confidence).

A grade becomes a weight in (0, 1] that multiplies the confidence of every
tie and claim the graded source supports. "Cannot be judged" grades weigh like
an ungraded source (1.0): ungraded evidence keeps its extraction confidence and
is shown as *ungraded*, never as trusted.

>>> grade_weight("admiralty", "B", "2")
0.72
>>> describe("admiralty", "B", "2")
'B2: usually reliable, probably true'
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.errors import GradeError as GradeError  # defined in errors.py; re-exported


@dataclass(frozen=True)
class Scheme:
    name: str
    sources: dict[str, tuple[str, float]]
    information: dict[str, tuple[str, float]]
    handling: tuple[str, ...] = ()


SCHEMES: dict[str, Scheme] = {
    "admiralty": Scheme(
        "admiralty",
        sources={
            "A": ("completely reliable", 1.0),
            "B": ("usually reliable", 0.8),
            "C": ("fairly reliable", 0.6),
            "D": ("not usually reliable", 0.4),
            "E": ("unreliable", 0.2),
            "F": ("reliability cannot be judged", 1.0),
        },
        information={
            "1": ("confirmed by other sources", 1.0),
            "2": ("probably true", 0.9),
            "3": ("possibly true", 0.7),
            "4": ("doubtful", 0.45),
            "5": ("improbable", 0.2),
            "6": ("truth cannot be judged", 1.0),
        },
    ),
    "5x5x5": Scheme(
        "5x5x5",
        sources={
            "A": ("always reliable", 1.0),
            "B": ("mostly reliable", 0.8),
            "C": ("sometimes reliable", 0.6),
            "D": ("unreliable", 0.3),
            "E": ("untested source", 1.0),
        },
        information={
            "1": ("known to be true without reservation", 1.0),
            "2": ("known personally to the source but not to the officer", 0.9),
            "3": ("not personally known to the source but corroborated", 0.75),
            "4": ("cannot be judged", 1.0),
            "5": ("suspected to be false", 0.2),
        },
        handling=("1", "2", "3", "4", "5"),
    ),
}


def _check(scheme: str, source: str, information: str, handling: str | None = None) -> Scheme:
    s = SCHEMES.get(scheme)
    if s is None:
        raise GradeError(f"unknown grading scheme '{scheme}': use one of {', '.join(SCHEMES)}")
    if source not in s.sources:
        raise GradeError(
            f"source grade '{source}' is not in the {scheme} scheme ({', '.join(s.sources)})"
        )
    if information not in s.information:
        raise GradeError(
            f"information grade '{information}' is not in the {scheme} scheme "
            f"({', '.join(s.information)})"
        )
    if handling is not None and handling not in s.handling:
        raise GradeError(
            f"handling code '{handling}' is not in the {scheme} scheme"
            + (f" ({', '.join(s.handling)})" if s.handling else " (it has none)")
        )
    return s


def grade_weight(scheme: str, source: str, information: str) -> float:
    """The factor a grade applies to the confidence of what the source supports."""
    s = _check(scheme, source, information)
    return round(s.sources[source][1] * s.information[information][1], 4)


def describe(scheme: str, source: str, information: str) -> str:
    s = _check(scheme, source, information)
    return f"{source}{information}: {s.sources[source][0]}, {s.information[information][0]}"


def validate(scheme: str, source: str, information: str, handling: str | None = None) -> None:
    """Raise :class:`GradeError` naming what is wrong with a grade."""
    _check(scheme, source, information, handling)
