"""Declarative mappings: the shipped examples load; every mistake is named with the
mapping file and the key; a file that lacks a mapped column is refused before any
row is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.errors import InputError
from threadline.ingest.mapping import (
    MAPPING_VERSION,
    MappingError,
    check_columns,
    load_mapping,
    parse_mapping,
)
from threadline.mappings import MAPPINGS, SAMPLES

EXAMPLES = sorted(MAPPINGS.glob("*.yaml"))

MEMBERS = """
version: 1
entities:
  member: {schema: Person, name: full_name, aliases: kunya}
  recruiter: {schema: Person, name: recruiter}
ties:
  - {type: recruited_by, source: member, target: recruiter}
"""


def _error(text: str) -> MappingError:
    with pytest.raises(MappingError) as info:
        parse_mapping(text, path="forms.yaml")
    return info.value


def test_every_example_mapping_loads_and_has_a_sample_file() -> None:
    assert {p.stem for p in EXAMPLES} >= {
        "membership", "calls", "subscribers", "crossings", "rentals", "forensics", "events",
    }  # fmt: skip
    for path in EXAMPLES:
        mapping = load_mapping(path)
        assert mapping.name and mapping.sha256
    assert len(list(SAMPLES.iterdir())) >= 7


def test_a_minimal_mapping_reads_its_parts() -> None:
    m = parse_mapping(MEMBERS, path="forms.yaml")
    assert set(m.entities) == {"member", "recruiter"}
    assert m.entities["member"].aliases[0].column == "kunya"
    assert m.ties[0].type == "recruited_by"
    assert m.columns() == {
        "full_name": "entities.member.name",
        "kunya": "entities.member.aliases",
        "recruiter": "entities.recruiter.name",
    }


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("entities: {}", "version", "missing"),
        ("version: 2\nentities: {}", "version", "not a mapping version"),
        (MEMBERS.replace("full_name, aliases", "full_name, alias"), "entities.member.alias", "did you mean 'aliases'"),
        (MEMBERS.replace("schema: Person, name: full_name", "schema: Persn, name: full_name"), "entities.member.schema", "did you mean 'Person'"),
        (MEMBERS.replace("recruited_by", "recruted_by"), "ties[0].type", "did you mean 'recruited_by'"),
        (MEMBERS.replace("target: recruiter}", "target: boss}"), "ties[0].target", "not an entity of this mapping"),
        (MEMBERS + "source: {delimiter: ';;'}\n", "source.delimiter", "not one character"),
        (MEMBERS + "source: {format: xls}\n", "source.format", "not one of"),
        (MEMBERS + "source: {header_row: yes}\n", "source.header_row", "not a row number"),
        (MEMBERS + "source: {country_code: Belgium}\n", "source.country_code", "not a country calling code"),
        (MEMBERS + "source: {encoding: klingon}\n", "source.encoding", "no known text encoding"),
        ("version: 1\nentities:\n  m: {schema: Person, name: [a, [b]]}\n", "entities.m.name[1]", "expected text"),
        ("version: 1\nentities:\n  m: {schema: Person, name: {column: a, type: colour}}\n", "entities.m.name.type", "not one of"),
        ("version: 1\nentities:\n  m: {schema: Person, name: {column: a, value: b}}\n", "entities.m.name", "exactly one of"),
        ("version: 1\nentities:\n  m: {schema: Organization, name: a, dob: b}\n", "entities.m.dob", "only a Person"),
        ("version: 1\nentities:\n  m: {schema: Person}\n", "entities.m.name", "missing"),
        ("version: 1\nentities:\n  m: {schema: Organization, name: a, given: b}\n", "entities.m.given", "only a Person"),
        ("version: 1\nentities:\n  m: {schema: Person, name: a, document_links: true}\n", "entities.m.document_links", "'document' links"),
        ("version: 1\nentities:\n  m: {schema: Person, name: a, document: d, document_links: 1}\n", "entities.m.document_links", "true or false"),
        ("version: 1\ncalls: {caller: a, callee: b}\n", "calls.start", "missing"),
        ("version: 1\ncalls: {caller: a, callee: b, start: c}\nentities:\n  m: {schema: Person, name: n}\n", "calls", "calls only"),
        (MEMBERS + "together:\n  - {entity: member}\n", "together[0].by", "missing"),
        (MEMBERS + "ties:\n  - {type: other, source: member, target: member}\n", "ties[0]", "to itself"),
        ("version: 1\nentities:\n  g: {schema: Person, name: g}\n  p: {schema: Person, name: p}\nties:\n  - {type: member_of, source: p, target: g}\n", "ties[0].target", "needs an Organization"),
        (MEMBERS + "ties:\n  - {type: other, source: member, target: recruiter, confidence: 2}\n", "ties[0].confidence", "at most 1"),
    ],
)  # fmt: skip
def test_each_mistake_names_the_mapping_file_and_the_key(text: str, key: str, words: str) -> None:
    error = _error(text)
    assert error.key == key
    message = str(error)
    assert "forms.yaml" in message and key in message and words in message


def test_yaml_that_does_not_parse_says_where() -> None:
    error = _error("version: 1\nentities: [unclosed\n")
    assert "not valid YAML at line" in str(error)


def test_yaml_aliases_are_refused_so_a_mapping_cannot_expand_into_a_bomb() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\nversion: 1\n"
    assert "aliases" in str(_error(bomb))


def test_a_mapping_that_is_not_utf8_or_too_large_is_refused() -> None:
    with pytest.raises(MappingError, match="not UTF-8"):
        parse_mapping(b"version: 1\nname: caf\xe9\n", path="m.yaml")
    with pytest.raises(MappingError, match="not a mapping"):
        parse_mapping("#" * 300_000, path="m.yaml")


def test_a_missing_mapping_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="cannot read"):
        load_mapping(tmp_path / "nope.yaml")


def test_a_column_the_file_lacks_is_named_with_the_mapping_key_and_the_header() -> None:
    m = parse_mapping(MEMBERS, path="forms.yaml")
    with pytest.raises(InputError) as info:
        check_columns(m, ["full_name", "kunya", "recruited by"], path="forms.csv")
    message = str(info.value)
    assert "forms.csv" in message and "no column 'recruiter'" in message
    assert "entities.recruiter.name" in message and "did you mean 'recruited by'" in message


def test_a_header_read_as_one_cell_suggests_the_delimiter() -> None:
    m = parse_mapping(MEMBERS, path="forms.yaml")
    with pytest.raises(InputError, match="is the delimiter ';'"):
        check_columns(m, ["full_name;kunya;recruiter"], path="forms.csv")


# -- property-based: the validator never fails in any other way ------------------------------

_keys = st.sampled_from(
    ["version", "name", "source", "entities", "ties", "together", "overlaps", "calls", "id",
     "schema", "type", "column", "value", "aliases", "format", "by", "entity", "place", "start"]
)  # fmt: skip
_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
    st.sampled_from(["Person", "Address", "recruited_by", "a", "", "csv", "%d/%m/%Y", "date"]),
    st.text(max_size=8),
)  # fmt: skip
_tree = st.recursive(
    _leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=20,
)


@settings(deadline=None)
@given(doc=st.dictionaries(_keys, _tree, max_size=6))
def test_any_yaml_either_loads_or_is_a_mapping_error(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump({"version": MAPPING_VERSION, **doc})
    try:
        m = parse_mapping(text, path="fuzz.yaml")
    except MappingError as exc:
        assert str(exc).startswith("[T210] fuzz.yaml")
    else:
        assert m.entities or m.calls


_column = st.text(alphabet="abcdefghij_ ", min_size=1, max_size=8).filter(str.strip)


@settings(deadline=None)
@given(
    names=st.lists(_column, min_size=2, max_size=5, unique_by=str.strip),
    schema=st.sampled_from(["Person", "Organization", "Address", "Event"]),
)
def test_a_generated_valid_mapping_loads_and_reads_its_columns(
    names: list[str], schema: str
) -> None:
    columns = [n.strip() for n in names]
    doc = {
        "version": 1,
        "entities": {
            "a": {"schema": schema, "name": columns[0]},
            "b": {"schema": "Person", "name": columns[1], "properties": {"x": columns[-1]}},
        },
        "ties": [{"type": "other", "source": "b", "target": "a"}],
    }
    m = parse_mapping(yaml.safe_dump(doc), path="gen.yaml")
    assert set(m.columns()) == {columns[0], columns[1], columns[-1]}
    check_columns(m, columns, path="gen.csv")  # every column present: no error
    with pytest.raises(InputError):
        check_columns(m, columns[1:] if columns[0] not in columns[1:] else [], path="gen.csv")
