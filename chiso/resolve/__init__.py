"""Entities: the reference list of administrative units and the resolution of printed labels to them."""

from chiso.resolve.entities import Entity, resolve_label, resolve_observations

__all__ = ["Entity", "resolve_label", "resolve_observations"]
