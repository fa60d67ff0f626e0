"""Compare two person names part by part and say why they match or not.

Plain string similarity fails both ways on the names this field meets:
Jaro-Winkler rates the brothers "Salim Zerhouni" and "Brahim Zerhouni" close,
and "Ouardani" far from "Abdelhamid Ouardani". :func:`compare_names` instead
splits each name into its parts (given names, family name, kunya, particles,
titles, nicknames, initials; :mod:`threadline.model.names`), pairs the words of
one name with the words of the other, and grades each pair:

- the same word after folding (case, diacritics: Benaïssa = Benaissa);
- a transliteration variant: the same strict skeleton (Mohammed / Muhammad /
  Mohamed, Khalid / Khaled, Ibrahim / Brahim, Abdelhamid / Abdul Hamid, ou/u,
  ee/i) with the same first vowel (Hassan and Hussein share a skeleton but are
  two names);
- sounding alike (same metaphone, close spelling) or a close spelling
  (Jaro-Winkler of the words, not of the whole names);
- a transliteration family: the same consonants under one reading of the
  letters romanisations write differently (Uthman / Usman, Rochim / Rahim,
  Xasan / Hasan), guarded by the first letter and long vowels (Islam / Salim,
  Hassan / Hussein and Mohammed / Mahmoud stay apart);
- an initial ("J." for "John");
- one word written as two ("Bin al-Shibh" / "Binalshibh").

The score rewards names whose every word is accounted for and punishes a
word of the shorter name that finds no partner (a conflict); extra words of
the longer name cost a little (a dropped middle name), middle names and common
words (:func:`common_words`, or without a list the shipped table of
:mod:`threadline.resolve.name_frequencies`) weigh less. Two names that share
only a family name while their given names differ (brothers) score low; a
single name word,
a kunya ("Abu Omar") or a nickname alone is weak evidence and stays under the
decision threshold :data:`MATCH_THRESHOLD`. Word order is free ("Zerhouni,
Salim" = "Salim Zerhouni"); titles (Sheikh, Mullah, Dr) are dropped.

>>> compare_names("Mohammed Benaïssa", "Muhamad Benaissa").level
'variant'
>>> compare_names("Salim Zerhouni", "Brahim Zerhouni").score < MATCH_THRESHOLD
True

Scripts: a name in another script is transliterated with rigour's
``ascii_text``; Arabic-script names come out without short vowels
("mhmd tahr"), so they are compared on consonants only.
"""

from __future__ import annotations

from threadline.resolve.names.compare import (
    DIFFERENT,
    EXACT,
    INITIALS,
    KUNYA_ONLY,
    MATCH_THRESHOLD,
    NICKNAME,
    PARTIAL,
    PATRONYMIC_ORDER,
    SAME_FAMILY,
    VARIANT,
    WEAK,
    NameComparison,
    PartMatch,
    common_words,
    compare_names,
    variant_groups,
)
from threadline.resolve.names.forms import analyse_name

__all__ = [
    "DIFFERENT",
    "EXACT",
    "INITIALS",
    "KUNYA_ONLY",
    "MATCH_THRESHOLD",
    "NICKNAME",
    "PARTIAL",
    "PATRONYMIC_ORDER",
    "SAME_FAMILY",
    "VARIANT",
    "WEAK",
    "NameComparison",
    "PartMatch",
    "analyse_name",
    "common_words",
    "compare_names",
    "variant_groups",
]
