"""Metadata: the date parser, datelines and bylines, HTML tags, sidecars, merging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.ingest.metadata import (
    DocumentMeta,
    byline,
    dateline_date,
    find_date,
    load_sidecar,
    merge_meta,
    meta_from_html,
    meta_from_mapping,
    meta_from_text,
    parse_date,
    sidecar_path,
)
from threadline.ingest.readers import ReadError

PARA = (
    "The court heard on Tuesday that the defendant had met the other men at a gym in the "
    "old town, where they trained together for two years before any of them travelled."
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("March 23, 2016", "2016-03-23"),
        ("March 23 2016", "2016-03-23"),
        ("Mar. 5, 2016", "2016-03-05"),
        ("Sept 1st, 2014", "2014-09-01"),
        ("23 March 2016", "2016-03-23"),
        ("23rd of March 2016", "2016-03-23"),
        ("Wednesday, March 23, 2016", "2016-03-23"),
        ("23 mars 2016", "2016-03-23"),
        ("1er mars 2016", "2016-03-01"),
        ("mercredi 23 mars 2016", "2016-03-23"),
        ("5 août 2015", "2015-08-05"),
        ("5 aout 2015", "2015-08-05"),
        ("12 décembre 2015", "2015-12-12"),
        ("14 februari 2017", "2017-02-14"),
        ("2016-03-23", "2016-03-23"),
        ("2016-03-23T14:05:00+01:00", "2016-03-23"),
        ("2016/3/23", "2016-03-23"),
        ("  March 23, 2016. ", "2016-03-23"),
    ],
)
def test_parse_date_accepts(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "February 30, 2016",  # no such day
        "03/04/2016",  # day/month order unknown: not guessed
        "March 2016",  # no day
        "2016",
        "Tuesday",
        "March 23, 2016 and more words",
        "13 Smarch 2016",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_find_date_inside_a_sentence() -> None:
    text = "The raid took place on 18 March 2016 in the west of the city."
    iso, start, end = find_date(text)
    assert iso == "2016-03-18"
    assert text[start:end] == "18 March 2016"
    assert find_date("no date here, only 2016") is None


def test_dateline_and_byline_lines() -> None:
    assert dateline_date("March 23, 2016") == "2016-03-23"
    assert dateline_date("Published: 23 mars 2016 at 10:45") == "2016-03-23"
    assert dateline_date("Updated March 24, 2016") is None  # not the publication date
    assert dateline_date("On March 23, 2016 the police raided a flat.") is None
    assert byline("By Jo Smet (@jsmet) on March 24, 2016") == ("Jo Smet", "2016-03-24")
    assert byline("By Daan de Vries, 20 November 2024") == ("Daan de Vries", "2024-11-20")
    assert byline("By Ann Peeters and Tom Wouters") == ("Ann Peeters, Tom Wouters", None)
    assert byline("By Ann Peeters | Staff Writer") == ("Ann Peeters", None)
    assert byline("By now the pattern is well established.") is None
    assert byline("By March 2016 the group had split.") is None
    assert byline("By Tuesday Morning, the men had gone back to the flat and slept.") is None


def test_meta_from_text_top_lines_only() -> None:
    text = f"A Title\n\nMarch 23, 2016\nBy Jo Smet\n\n{PARA}\n"
    meta = meta_from_text(text, title="A Title")
    assert meta == DocumentMeta(title="A Title", published="2016-03-23", author="Jo Smet")
    deep = "\n\n".join([PARA] * 15 + ["March 23, 2016", "By Jo Smet"])
    assert meta_from_text(deep) == DocumentMeta()  # nothing near the top: nothing guessed


def test_meta_from_text_first_date_wins_and_title_is_optional() -> None:
    text = f"By Jo Smet (@jsmet) on March 24, 2016\n\nMarch 1, 2016\n\n{PARA}"
    meta = meta_from_text(text)
    assert meta.published == "2016-03-24" and meta.author == "Jo Smet" and meta.title is None


def test_meta_from_markdown_front_matter() -> None:
    text = '---\ntitle: "Front Title"\ndate: 2016-03-22\nauthor: Jo Smet\n---\n# Other\n\nBody.\n'
    meta = meta_from_text(text, title="Other")
    assert meta == DocumentMeta(title="Front Title", published="2016-03-22", author="Jo Smet")
    broken = "---\ndate: someday\n---\nMarch 2, 2016\n"
    assert meta_from_text(broken).published == "2016-03-02"


def test_merge_meta_earlier_wins_field_by_field() -> None:
    given = DocumentMeta(title="Given")
    side = DocumentMeta(title="Side", outlet="Side Outlet", published="2016-03-01")
    own = DocumentMeta(title="Own", published="2016-03-23", author="Own Author")
    assert merge_meta(given, None, side, own) == DocumentMeta(
        title="Given", published="2016-03-01", outlet="Side Outlet", author="Own Author"
    )
    assert merge_meta() == DocumentMeta()
    assert merge_meta(DocumentMeta(title=""), own).title == "Own"


HEAD = """<!doctype html><html><head>
<meta charset="utf-8">
<title>Page Title | The Site</title>
<meta property="og:title" content="OG Title">
<meta property="article:published_time" content="2016-03-22T09:58:00+01:00">
<meta name="author" content="By Jo Smet">
<meta property="og:site_name" content="The Harbour Post">
<link rel="canonical" href="https://example.org/a/1">
</head><body><p>x</p></body></html>"""


def test_meta_from_html_tags() -> None:
    assert meta_from_html(HEAD) == DocumentMeta(
        title="OG Title",
        published="2016-03-22",
        outlet="The Harbour Post",
        author="Jo Smet",
        url="https://example.org/a/1",
    )


def test_meta_from_html_is_conservative() -> None:
    html = """<html><head><title> Only  the title </title>
    <meta property="article:published_time" content="last week">
    <meta property="article:author" content="https://facebook.com/someone">
    <link rel="canonical" href="/relative/path"></head><body></body></html>"""
    assert meta_from_html(html) == DocumentMeta(title="Only the title")
    assert meta_from_html("") == DocumentMeta()
    assert meta_from_html("<html><head><meta name=date content='2016-03-24'>") == DocumentMeta(
        published="2016-03-24"
    )


def test_meta_from_mapping_keys_and_checks() -> None:
    meta = meta_from_mapping(
        {"title": " T ", "source_name": "Outlet", "author": ["A B", "C D"], "date": "23 March 2016"}
    )
    assert meta == DocumentMeta(
        title="T", outlet="Outlet", author="A B, C D", published="2016-03-23"
    )
    assert meta_from_mapping({"published": "2016-03"}).published == "2016-03"
    assert meta_from_mapping({"outlet": "O", "source_name": "S"}).outlet == "O"
    assert meta_from_mapping({"unknown": 1, "url": None}) == DocumentMeta()
    with pytest.raises(ValueError, match="published"):
        meta_from_mapping({"published": "next Tuesday"})
    with pytest.raises(ValueError, match="title"):
        meta_from_mapping({"title": 5})


def test_sidecar(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("x", encoding="utf-8")
    assert sidecar_path(doc) == tmp_path / "a.txt.meta.json"
    assert load_sidecar(doc) is None
    sidecar_path(doc).write_text(json.dumps({"title": "S", "url": "https://e.org/x"}), "utf-8")
    assert load_sidecar(doc) == DocumentMeta(title="S", url="https://e.org/x")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"published": "whenever"}', "published"),
    ],
)
def test_bad_sidecar_names_the_sidecar(tmp_path: Path, content: str, reason: str) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("x", encoding="utf-8")
    sidecar_path(doc).write_text(content, encoding="utf-8")
    with pytest.raises(ReadError, match=reason) as err:
        load_sidecar(doc)
    assert err.value.path == str(sidecar_path(doc))
    assert str(err.value).startswith(f"[T220] {sidecar_path(doc)}: ")
