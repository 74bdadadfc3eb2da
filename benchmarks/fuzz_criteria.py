"""Fuzz ``scoring validate`` with mutants of the sample criteria file and print the tally.

Each mutant is one or two random edits of criteria/skhcn-quy-2025.yaml (deleted, duplicated and
re-indented lines, swapped scalars, huge and non-finite numbers, unknown keys, non-UTF-8 bytes,
BOMs, alias bombs, deep nesting, Python tags, hostile expressions from
tests/cases/hostile_expressions, Rich markup, impossible example dates, figures and records,
floods of measures, rules or values). A mutant
passes when ``validate`` ends with exit 0, 1 (an example fails) or 2 (a located error): any
other exception is a crash, more than ``TIMEOUT`` seconds a hang. Mutant ``i`` of seed ``s``
is always the same text.

    .venv/bin/python benchmarks/fuzz_criteria.py [--count 500] [--seed 14]

The full run puts mutants through worker processes, so that a process abort (a signal) is
counted as a crash of its mutant instead of ending the fuzz; ``run_fuzz`` runs in-process (the
reduced test in tests/test_criteria_safety.py).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "criteria" / "skhcn-quy-2025.yaml"
HOSTILE = ROOT / "tests" / "cases" / "hostile_expressions"
TIMEOUT = 60

_SCALAR = re.compile(r"^(\s*(?:- )?[a-z_]+: )(.+)$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_EXPRESSION = re.compile(r"^(\s*(?:where|when|per|formula): ).+$")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pick(rng: random.Random, lines: list[str], pattern: re.Pattern[str] | None = None) -> int:
    options = [i for i, line in enumerate(lines) if line.strip() and (pattern is None or pattern.match(line))]
    return rng.choice(options) if options else 0


def delete_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[_pick(rng, lines)]
    return "\n".join(lines)


def duplicate_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = _pick(rng, lines)
    lines.insert(i, lines[i])
    return "\n".join(lines)


def reindent_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = _pick(rng, lines)
    lines[i] = lines[i][2:] if lines[i].startswith("  ") and rng.random() < 0.5 else "  " + lines[i]
    return "\n".join(lines)


def swap_scalars(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    a, b = _pick(rng, lines, _SCALAR), _pick(rng, lines, _SCALAR)
    ma, mb = _SCALAR.match(lines[a]), _SCALAR.match(lines[b])
    if ma and mb:
        lines[a], lines[b] = ma[1] + mb[2], mb[1] + ma[2]
    return "\n".join(lines)


def huge_number(rng: random.Random, text: str) -> str:
    found = list(_NUMBER.finditer(text))
    m = rng.choice(found)
    value = rng.choice(["1e400", "-1e400", "1e308", "9223372036854775808", "1" + "0" * 40, "-0", "1e-400",
                        ".inf", "-.inf", ".nan", ".NaN", "0x7fffffffffffffff", "1_000_000"])
    return text[:m.start()] + value + text[m.end():]


def unknown_key(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    i = _pick(rng, lines, _SCALAR)
    indent = re.match(r"\s*(?:- )?", lines[i])
    pad = " " * len(indent[0]) if indent else ""
    lines.insert(i + 1, f"{pad}{rng.choice(['bogus', 'wher', 'pointz', '__class__', 'id'])}: 1")
    return "\n".join(lines)


def non_utf8(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8")
    at = rng.randrange(len(data))
    return data[:at] + rng.choice([b"\xff\xfe", b"\xc3", b"\x80", b"\x00", b"\xed\xa0\x80"]) + data[at:]


def bom(rng: random.Random, text: str) -> bytes:
    data = text.encode("utf-8")
    marks = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"]
    if rng.random() < 0.5:
        return rng.choice(marks) + data
    at = data.index(b"\n", rng.randrange(len(data) - 1)) + 1 if b"\n" in data else 0
    return data[:at] + rng.choice(marks) + data[at:]


def alias_bomb(rng: random.Random, text: str) -> str:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        prev = chr(ord("a") + n - 1)
        levels.append(f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(levels) + "\n" + text if rng.random() < 0.5 else text.replace(
        "version:", "bomb: " + "\n".join(levels).replace("\n", "\nbomb2: ") + "\nversion:", 1)


def deep_nesting(rng: random.Random, text: str) -> str:
    depth = rng.choice([200, 2000, 20000])
    value = "[" * depth + "]" * depth if rng.random() < 0.5 else "{a: " * depth + "1" + "}" * depth
    lines = _lines(text)
    i = _pick(rng, lines, _SCALAR)
    m = _SCALAR.match(lines[i])
    if m:
        lines[i] = m[1] + value
    return "\n".join(lines)


def python_tag(rng: random.Random, text: str) -> str:
    tag = rng.choice(["!!python/object/apply:os.system ['touch /tmp/fuzz-pwned']",
                      "!!python/name:os.system", "!!binary aGVsbG8=", "!!set {a, b}",
                      "!!timestamp 2025-01-01", "!!float nan", "!!int 99999999999999999999999",
                      "!<tag:yaml.org,2002:python/tuple> [1]"])
    lines = _lines(text)
    i = _pick(rng, lines, _SCALAR)
    m = _SCALAR.match(lines[i])
    if m:
        lines[i] = m[1] + tag
    return "\n".join(lines)


def hostile_expression(rng: random.Random, text: str) -> str:
    cases = sorted(HOSTILE.glob("*.yaml"))
    case = rng.choice(cases).read_text(encoding="utf-8")
    expression = json.loads(re.search(r"^expression: (.*)$", case, re.M)[1])  # type: ignore[index]
    expression = expression.replace("{canary}", "/nonexistent/canary.csv").replace(
        "{url}", "http://127.0.0.1:9/x.json")
    lines = _lines(text)
    i = _pick(rng, lines, _EXPRESSION)
    m = _EXPRESSION.match(lines[i])
    if m:
        lines[i] = m[1] + json.dumps(expression, ensure_ascii=False)
    return "\n".join(lines)


def markup(rng: random.Random, text: str) -> str:
    payload = rng.choice(["'[/dự thảo]'", "'[bold red]x'", "':x: [link=file:///etc/passwd]a[/link]'",
                          "'\\x1b[31m'", "\"[/]\""])
    key = rng.choice(["title", "  - name", "    label"])
    return re.sub(rf"^({re.escape(key)}: ).*$", lambda m: m[1] + payload, text, count=1, flags=re.M)


def example_figures(rng: random.Random, text: str) -> str:
    at = "    assessment: {"  # an example's (the first "    assessment:" is not in an example)
    edits = [("assessment: {politics_ethics: 8,", "assessment: {politics_ethics: 1e400,"),
             (at, "    employee: {start_date: 2099-01-01}\n" + at),
             (at, "    employee: {end_date: 1999-01-01}\n" + at),
             (at, "    period: 2025-Q9\n" + at),
             (at, "    unit: {unit_violator_share: 1e400}\n" + at),
             (at, "    violations: [{violation_date: 1900-01-01, fine_vnd: 1e400}]\n" + at),
             (at, "    leave: [{start_date: 2025-03-01, end_date: 2024-01-01}]\n" + at),
             (at, "    training: [{hours: .nan}]\n" + at),
             (at, "    violations: [{licence_points: [1, 2]}]\n" + at),
             (at, "    training: [{hours: two, topic: 7, attendance: maybe}]\n" + at),
             (at, "    violations: [{category: drunk, caused_accident: có}]\n" + at),
             (at, "    employee: {start_date: 2025}\n" + at),
             (at, "    employee: {start_date: 2025-01-01 08:00:00}\n" + at),
             ("unit: {unit_violator_share: 0.25}", "unit: {unit_violator_share: 1e400}")]
    old, new = rng.choice(edits)
    return text.replace(old, new, 1)


def flood(rng: random.Random, text: str) -> str:
    """Far more entries than a person writes: 1,001 measures or rules, or a list of tiny values
    past the reader's budget."""
    kind = rng.choice(["measures", "rules", "values"])
    if kind == "measures":
        extra = "".join(f"  - {{id: f{i}, label: x, table: violations, agg: count}}\n" for i in range(1001))
        return text.replace("measures:\n", "measures:\n" + extra, 1)
    if kind == "rules":
        extra = "".join(f"          - {{id: f{i}, label: x, points: 1, when: \"age > 0\"}}\n"
                        for i in range(1001))
        return text.replace("        deductions:\n", "        deductions:\n" + extra, 1)
    return text.replace("version:", "bulk: [" + ", ".join(["1"] * 31_000) + "]\nversion:", 1)


def truncate(rng: random.Random, text: str) -> str:
    return text[:rng.randrange(len(text))]


Mutator = Callable[[random.Random, str], "str | bytes"]
MUTATORS: dict[str, Mutator] = {f.__name__: f for f in (
    delete_line, duplicate_line, reindent_line, swap_scalars, huge_number, unknown_key, non_utf8,
    bom, alias_bomb, deep_nesting, python_tag, hostile_expression, markup, example_figures, flood,
    truncate)}


def mutant(sample: str, seed: int, index: int) -> tuple[str, bytes]:
    rng = random.Random(f"{seed}-{index}")
    names = [rng.choice(sorted(MUTATORS)) for _ in range(rng.choice([1, 1, 2]))]
    text: str | bytes = sample
    for name in names:
        if isinstance(text, bytes):
            break
        text = MUTATORS[name](rng, text)
    return "+".join(names), text if isinstance(text, bytes) else text.encode("utf-8")


@dataclass
class Tally:
    total: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def refused(self) -> int:
        return self.outcomes["refused (exit 2)"]


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def check_one(data: bytes, folder: Path) -> str:
    """``validate`` one mutant in this process: its outcome, or ``crash: …``/``hang``."""
    from click.testing import CliRunner

    from scoring.cli import main

    path = folder / "fuzz.yaml"
    path.write_bytes(data)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        result = CliRunner().invoke(main, ["validate", str(path)])
    except _Hang:
        return "hang"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if isinstance(result.exception, _Hang):
        return "hang"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"crash: {type(result.exception).__name__}: {str(result.exception)[:200]}"
    if "Traceback" in result.output:
        return "crash: traceback printed"
    return {0: "valid (exit 0)", 1: "example fails (exit 1)", 2: "refused (exit 2)"}.get(
        result.exit_code, f"crash: exit {result.exit_code}")


def run_fuzz(*, seed: int, count: int, sample: str | None = None) -> Tally:
    """Check mutants 0..count-1 of ``seed`` in this process."""
    text = sample if sample is not None else SAMPLE.read_text(encoding="utf-8")
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            label, data = mutant(text, seed, i)
            outcome = check_one(data, Path(tmp))
            _record(tally, i, label, outcome)
    tally.seconds = time.perf_counter() - started
    return tally


def _record(tally: Tally, index: int, label: str, outcome: str) -> None:
    tally.total += 1
    kind = "crash" if outcome.startswith("crash") else outcome
    tally.outcomes[kind] += 1
    if kind in ("crash", "hang"):
        tally.crashes.append(f"#{index} {label}: {outcome}")


def _worker(seed: int, start: int, stop: int) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(start, stop):
            label, data = mutant(text, seed, i)
            print(json.dumps({"i": i, "label": label, "outcome": "started"}), flush=True)
            print(json.dumps({"i": i, "label": label, "outcome": check_one(data, Path(tmp))}), flush=True)


def run_isolated(*, seed: int, count: int, batch: int = 50) -> Tally:
    """Mutants in worker processes: one that dies is its mutant's crash, and the rest go on."""
    tally = Tally()
    started = time.perf_counter()
    i = 0
    while i < count:
        stop = min(count, i + batch)
        proc = subprocess.run([sys.executable, __file__, "--worker", str(seed), str(i), str(stop)],
                              capture_output=True, text=True, timeout=TIMEOUT * batch + 60)
        last: dict[str, object] = {}
        for line in proc.stdout.splitlines():
            row = json.loads(line)
            if row["outcome"] != "started":
                _record(tally, int(row["i"]), str(row["label"]), str(row["outcome"]))
            last = row
        if proc.returncode != 0:  # the worker died during mutant last["i"]
            dead = int(last.get("i", i))  # type: ignore[call-overload]
            _record(tally, dead, str(last.get("label", "?")), f"crash: worker exit {proc.returncode}")
            i = dead + 1
        else:
            i = stop
    tally.seconds = time.perf_counter() - started
    return tally


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        _worker(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    tally = run_isolated(seed=args.seed, count=args.count)
    print(f"criteria fuzz: {tally.total} mutants (seed {args.seed}) in {tally.seconds:.0f} s")
    for outcome, n in sorted(tally.outcomes.items()):
        print(f"  {outcome:24} {n:5}")
    crashes = sum(1 for c in tally.crashes if ": crash" in c)
    hangs = sum(1 for c in tally.crashes if c.endswith(": hang"))
    print(f"tracebacks/crashes: {crashes}   hangs: {hangs}")
    for line in tally.crashes:
        print("  " + line)
    sys.exit(1 if tally.crashes else 0)


if __name__ == "__main__":
    main()
