"""Segmentation of web-page text: comments, picture-desk chrome, captions, credits, headings.

The synthetic texts below imitate the layout of pages copied from news sites;
the seed articles are read from ../shared at run time (never copied here).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from threadline.ingest.segments import (
    CONTENT_KINDS,
    KINDS,
    Segment,
    segment_text,
    segment_title,
)

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"

BODY = (
    "Investigators said on Monday that the two brothers had rented a flat in the harbour "
    "district under a false name, and that a third man, Pieter Claes, drove them to the "
    "station on the morning of the attack."
)
BODY2 = (
    "The prosecutor's office added that phone records show the men spoke almost daily in "
    "the weeks before, and that one of them had travelled to Turkey twice in the spring."
)
BODY3 = (
    "Neighbours described the family as quiet. A cousin, who asked not to be named, said the "
    "younger brother had changed after a spell in prison and had cut off old friends."
)


def kind_at(text: str, segments: list[Segment], needle: str) -> str:
    """The kind of the segment holding the first occurrence of ``needle`` (all of it)."""
    i = text.index(needle)
    kinds = {s.kind for s in segments if s.start < i + len(needle) and s.end > i}
    assert len(kinds) == 1, f"{needle!r} straddles {kinds}"
    return kinds.pop()


def assert_tiles(text: str, segments: list[Segment]) -> None:
    assert segments[0].start == 0
    assert segments[-1].end == len(text)
    for a, b in zip(segments, segments[1:], strict=False):
        assert a.end == b.start and a.start < a.end
        assert a.kind != b.kind, "adjacent segments of one kind are merged"
    assert {s.kind for s in segments} <= KINDS


def test_empty_text_has_no_segments() -> None:
    assert segment_text("") == []


@pytest.mark.parametrize(
    "text",
    [
        "one line",
        "\n\n\n",
        "   \r\n  \r\n",
        "Title\r\n\r\nBody\r\nmore\r\n",
        "Title\rold mac line breaks\r",
        f"\n\nA Title\n\n{BODY}\n\n3 comments\n\nPosted by x | Report as abusive\n",
        "Days\nHrs\nMin\nSec",
        "No trailing newline at all, and a long enough sentence to be a paragraph of body.",
    ],
)
def test_segments_tile_the_text(text: str) -> None:
    assert_tiles(text, segment_text(text))


def test_title_first_short_line_then_body() -> None:
    text = f"Harbour Cell Broken Up\n\n{BODY}\n"
    segs = segment_text(text)
    assert kind_at(text, segs, "Harbour Cell Broken Up") == "title"
    assert kind_at(text, segs, "Pieter Claes") == "body"
    assert segment_title(text, segs) == "Harbour Cell Broken Up"


def test_no_title_when_text_opens_with_a_paragraph() -> None:
    text = f"{BODY}\n\nShort Line Later\n\n{BODY}\n"
    segs = segment_text(text)
    assert segment_title(text, segs) is None
    assert "title" not in {s.kind for s in segs}


def test_reader_comments_section() -> None:
    text = (
        f"Harbour Cell Broken Up\n\n{BODY}\n\n{BODY2}\n\n{BODY3}\n\n"
        "4 comments\n\n"
        "Well that explains a lot about the mayor.\n\n"
        "Posted by NightOwl77 | Report as abusive\n\n"
        "They should have watched the Claes family years ago.\n"
        "Nobody listens.\n\n"
        "Posted by harbour_kid | Report as abusive\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "Pieter Claes") == "body"
    for needle in ["4 comments", "NightOwl77", "harbour_kid", "Claes family", "the mayor"]:
        assert kind_at(text, segs, needle) == "comment"


def test_wordpress_comment_footer() -> None:
    text = (
        f"Title Here\n\n{BODY}\n\n{BODY2}\n\n"
        "2 thoughts on “Title Here”\n\n"
        "  1. Pingback: Some Blog | Another Story About It\n\n"
        "Leave a Reply\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "Another Story") == "comment"
    assert kind_at(text, segs, "Leave a Reply") == "comment"
    assert kind_at(text, segs, "Pieter Claes") == "body"


def test_signature_without_header_marks_the_comment_above() -> None:
    text = (
        f"Title\n\n{BODY}\n\n{BODY2}\n\nWhat a mess, says I.\n\nPosted by Zed | Report as abusive\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "What a mess") == "comment"
    assert kind_at(text, segs, "Zed") == "comment"


def test_a_comments_heading_early_does_not_swallow_the_article() -> None:
    text = f"Title\n\nComments\n\n{BODY}\n\n{BODY2}\n"
    segs = segment_text(text)
    assert kind_at(text, segs, "Pieter Claes") == "body"
    assert kind_at(text, segs, "Comments") == "boilerplate"


def test_picture_desk_line_is_split_into_caption_credit_and_boilerplate() -> None:
    text = (
        f"Title\n\n{BODY}\n\n"
        "Police officers guard the station in Ghent, Belgium, May 2, 2021.   "
        "REUTERS/Anna Vos/Handout via Reuters  ATTENTION EDITORS - THIS IMAGE HAS BEEN SUPPLIED "
        "BY A THIRD PARTY. FOR EDITORIAL USE ONLY. NO RESALES. NO ARCHIVE.   "
        "TPX IMAGES OF THE DAY - RTSZZ9Q\n\n"
        "ATTENTION EDITORS - VISUAL COVERAGE OF SCENES OF INJURY    A wounded man is helped "
        "near the market in Ghent, Belgium, May 2, 2021.  REUTERS/Bram de Wit  - RTX9ABCD\n\n"
        "Police officers guard the station. REUTERS/Anna Vos\n\n"
        f"{BODY}\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "Police officers guard the station in Ghent") == "caption"
    assert kind_at(text, segs, "REUTERS/Anna Vos/Handout via Reuters") == "credit"
    assert kind_at(text, segs, "ATTENTION EDITORS - THIS IMAGE") == "boilerplate"
    assert kind_at(text, segs, "TPX IMAGES OF THE DAY - RTSZZ9Q") == "boilerplate"
    assert kind_at(text, segs, "VISUAL COVERAGE OF SCENES OF INJURY") == "boilerplate"
    assert kind_at(text, segs, "A wounded man is helped") == "caption"
    assert kind_at(text, segs, "REUTERS/Bram de Wit") == "credit"
    assert kind_at(text, segs, "RTX9ABCD") == "boilerplate"
    assert kind_at(text, segs, "Police officers guard the station.") == "caption"


def test_credit_before_caption_and_other_credit_forms() -> None:
    text = (
        "Lena Maes / Reuters A soldier stands guard at the airport, March 3, 2020.\n"
        "Magazine Section Name\n\n"
        "Real Headline\n\n"
        f"{BODY}\n\n"
        "A crowd gathers outside the court (AP Photo/Jo Smet)\n\n"
        "Reporting by Ann Peeters; Editing by Tom Wouters\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "Lena Maes / Reuters") == "credit"
    assert kind_at(text, segs, "A soldier stands guard") == "caption"
    assert kind_at(text, segs, "AP Photo/Jo Smet") == "credit"
    assert kind_at(text, segs, "A crowd gathers") == "caption"
    assert kind_at(text, segs, "Reporting by Ann Peeters") == "credit"
    assert segment_title(text, segs) == "Real Headline"


def test_body_slash_is_not_a_credit() -> None:
    text = f"Title\n\nA Reuters/Ipsos poll found that most voters agreed. {BODY}\n"
    segs = segment_text(text)
    assert kind_at(text, segs, "Reuters/Ipsos poll") == "body"


def test_duplicated_and_fragment_captions() -> None:
    text = (
        f"Title\n\n{BODY}\n\n"
        "A banner reading\n\n"
        "A banner reading “never again” hangs from a bridge in Ghent, Belgium, May 3, 2021.\n\n"
        "Flowers at the station.\n\n"
        "Flowers at the station.\n\n"
        "Mourners in Ghent.\n"
        f"{BODY}\n\n"
        "It was over.\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "A banner reading") == "caption"
    assert kind_at(text, segs, "hangs from a bridge") == "caption"
    assert kind_at(text, segs, "Flowers at the station.") == "caption"
    assert kind_at(text, segs, "Mourners in Ghent.") == "caption"
    assert kind_at(text, segs, "It was over.") == "body"


def test_cookie_paywall_and_countdown_chrome() -> None:
    text = (
        f"Title\n\n{BODY}\n\n{BODY2}\n\n{BODY3}\n\n"
        "Related Articles\n\n"
        "Ten Things About Harbours\n"
        "Another Teaser Headline\n\n"
        "We use cookies to give you the best experience. Click here to learn more.\n\n"
        "Continue\n\n"
        "Close We are offering free and open access for a limited time.\n\n"
        "Days\nHrs\nMin\nSec\n"
    )
    segs = segment_text(text)
    for needle in ["Related Articles", "Ten Things", "use cookies", "Continue", "open access"]:
        assert kind_at(text, segs, needle) == "boilerplate"
    assert kind_at(text, segs, "Days\nHrs\nMin\nSec") == "boilerplate"


def test_single_chrome_lines_inside_the_article() -> None:
    text = (
        f"Title\n\n{BODY}\n\nShare | Tweet | Email\n\nAdvertisement\n\n"
        "Read more\n\nShort paragraph that continues the story after the box.\n\n"
        f"{BODY}\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "Share | Tweet | Email") == "boilerplate"
    assert kind_at(text, segs, "Advertisement") == "boilerplate"
    assert kind_at(text, segs, "Read more") == "boilerplate"
    assert kind_at(text, segs, "Short paragraph that continues") == "body"


def test_headings_after_the_title() -> None:
    text = (
        "The Real Title\n\nHow the Cells Were Built\n\n"
        f"{BODY}\n\nTHE NEXT STEP\n\n{BODY}\n\n"
        "as it happens, a lower-case line without a stop\n\n"
        f"{BODY}\n"
    )
    segs = segment_text(text)
    assert kind_at(text, segs, "The Real Title") == "title"
    assert kind_at(text, segs, "How the Cells Were Built") == "heading"
    assert kind_at(text, segs, "THE NEXT STEP") == "heading"
    assert kind_at(text, segs, "as it happens") == "body"
    assert {"title", "heading", "body", "caption"} == CONTENT_KINDS


def test_dateline_and_byline_are_body_not_title() -> None:
    text = f"March 23, 2016\n\nBy Jo Smet (@jsmet) on March 24, 2016\n\n{BODY}\n"
    segs = segment_text(text)
    assert segment_title(text, segs) is None
    assert kind_at(text, segs, "Jo Smet") == "body"


def test_markdown_title_heading_and_front_matter() -> None:
    text = f"---\ntitle: X\n---\n# The Title\n\n{BODY}\n\n## A section\n\n{BODY}\n"
    segs = segment_text(text)
    assert kind_at(text, segs, "title: X") == "boilerplate"
    assert kind_at(text, segs, "# The Title") == "title"
    assert kind_at(text, segs, "## A section") == "heading"
    assert segment_title(text, segs) == "The Title"


def test_crlf_offsets_point_into_the_original_text() -> None:
    text = f"Title\r\n\r\n{BODY}\r\n\r\n5 comments\r\n\r\nPosted by Q | Report as abusive\r\n"
    segs = segment_text(text)
    assert_tiles(text, segs)
    assert kind_at(text, segs, "Pieter Claes") == "body"
    assert kind_at(text, segs, "Posted by Q") == "comment"


# ------------------------------------------------------------------ the seeds


def seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("shared seed corpus not present")
    path = next(SEEDS.glob(f"{prefix}_*.txt"), None)
    if path is None:
        pytest.skip(f"seed {prefix} not present")
    return path.read_bytes().decode("utf-8")


def kinds_of_all(text: str, segs: list[Segment], needle: str) -> set[str]:
    """Kinds of every segment touching any occurrence of ``needle``."""
    out, i = set(), text.find(needle)
    assert i >= 0, needle
    while i >= 0:
        out |= {s.kind for s in segs if s.start < i + len(needle) and s.end > i}
        i = text.find(needle, i + 1)
    return out


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seeds_tile(prefix: str) -> None:
    text = seed(prefix)
    assert_tiles(text, segment_text(text))


def test_seed_001_comments_captions_credits() -> None:
    text = seed("001")
    segs = segment_text(text)
    for handle in ["GetReel", "UauS", "DasVeed", "EndlessIke", "Solidar", "Andy_Whitehead"]:
        assert kinds_of_all(text, segs, handle) == {"comment"}
    for word in ["Merkel", "Guatemala", "Boko Haram"]:  # named only by readers
        assert kinds_of_all(text, segs, word) == {"comment"}
    assert kind_at(text, segs, "Salah Abdeslam was captured") == "body"
    for name in ["Jef Versele", "Philippe Wojazer", "Sandra Auger"]:
        assert kinds_of_all(text, segs, name) == {"credit"}
    for chrome in ["ATTENTION EDITORS", "TPX IMAGES OF THE DAY", "RTSBQ8B", "GF20000081138"]:
        assert kinds_of_all(text, segs, chrome) == {"boilerplate"}
    assert kinds_of_all(text, segs, "Maelbeek train station") == {"caption"}
    assert segment_title(text, segs) is not None


def test_seed_002_wordpress_footer() -> None:
    text = seed("002")
    segs = segment_text(text)
    tail = text.index("1 thought on")
    assert all(s.kind == "comment" for s in segs if s.end > tail)
    assert kind_at(text, segs, "Leave a Reply") == "comment"
    assert kind_at(text, segs, "Sharia4Belgium was very successful") == "body"


def test_seed_003_caption_and_credit() -> None:
    text = seed("003")
    segs = segment_text(text)
    assert kind_at(text, segs, "CCTV/Handout via Reuters") == "credit"
    assert kind_at(text, segs, "Ben Rich is unit coordinator") == "body"


def test_seed_004_chrome_caption_title() -> None:
    text = seed("004")
    segs = segment_text(text)
    for chrome in [
        "Related Articles",
        "This site uses cookies",
        "Continue",
        "Explore the Anthology",
    ]:
        assert kinds_of_all(text, segs, chrome) == {"boilerplate"}
    for word in ["Days", "Hrs", "Min", "Sec"]:  # the lone countdown lines
        i = re.search(rf"^{word}$", text, re.MULTILINE).start()
        assert [s.kind for s in segs if s.start <= i < s.end] == ["boilerplate"]
    assert kind_at(text, segs, "Francois Lenoir / Reuters") == "credit"
    assert kind_at(text, segs, "A placard reading") == "caption"
    assert segment_title(text, segs) == "Lone Wolves No More"
    assert kind_at(text, segs, "His old friend from Molenbeek") == "body"
