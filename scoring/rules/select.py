"""Pick the criteria in force for a period: from one file, or from a folder of dated files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scoring.codes import Code
from scoring.errors import CriteriaError, Issue, issue
from scoring.periods import Period, parse_period
from scoring.rules.loader import load_criteria_file
from scoring.rules.model import Criteria

__all__ = ["resolve_criteria", "check_period", "load_folder", "part_criteria", "rollup_issues"]


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


def load_folder(folder: Path, skip: Path | None = None) -> list[tuple[Path, Criteria]]:
    """Every criteria file of a folder (``*.yaml``, ``*.yml``) but ``skip`` (one already
    loaded), all errors at once."""
    loaded: list[tuple[Path, Criteria]] = []
    problems: list[Issue] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        if skip is not None and path.resolve() == skip.resolve():
            continue
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


def part_criteria(criteria_file: Path, criteria: Criteria,
                  period: Period) -> list[tuple[Period, Path, Criteria]]:
    """For a roll-up, each quarter or month of ``period`` with the criteria in force for it
    (else [])."""
    if criteria.rollup is None:
        return []
    return [(part, *_part_criteria(criteria_file, criteria, part))
            for part in period.parts(criteria.rollup.of)]


def _part_criteria(criteria_file: Path, criteria: Criteria, part: Period) -> tuple[Path, Criteria]:
    """The criteria in force for one part; they cannot roll up in turn (their own parts would
    not be scored)."""
    assert criteria.rollup is not None
    path, found = resolve_criteria(Path(criteria_file).parent / criteria.rollup.criteria, part)
    if found.rollup is not None:
        raise CriteriaError([issue(path.name, None, "rollup", f"tiêu chí của {part.label} (tổng "
                                   f"hợp vào {Path(criteria_file).name}) không được tự tổng hợp "
                                   f"tiếp / the criteria of {part.label}, rolled up by "
                                   f"{Path(criteria_file).name}, cannot roll up in turn",
                                   code=Code.ROLLUP_SOURCE)])
    return path, found


def _periods_in_force(criteria: Criteria) -> list[Period]:
    """Every period of the file's kind in its effective span (an open span: to the end of the
    year it starts in)."""
    start = criteria.effective_from
    until = criteria.effective_until or date(start.year, 12, 31)
    labels: list[str] = []
    for year in range(start.year, until.year + 1):
        if criteria.period_kind == "year":
            labels.append(str(year))
        elif criteria.period_kind == "quarter":
            labels += [f"{year}-Q{q}" for q in range(1, 5)]
        else:
            labels += [f"{year}-{m:02d}" for m in range(1, 13)]
    periods = [parse_period(label) for label in labels]
    return [p for p in periods if p.start >= start and p.end <= until]


def rollup_issues(criteria_file: Path, criteria: Criteria) -> list[Issue]:
    """What a run of any period the file is in force for would refuse about its roll-up:
    a quarter or month without criteria in force, or with criteria that roll up in turn."""
    if criteria.rollup is None:
        return []
    found: list[Issue] = []
    for period in _periods_in_force(criteria):
        for part in period.parts(criteria.rollup.of):
            try:
                _part_criteria(criteria_file, criteria, part)
            except CriteriaError as exc:
                found += [i for i in exc.issues if i not in found]
    return found
