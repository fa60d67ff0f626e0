"""Resolution: mentions and records to identities (one entity per person, group, place)."""

from threadline.resolve.resolver import Resolution, relabel, resolve

__all__ = ["Resolution", "relabel", "resolve"]
