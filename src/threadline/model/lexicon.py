"""Word lists the extractor consults: places, organisation cue words, common words.

Places come from GeoNames (countries, continents and cities of 15,000 people or
more, shipped as a table: :mod:`threadline.model.places`); word frequencies from ``wordfreq``. The short lists
below are general English vocabulary of the domain, not names from any case.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from threadline.model import places
from threadline.model.names import fold

#: Words that end (or are) an organisation name: "the Oudghiri network", "Syrian army".
ORG_HEADS = frozenset(
    {
        "relief",
        "aid",
        "charity",
        "fund",
        "trust",
        "society",
        "welfare",
        "crew",
        "mafia",
        "cartel",
        "groupe",
        "réseau",
        "reseau",
        "mouvement",
        "organisation",
        "cellule",
        "bande",
        "katiba",
        "group",
        "network",
        "army",
        "police",
        "government",
        "authorities",
        "union",
        "council",
        "party",
        "brigade",
        "brigades",
        "battalion",
        "front",
        "commission",
        "organization",
        "university",
        "times",
        "observatory",
        "museum",
        "ministry",
        "agency",
        "service",
        "services",
        "forces",
        "force",
        "militia",
        "militias",
        "movement",
        "cell",
        "committee",
        "court",
        "parliament",
        "office",
        "bureau",
        "department",
        "institute",
        "alliance",
        "regime",
        "corps",
        "guard",
        "unit",
        "company",
        "bank",
        "foundation",
        "association",
        "federation",
        "league",
        "coalition",
        "caliphate",
        "taliban",
        "gang",
        "clan",
        "family",
        "church",
        "mosque",
        "center",
        "centre",
        "magazine",
        "post",
        "news",
        "press",
        "tribunal",
        "assembly",
        "congress",
        "senate",
        "cabinet",
        "tribe",
    }
)

#: Words that start an organisation name in Arabic transliteration: "Jabhat al-Nusra".
ORG_LEADS = frozenset(
    {
        "katibat",
        "katibah",
        "katiba",
        "jabhat",
        "jabhet",
        "amn",
        "jaish",
        "jaysh",
        "harakat",
        "liwa",
        "ansar",
        "hizb",
        "hezb",
        "tanzim",
        "jamaat",
        "jamaah",
        "jemaah",
        "majlis",
        "saraya",
        "kataib",
        "tahrir",
        "dawla",
        "jund",
        "ahrar",
        "tehrik",
        "lashkar",
    }
)

#: Religions, ideologies and demonyms: never an organisation or a person.
NOT_ACTORS = frozenset(
    {
        "islam",
        "muslim",
        "muslims",
        "christian",
        "christians",
        "christianity",
        "jew",
        "jews",
        "judaism",
        "jihad",
        "jihadi",
        "jihadis",
        "jihadist",
        "jihadists",
        "salafi",
        "salafist",
        "salafism",
        "sunni",
        "shia",
        "shiite",
        "islamist",
        "islamists",
        "western",
        "west",
        "east",
        "god",
        "allah",
        "quran",
        "koran",
        "caliph",
        "emir",
        "sharia",
        "state",
        "the state",
    }
)

#: Online platforms and services: companies, never a person or a place.
PLATFORMS = frozenset(
    {
        "twitter",
        "facebook",
        "youtube",
        "instagram",
        "whatsapp",
        "telegram",
        "google",
        "skype",
        "tiktok",
        "snapchat",
        "viber",
        "signal",
        "paypal",
        "wikipedia",
    }
)

#: Words that come before a name without being part of it: news agencies and
#: nouns of trade ("REUTERS Haddou", "Broadcaster CNN Turk", "Gunman Omar X").
NAME_PREFIXES = frozenset(
    {
        "reuters",
        "afp",
        "ap",
        "epa",
        "dpa",
        "ansa",
        "belga",
        "broadcaster",
        "newspaper",
        "daily",
        "channel",
        "gunman",
        "militant",
        "suspect",
        "bomber",
        "attacker",
        "victim",
        "lawyer",
        "analyst",
        "expert",
        "spokesman",
        "spokeswoman",
        "witness",
        "photographer",
        "correspondent",
        "reporter",
        "activist",
        "cleric",
        "preacher",
        "imam",
    }
)

#: Regions and place words GeoNames' city list does not hold.
REGIONS = frozenset(
    {
        "europe",
        "middle east",
        "levant",
        "africa",
        "asia",
        "north africa",
        "sahel",
        "balkans",
        "caucasus",
        "scandinavia",
        "maghreb",
        "gulf",
        "the west",
        "fertile crescent",
        "kurdistan",
        "molenbeek",
        "schaerbeek",
        "anderlecht",
        "forest",
    }
)

#: Boilerplate of picture desks and web pages that must never become an entity.
BOILERPLATE = frozenset(
    fold(s)
    for s in (
        "ATTENTION EDITORS",
        "TPX IMAGES OF THE DAY",
        "TEMPLATE OUT",
        "MANDATORY CREDIT",
        "FOR EDITORIAL USE ONLY",
        "NO RESALES",
        "NO ARCHIVE",
        "EDITORIAL USE ONLY",
        "Report as abusive",
        "Posted by",
        "Pingback",
        "Leave a Reply",
        "Related Articles",
        "Continue",
        "Days",
        "Hrs",
        "Min",
        "Sec",
        "Handout",
        "CCTV",
        "Handout via Reuters",
        "A THIRD PARTY",
        "AUTHENTICITY",
        "CONTENT",
        "CREDIT",
    )
)


#: First words of street and facility names: "Rue des Cordiers", "Place Flagey".
STREET_WORDS = frozenset(
    {
        "rue",
        "avenue",
        "boulevard",
        "chaussee",
        "chaussée",
        "place",
        "quai",
        "impasse",
        "street",
        "road",
        "lane",
        "square",
        "via",
        "calle",
        "plaza",
        "straat",
        "laan",
        "plein",
        "kade",
        "jalan",
        "jl",
        "avenida",
        "rua",
        "sokak",
        "caddesi",
    }
)
#: Last words of places and facilities: "Lantern Market", "Maelbeek station".
PLACE_HEADS = frozenset(
    {
        "market",
        "station",
        "airport",
        "mall",
        "stadium",
        "square",
        "terminal",
        "hotel",
        "hall",
        "cafe",
        "café",
        "street",
        "road",
        "avenue",
        "bridge",
        "port",
        "harbour",
        "harbor",
        "district",
        "neighbourhood",
        "neighborhood",
        "quarter",
        "island",
        "province",
        "city",
        "town",
        "village",
        "camp",
        "woods",
        "forest",
        "valley",
        "mountains",
        "border",
        "crossing",
    }
)
#: Dutch and German street suffixes: "Zandpoortstraat", "Meirlaan".
STREET_SUFFIXES = ("straat", "laan", "steenweg", "plein", "gracht", "kade", "strasse", "straße")


@lru_cache(maxsize=1)
def word_set(words: str) -> frozenset[str]:
    """A vocabulary written as words separated by white space."""
    return frozenset(words.split())


@lru_cache(maxsize=1)
def _given_names() -> Any:
    """gender-guesser's detector, built once: building it parses its whole dictionary
    file (about 6 s), which every new word paid before (issue 14's throughput)."""
    import gender_guesser.detector as gender_guesser

    return gender_guesser.Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def is_given_name(word: str) -> bool:
    """True when ``word`` is a known given name and not a common English word.

    The list is gender-guesser's dictionary of about 45,000 first names from many
    countries (Arabic, Turkish, European ...). Only membership is used, to tell a
    name from an ordinary capitalised word: the gender it records is read by
    nothing in threadline, and no name attribute feeds any ranking.
    """
    if not word or word_frequency(word) >= 4.3:
        return False
    return bool(_given_names().get_gender(word) != "unknown")


@lru_cache(maxsize=4096)
def is_known_name(word: str) -> bool:
    """True when rigour's Wikidata name list knows ``word`` as a person-name part.

    Thorough but slow (its first call loads the list, about 7 s; then ~0.1 s a
    word): used only where a cheaper test already made a name likely.
    """
    if is_given_name(word):
        return True
    from rigour.names import NameTypeTag, analyze_names

    names = analyze_names(NameTypeTag.PER, [word])
    return any(str(sym).startswith("[NAME:") for n in names for sym in n.symbols)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    return places.known_places() | REGIONS


def _alternate_places() -> frozenset[str]:
    return places.alternate_places()


def is_possible_place(text: str) -> bool:
    """True when ``text`` is some city's alternate name: a place only if context agrees."""
    return fold(text) in _alternate_places() or is_known_place(text)


def _cities() -> frozenset[str]:
    return places.cities()


def is_city(text: str) -> bool:
    """True for a city of 15,000+ people (not a country or region)."""
    return fold(text) in _cities()


def is_known_place(text: str) -> bool:
    """True when ``text`` names a country, continent, region or city of 15,000+."""
    return fold(text) in _places()


@lru_cache(maxsize=65536)
def word_frequency(word: str) -> float:
    """Zipf frequency of ``word`` in English (0 = unseen, 7 = 'the')."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word.lower(), "en"))


def is_org_head(word: str) -> bool:
    return fold(word) in ORG_HEADS


def warm() -> float:
    """Load every word list now; return the seconds it took.

    The lists load lazily on first use (GeoNames places about 0.2 s, rigour's name
    list about 7 s). A parent process calls this before forking extraction
    workers, so that they share one copy instead of each loading its own.
    """
    import time

    start = time.perf_counter()
    _given_names()
    _places()
    _alternate_places()
    _cities()
    word_frequency("the")
    is_known_name.__wrapped__("Zzyzx")  # rigour's list, past the given-name shortcut
    return time.perf_counter() - start
