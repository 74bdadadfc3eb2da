"""Compiled expressions kept for the life of a criteria object, so each is compiled once.

Pydantic's frozen models are unhashable, so entries are keyed by ``id()`` and dropped when the
criteria object is collected.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

from scoring.rules.model import Criteria

__all__ = ["per_criteria"]

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[Criteria, object]] = {}


def per_criteria(criteria: Criteria, name: str, build: Callable[[Criteria], T]) -> T:
    """``build(criteria)``, computed on the first call for this criteria object only."""
    key = (id(criteria), name)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is criteria:
        return hit[1]  # type: ignore[return-value]
    value = build(criteria)
    if hit is None:
        weakref.finalize(criteria, _CACHE.pop, key, None)
    _CACHE[key] = (criteria, value)
    return value
