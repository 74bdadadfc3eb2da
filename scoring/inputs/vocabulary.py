"""The Vietnamese words office workbooks use: table names, column headers and coded values.

Built in so that a department's own workbooks read without a mapping file. Matching is
tolerant of case, accents' Unicode form (NFC), spacing and a trailing ``*`` or ``:``, never of
a different word. A data-source file or ``--columns`` adds words; it never removes one.
``docs/inputs.md`` lists every word (``tests/test_vocabulary.py`` keeps the two in step).
"""

from __future__ import annotations

import re
import unicodedata

from scoring.inputs.contract import TABLES

__all__ = ["TABLE_WORDS", "HEADER_WORDS", "VALUE_WORDS", "norm_word", "table_of_name",
           "value_words_text", "value_lookup"]


def norm_word(text: object) -> str:
    """A word as compared: NFC, case-folded, inner whitespace collapsed, ``*``/``:`` dropped."""
    s = unicodedata.normalize("NFC", str(text)).replace("\ufeff", "").replace("\xa0", " ")
    s = " ".join(s.split()).casefold()
    return s.rstrip("*: ").strip()


# Names under which a table's file or sheet is kept (the English table name always works).
TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "units": ("Đơn vị", "Danh sách đơn vị", "Cơ cấu tổ chức"),
    "staff": ("Cán bộ", "Danh sách cán bộ", "Nhân sự", "Danh sách nhân sự", "CBCCVC",
              "Danh sách CBCCVC", "Danh sách cán bộ, công chức, viên chức"),
    "assessments": ("Đánh giá", "Kết quả đánh giá", "Chấm điểm", "Bảng chấm điểm",
                    "Phiếu đánh giá", "Kết quả chấm điểm"),
    "violations": ("Vi phạm", "Vi phạm giao thông", "Vi phạm TTATGT", "Vi phạm ATGT",
                   "Thông báo vi phạm"),
    "training": ("Tuyên truyền", "Tập huấn", "Tuyên truyền ATGT", "Tuyên truyền, phổ biến",
                 "Tham gia tuyên truyền"),
    "discipline": ("Kỷ luật", "Xử lý kỷ luật", "Quyết định kỷ luật"),
    "leave": ("Nghỉ phép", "Nghỉ chế độ", "Nghỉ thai sản, ốm đau"),
}

# What may follow a table name in a file or sheet name: a period ("Kết quả đánh giá quý I",
# "Vi phạm 2025", "Đánh giá Q1-2025").
_PERIOD_TAIL = re.compile(
    r"^(?:[\s_\-./]|quý|q[1-4]?|tháng|năm|kỳ|đợt|iv|i{1,3}|\d+)+$"
)

_NAME_INDEX = {norm_word(w): t for t, words in TABLE_WORDS.items() for w in words} | {
    t: t for t in TABLES
}


def table_of_name(name: str) -> str | None:
    """The table a file stem or sheet name stands for (``Nghỉ phép`` → leave), or None."""
    key = re.sub(r"[_\-]+", " ", norm_word(name)).strip()
    if key in _NAME_INDEX:
        return _NAME_INDEX[key]
    # the longest table word that starts the name, followed only by a period
    for word in sorted(_NAME_INDEX, key=len, reverse=True):
        if key.startswith(word + " ") and _PERIOD_TAIL.match(key[len(word):]):
            return _NAME_INDEX[word]
    return None


_ID = ("Mã cán bộ", "Mã CBCCVC", "Mã nhân viên", "Mã số cán bộ", "Mã CB")
_RECORD = ("Mã hồ sơ", "Số hồ sơ", "Mã bản ghi")

# Headers per table and column (the contract name, any case, always works too).
HEADER_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "units": {
        "unit_id": ("Mã đơn vị",), "name": ("Tên đơn vị", "Đơn vị"),
        "parent_id": ("Mã đơn vị cấp trên", "Đơn vị cấp trên"), "kind": ("Loại đơn vị",),
    },
    "staff": {
        "employee_id": _ID, "full_name": ("Họ và tên", "Họ tên"),
        "unit_id": ("Mã đơn vị", "Đơn vị", "Đơn vị công tác"), "position": ("Chức vụ",),
        "employment_type": ("Loại cán bộ", "Đối tượng", "Loại hình"),
        "duty_group": ("Nhóm nhiệm vụ", "Nhóm"),
        "start_date": ("Ngày bắt đầu công tác", "Ngày vào làm", "Ngày bắt đầu"),
        "end_date": ("Ngày thôi việc", "Ngày nghỉ việc", "Ngày kết thúc", "Ngày nghỉ hưu"),
        "email": ("Thư điện tử", "Email"),
    },
    "assessments": {"employee_id": _ID, "period": ("Kỳ đánh giá", "Kỳ")},
    "violations": {
        "record_id": _RECORD, "employee_id": _ID, "violation_date": ("Ngày vi phạm",),
        "category": ("Loại vi phạm", "Hành vi vi phạm", "Nhóm vi phạm"),
        "vehicle": ("Phương tiện", "Loại phương tiện"),
        "alcohol_level": ("Mức nồng độ cồn", "Mức vi phạm nồng độ cồn"),
        "fine_vnd": ("Số tiền phạt", "Tiền phạt", "Tiền phạt (đồng)", "Số tiền phạt (đồng)"),
        "licence_points": ("Điểm GPLX bị trừ", "Số điểm GPLX bị trừ", "Số điểm bị trừ"),
        "licence_revoked_months": ("Số tháng tước GPLX", "Tước GPLX (tháng)"),
        "caused_accident": ("Gây tai nạn",), "status": ("Tình trạng", "Trạng thái"),
        "decision_no": ("Số quyết định", "Số QĐ"), "decision_date": ("Ngày quyết định",),
        "notice_no": ("Số thông báo",), "notice_date": ("Ngày thông báo",),
    },
    "training": {
        "record_id": _RECORD, "employee_id": _ID,
        "session_date": ("Ngày tổ chức", "Ngày tham gia", "Ngày"),
        "topic": ("Chủ đề",), "hours": ("Số giờ",), "attendance": ("Tham dự", "Điểm danh"),
        "commitment_signed": ("Ký cam kết", "Đã ký cam kết"), "session_id": ("Mã buổi",),
    },
    "discipline": {
        "record_id": _RECORD, "employee_id": _ID, "decision_date": ("Ngày quyết định",),
        "form": ("Hình thức kỷ luật", "Hình thức"), "duty_related": ("Liên quan nhiệm vụ",),
        "reason": ("Lý do",),
    },
    "leave": {
        "employee_id": _ID, "start_date": ("Từ ngày", "Ngày bắt đầu nghỉ"),
        "end_date": ("Đến ngày", "Ngày kết thúc nghỉ"), "kind": ("Loại nghỉ", "Chế độ nghỉ"),
    },
}

# Words for every coded value, per value set (the code itself, any case, always works too).
VALUE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "position": {
        "director": ("Giám đốc", "Giám đốc Sở"),
        "deputy_director": ("Phó Giám đốc", "Phó Giám đốc Sở"),
        "head": ("Chánh Văn phòng", "Trưởng phòng", "Chi cục trưởng", "Giám đốc Trung tâm",
                 "Chánh Thanh tra", "Trưởng ban"),
        "deputy_head": ("Phó Chánh Văn phòng", "Phó trưởng phòng", "Phó Chi cục trưởng",
                        "Phó Giám đốc Trung tâm", "Phó Chánh Thanh tra", "Phó trưởng ban"),
        "staff": ("Chuyên viên", "Chuyên viên chính", "Nhân viên", "Cán sự", "Kế toán",
                  "Văn thư", "Thanh tra viên", "Kỹ sư", "Lái xe"),
    },
    "employment_type": {
        "cadre": ("Cán bộ",), "civil_servant": ("Công chức",),
        "public_employee": ("Viên chức",),
        "worker": ("Người lao động", "Lao động hợp đồng", "Hợp đồng lao động"),
    },
    "category": {
        "alcohol": ("Nồng độ cồn", "Vi phạm nồng độ cồn"),
        "speeding": ("Chạy quá tốc độ", "Quá tốc độ", "Chạy quá tốc độ quy định"),
        "red_light": ("Vượt đèn đỏ", "Không chấp hành tín hiệu đèn giao thông"),
        "phone": ("Sử dụng điện thoại", "Sử dụng điện thoại khi lái xe"),
        "helmet_seatbelt": ("Không đội mũ bảo hiểm", "Không thắt dây an toàn"),
        "wrong_way": ("Đi ngược chiều",),
        "other": ("Khác", "Vi phạm khác"),
    },
    "vehicle": {
        "motorbike": ("Xe máy", "Mô tô", "Xe mô tô", "Xe gắn máy", "Mô tô, xe gắn máy"),
        "car": ("Ô tô", "Xe ô tô"),
        "other": ("Khác", "Phương tiện khác"),
    },
    "status": {
        "effective": ("Đã có hiệu lực", "Có hiệu lực"),
        "appealed": ("Đang khiếu nại",),
        "annulled": ("Đã hủy", "Đã huỷ", "Hủy", "Huỷ"),
    },
    "attendance": {
        "attended": ("Có mặt", "Tham dự"),
        "excused": ("Vắng có phép", "Vắng có lý do"),
        "absent": ("Vắng", "Vắng không phép", "Vắng không lý do"),
    },
    "form": {
        "reprimand": ("Khiển trách",), "warning": ("Cảnh cáo",),
        "salary_demotion": ("Hạ bậc lương",), "demotion": ("Giáng chức",),
        "dismissal_from_post": ("Cách chức",), "forced_resignation": ("Buộc thôi việc",),
    },
    "kind": {
        "maternity": ("Thai sản", "Nghỉ thai sản"), "sick": ("Ốm đau", "Nghỉ ốm"),
        "unpaid": ("Không lương", "Nghỉ không lương"), "other": ("Khác",),
    },
}


def value_lookup(column: str, allowed: tuple[object, ...]) -> dict[str, str]:
    """Normalised word or code → code, for one coded column (``kind`` of leave only)."""
    out = {norm_word(code): str(code) for code in allowed}
    for code, words in VALUE_WORDS.get(column, {}).items():
        if code in allowed:
            out.update({norm_word(w): code for w in words})
    return out


def value_words_text(column: str, allowed: tuple[object, ...]) -> str:
    """``director (Giám đốc), deputy_director (Phó Giám đốc), …`` for error messages."""
    words = VALUE_WORDS.get(column, {})
    return ", ".join(f"{a} ({words[a][0]})" if a in words else str(a) for a in allowed)
