"""Who may see what: runs by state, units by the organisation tree, people by their unit.

Everything a user may not see is answered with 404, never 403: a head of another unit learns
nothing, not even that an id exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.exceptions import HTTPException

from scoring.portal.db import Run, User

__all__ = ["Scope", "subtree", "run_visible", "scope_for", "not_found", "require_role"]

# Roles that see a run before it is published (the ones who check it).
_SEE_UNPUBLISHED = ("hr", "auditor")


def not_found() -> HTTPException:
    return HTTPException(404)


def require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise not_found()


def subtree(edges: Iterable[tuple[str, str | None]], root: str) -> frozenset[str]:
    """``root`` and every unit below it; ``edges`` are (unit_id, parent_id) pairs."""
    children: dict[str | None, list[str]] = {}
    known = set()
    for unit, parent in edges:
        children.setdefault(parent, []).append(unit)
        known.add(unit)
    if root not in known:
        return frozenset()
    seen, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:  # a cycle in a broken tree never loops
                seen.add(child)
                todo.append(child)
    return frozenset(seen)


def run_visible(user: User, run: Run) -> bool:
    if user.role in _SEE_UNPUBLISHED:
        return True
    return run.state == "published"


@dataclass(frozen=True)
class Scope:
    """The units (None: all) and the one employee (staff) a user may see in one run."""

    units: frozenset[str] | None
    employee_id: str | None = None

    def unit(self, unit_id: str) -> None:
        if self.employee_id is not None or (self.units is not None and unit_id not in self.units):
            raise not_found()

    def person(self, unit_id: str, employee_id: str) -> None:
        if self.employee_id is not None:
            if employee_id != self.employee_id:
                raise not_found()
        elif self.units is not None and unit_id not in self.units:
            raise not_found()


def scope_for(user: User, edges: Iterable[tuple[str, str | None]]) -> Scope:
    if user.role == "head":
        return Scope(subtree(edges, user.unit_id or ""))
    if user.role == "staff":
        return Scope(frozenset(), user.employee_id or "")
    return Scope(None)
