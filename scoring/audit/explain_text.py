"""One employee's explanation rows read as plain text, for the terminal (``scoring explain``)."""

from __future__ import annotations

from scoring.engine.columns import ITEM_PREFIX
from scoring.outputs.wording import DETAIL_COLUMNS

__all__ = ["render_explanation"]


def render_explanation(employee: dict, rows: list[dict], *, lang: str = "vi") -> str:
    """Plain-text derivation of one employee's total and rating, for the terminal."""
    en = lang == "en"
    label = "label_en" if en else "label"
    detail = DETAIL_COLUMNS["en" if en else "vi"]

    def num(value: object) -> str:
        return _num(value, en)

    rec = "records" if en else "hồ sơ"
    lines = [
        f"{employee['full_name']} ({employee['employee_id']}) — "
        f"{employee.get('unit_name') or employee['unit_id']}",
        ("Period" if en else "Kỳ đánh giá") + f": {employee['period']}",
        "",
    ]
    for r in rows:
        if r["kind"] == "base":
            points = employee.get(ITEM_PREFIX + r["item"])
            lines.append(f"{r[label]}: {num(points)}")
            lines.append(f"    {num(r['points']):>6}  {r[detail]}")
        elif r["kind"] in ("deduction", "bonus", "clip"):
            sign = "+" if (r["points"] or 0) > 0 else ""
            text = f"    {sign + num(r['points']):>6}  {r[label]}"
            if r[detail]:
                text += f"  [{r[detail]}]"
            if r["record_ids"]:
                text += f"  ({rec}: {r['record_ids']})"
            lines.append(text)
    lines.append("")
    lines.append(("Total" if en else "Tổng điểm") + f": {num(employee.get('total'))}")
    for r in rows:
        if r["kind"] == "band":
            lines.append(("Rating from the total" if en else "Xếp loại theo tổng điểm")
                         + f": {r[detail]}")
        elif r["kind"] == "rollup":
            months = r.get("rule") == "months"
            name = {(True, False): "Các tháng", (True, True): "Months",
                    (False, True): "Quarters"}.get((months, en), "Các quý")
            lines.append(f"{name}: {r[detail]}")
        elif r["kind"] in ("override", "quota"):
            text = f"  ! {r[label]}: {r[detail]}"
            if r["legal_ref"]:
                text += f" — {r['legal_ref']}"
            if r["record_ids"]:
                text += f" ({rec}: {r['record_ids']})"
            lines.append(text)
        elif r["kind"] == "status":
            lines.append(("Not rated" if en else "Không xếp loại") + f": {r[detail]}")
    final = employee.get("rating")
    head = "Final rating" if en else "Xếp loại cuối cùng"
    if final:
        lines.append(f"{head}: {final}" + ("" if en else f" — {employee.get('rating_label') or ''}"))
    else:
        lines.append(f"{head}: " + ("not rated" if en else "không xếp loại"))
    return "\n".join(lines)


def _num(value: object, en: bool) -> str:
    if value is None:
        return "—"
    text = f"{float(value):g}"  # type: ignore[arg-type]
    return text if en else text.replace(".", ",")
