"""Extraction: mentions, aliases, typed ties, events and claims from stored documents."""

from threadline.extract.pipeline import EXTRACTOR, Extraction, extract_document

__all__ = ["EXTRACTOR", "Extraction", "extract_document"]
