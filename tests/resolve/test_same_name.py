"""The same-name rule (``same_name_links``) joins identities on a name alone only when
nothing tells them apart: two different numbers of the identity document a table
gives (``records import``'s ``doc`` column, of no declared type) do. Every person here
is fictional."""

from __future__ import annotations

import pytest

from threadline.model.person_record import PersonRecord
from threadline.resolve.records import same_name_links


def record(rid: str, name: str, **kw: object) -> PersonRecord:
    return PersonRecord(rid, "d1", int(rid[1:]) + 1, rid, name, f"m{rid}", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "other"),
    [
        ("Jasmyn Corvell", "Yasmin Corvell"),  # one name written two ways (j / y)
        ("Oliver Tremaine", "Oliver Tremaine"),  # the same name key
    ],
)
@pytest.mark.parametrize(
    ("numbers", "joined"),
    [
        (("4307988", "4307988"), True),  # the same number
        (("4307988", None), True),  # one side without a number
        (("4307988", "5564357"), False),  # two numbers: two people of one name
    ],
)
def test_two_identity_numbers_keep_one_name_apart(
    first: str, other: str, numbers: tuple[str | None, str | None], joined: bool
) -> None:
    records = [
        record("r1", first, doc_number=numbers[0], dob="1961-02-14"),
        record("r2", other, doc_number=numbers[1]),  # no date of birth: none to compare
    ]
    assert bool(same_name_links(records, {}, {})) is joined


def test_a_number_the_mapping_leaves_to_the_model_keeps_nobody_apart() -> None:
    """A mapping's undeclared number column is one comparison of the model (it may be
    noisy), not an identity document: it neither links nor keeps apart here."""
    records = [
        record("r1", "Oliver Tremaine", doc_number="4307988", untyped_document_rule=False),
        record("r2", "Oliver Tremaine", doc_number="5564357", untyped_document_rule=False),
    ]
    assert len(same_name_links(records, {}, {})) == 1


def test_declared_documents_of_two_types_keep_nobody_apart() -> None:
    records = [
        record("r1", "Oliver Tremaine", documents=(("passport", "P4307988"),)),
        record("r2", "Oliver Tremaine", documents=(("id_card", "C5564357"),)),
    ]
    assert len(same_name_links(records, {}, {})) == 1
