"""Fixed wording of the reports, Vietnamese first, English second.

Labels that belong to the rules (items, ratings, overrides, measures) come from the criteria;
this module holds only the wording of the document itself and of the input contract's codes
(violation categories, positions, employment types). The document's wording is data, in
``texts/vi.yaml`` and ``texts/en.yaml``. No Jinja2, no WeasyPrint.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from importlib import resources

import yaml

__all__ = [
    "LANGS",
    "TEXTS",
    "CATEGORY_LABELS",
    "POSITION_LABELS",
    "EMPLOYMENT_LABELS",
    "text",
    "fmt",
    "lines",
    "category_label",
    "position_label",
    "date_line",
    "period_title",
    "period_short",
    "nfc",
]

LANGS = ("vi", "en")


def nfc(value: str) -> str:
    """Unicode NFC, the form every string in a report is in."""
    return unicodedata.normalize("NFC", value)


def _load(lang: str) -> dict[str, str | tuple[str, ...]]:
    """``texts/<lang>.yaml``: a text per key, or a list of lines."""
    raw = yaml.safe_load(resources.files(__package__).joinpath(f"texts/{lang}.yaml")
                         .read_text(encoding="utf-8"))
    return {str(k): tuple(v) if isinstance(v, list) else str(v) for k, v in raw.items()}


TEXTS: dict[str, dict[str, str | tuple[str, ...]]] = {lang: _load(lang) for lang in LANGS}
if set(TEXTS["vi"]) != set(TEXTS["en"]):  # a key worded in one language only
    raise RuntimeError(f"reports/texts: keys differ: {sorted(set(TEXTS['vi']) ^ set(TEXTS['en']))}")

CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "alcohol": ("Nồng độ cồn", "Alcohol"),
    "speeding": ("Quá tốc độ", "Speeding"),
    "red_light": ("Vượt đèn đỏ", "Red light"),
    "phone": ("Dùng điện thoại", "Phone use"),
    "helmet_seatbelt": ("Mũ bảo hiểm, dây an toàn", "Helmet / seatbelt"),
    "wrong_way": ("Sai làn, ngược chiều", "Wrong lane / way"),
    "other": ("Khác", "Other"),
}

# (head, deputy) titles by unit kind; "staff" takes the employment type's label.
_LEADER_TITLES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "board": (("Giám đốc", "Director"), ("Phó Giám đốc", "Deputy Director")),
    "office": (("Chánh Văn phòng", "Chief of Office"), ("Phó Chánh Văn phòng", "Deputy Chief")),
    "inspectorate": (
        ("Chánh Thanh tra", "Chief Inspector"),
        ("Phó Chánh Thanh tra", "Deputy Chief Inspector"),
    ),
    "sub_department": (("Chi cục trưởng", "Head"), ("Phó Chi cục trưởng", "Deputy Head")),
    "centre": (("Giám đốc Trung tâm", "Director"), ("Phó Giám đốc Trung tâm", "Deputy Director")),
}
_DEFAULT_LEADER = (("Trưởng phòng", "Head"), ("Phó Trưởng phòng", "Deputy Head"))

POSITION_LABELS: dict[str, tuple[str, str]] = {
    "director": ("Giám đốc", "Director"),
    "deputy_director": ("Phó Giám đốc", "Deputy Director"),
    "head": _DEFAULT_LEADER[0],
    "deputy_head": _DEFAULT_LEADER[1],
    "staff": ("Chuyên viên", "Officer"),
}

EMPLOYMENT_LABELS: dict[str, tuple[str, str]] = {
    "cadre": ("Cán bộ", "Cadre"),
    "civil_servant": ("Công chức", "Civil servant"),
    "public_employee": ("Viên chức", "Public employee"),
    "worker": ("Người lao động", "Worker"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def text(lang: str, key: str) -> str:
    value = TEXTS[lang][key]
    assert isinstance(value, str), key
    return value


def fmt(lang: str, key: str, **kw: object) -> str:
    """A fixed text of the reports with its ``{placeholders}`` filled, in NFC."""
    return nfc(text(lang, key).format(**kw))


def lines(lang: str, key: str) -> tuple[str, ...]:
    """A multi-line text (recipients), NFC."""
    value = TEXTS[lang][key]
    assert isinstance(value, tuple), key
    return tuple(nfc(v) for v in value)


def category_label(category: str, lang: str) -> str:
    pair = CATEGORY_LABELS.get(category)
    return _pick(pair, lang) if pair else category


def position_label(position: str, employment_type: str, unit_kind: str | None, lang: str) -> str:
    """How a position is written in a staff list: ``Phó Chánh Thanh tra``, ``Công chức``."""
    if position in ("head", "deputy_head"):
        head, deputy = _LEADER_TITLES.get(unit_kind or "", _DEFAULT_LEADER)
        return _pick(head if position == "head" else deputy, lang)
    if position == "staff":
        pair = EMPLOYMENT_LABELS.get(employment_type)
        return _pick(pair, lang) if pair else _pick(POSITION_LABELS["staff"], lang)
    pair = POSITION_LABELS.get(position)
    return _pick(pair, lang) if pair else position


_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def date_line(place: str, day: date, lang: str) -> str:
    """``Quảng Ngãi, ngày 05 tháng 4 năm 2025`` (Decree 30/2020: zero-pad days < 10, months < 3)."""
    if lang == "en":
        return f"{place}, {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def period_title(period: str, lang: str) -> str:
    """``QUÝ I/2025``, ``THÁNG 03/2025``, ``NĂM 2025`` (English: ``Q1 2025``)."""
    from scoring.periods import parse_period

    p = parse_period(period)
    if lang == "en":
        return p.title_en().replace(" ", "\u00a0")
    return p.title_vi().upper().replace(" ", "\u00a0")


def period_short(period: str, lang: str) -> str:
    """Short form for trend tables: ``Quý I/2025`` / ``Q1 2025``."""
    from scoring.periods import parse_period

    p = parse_period(period)
    if lang == "en":
        return p.title_en()
    title = p.title_vi()
    return title[:1].upper() + title[1:]
