"""Pick the criteria in force for a period: from one file, or from a folder of dated files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scoring.codes import Code
from scoring.errors import CriteriaError, Issue, issue
from scoring.periods import Period
from scoring.rules.loader import load_criteria_file
from scoring.rules.model import Criteria

__all__ = ["resolve_criteria", "check_period", "load_folder"]


def _span(c: Criteria) -> str:
    return f"{c.effective_from} – {c.effective_until or '…'}"


def check_period(criteria: Criteria, period: Period, source: str) -> None:
    """Refuse criteria of another period kind or not in force for the whole period."""
    if period.kind != criteria.period_kind:
        raise CriteriaError([issue(source, None, "period_kind",
                                   f"tiêu chí dành cho kỳ {criteria.period_kind}, không dùng cho "
                                   f"{period.label} / these criteria score a {criteria.period_kind}, "
                                   f"not {period.label}", code=Code.PERIOD_KIND)])
    until = criteria.effective_until or date.max
    if period.start < criteria.effective_from or period.end > until:
        raise CriteriaError([issue(source, None, "effective_from",
                                   f"tiêu chí có hiệu lực {_span(criteria)}, không bao trùm kỳ "
                                   f"{period.label} / criteria in force {_span(criteria)} do not "
                                   f"cover {period.label}", code=Code.NOT_IN_FORCE)])


def load_folder(folder: Path) -> list[tuple[Path, Criteria]]:
    """Every criteria file of a folder (``*.yaml``, ``*.yml``), all errors at once."""
    loaded: list[tuple[Path, Criteria]] = []
    problems: list[Issue] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            loaded.append((path, load_criteria_file(path)))
        except CriteriaError as exc:
            problems.extend(exc.issues)
    if problems:
        raise CriteriaError(problems)
    return loaded


def overlaps(files: list[tuple[Path, Criteria]]) -> list[Issue]:
    """Files of the same period kind whose effective spans overlap."""
    out = []
    for i, (pa, a) in enumerate(files):
        for pb, b in files[i + 1:]:
            if a.period_kind != b.period_kind:
                continue
            a_end, b_end = a.effective_until or date.max, b.effective_until or date.max
            if a.effective_from <= b_end and b.effective_from <= a_end:
                out.append(issue(pb.name, None, "effective_from",
                                 f"hiệu lực {_span(b)} chồng lên {pa.name} ({_span(a)}) / in force "
                                 f"{_span(b)}, overlapping {pa.name} ({_span(a)})", code=Code.OVERLAP))
    return out


def resolve_criteria(path: Path, period: Period) -> tuple[Path, Criteria]:
    """The single criteria file in force for the whole of ``period``."""
    path = Path(path)
    if path.is_file():
        criteria = load_criteria_file(path)
        check_period(criteria, period, path.name)
        return path, criteria
    files = load_folder(path)
    same_kind = [(p, c) for p, c in files if c.period_kind == period.kind]
    clashes = overlaps(same_kind)
    if clashes:
        raise CriteriaError(clashes)
    covering = [(p, c) for p, c in same_kind
                if c.effective_from <= period.start and period.end <= (c.effective_until or date.max)]
    if len(covering) == 1:
        return covering[0]
    listed = "; ".join(f"{p.name}: {_span(c)}" for p, c in same_kind) or "không có / none"
    raise CriteriaError([issue(path.name, None, None,
                               f"không có tiêu chí kỳ {period.kind} nào có hiệu lực cho cả kỳ "
                               f"{period.label} / no {period.kind} criteria in force for the whole "
                               f"of {period.label}; có / found: {listed}", code=Code.NONE_IN_FORCE)])
