"""Plain typed records of the pipeline and the tie vocabulary. No I/O here."""

from threadline.model.records import (
    Assertion,
    Claim,
    Document,
    Entity,
    Evidence,
    Mention,
    Tie,
    content_id,
)
from threadline.model.vocabulary import (
    ENTITY_SCHEMATA,
    TIE_TYPES,
    TieType,
    tie_type,
)

__all__ = [
    "ENTITY_SCHEMATA",
    "TIE_TYPES",
    "Assertion",
    "Claim",
    "Document",
    "Entity",
    "Evidence",
    "Mention",
    "Tie",
    "TieType",
    "content_id",
    "tie_type",
]
