"""Fixed wording of the reports, Vietnamese first, English second.

Labels that belong to the rules (items, ratings, overrides, measures) come from the criteria;
this module holds only the wording of the document itself and of the input contract's codes
(violation categories, positions, employment types). Pure data: no Jinja2, no WeasyPrint.
"""

from __future__ import annotations

import unicodedata
from datetime import date

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


_VI: dict[str, str | tuple[str, ...]] = {
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    "number": "Số:",
    "number_suffix": "/BC-TCCB",
    "unit_title": "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {period}",
    "summary_title": "BÁO CÁO TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {period}",
    "criteria_title": "BẢNG TIÊU CHÍ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
    "addressee": "Kính gửi: Thủ trưởng {unit}",
    "scope_note": "Phạm vi báo cáo: {unit}",
    "scope_with_sub": "{unit} và {n} đơn vị trực thuộc ({names})",
    "criteria_ref": "Căn cứ {title} ({id}, phiên bản {version}), kết quả {period} như sau:",
    "s_summary": "TỔNG HỢP CHUNG",
    "s_charts": "Biểu đồ",
    "s_table": "KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI TỪNG NGƯỜI",
    "s_explain": "GIẢI TRÌNH ĐIỂM TRỪ, ĐIỂM CỘNG VÀ CÁC ĐIỀU CHỈNH",
    "s_trend": "DIỄN BIẾN QUA CÁC KỲ ĐÁNH GIÁ",
    "s_units": "KẾT QUẢ THEO ĐƠN VỊ",
    "s_total": "KẾT QUẢ TOÀN CƠ QUAN",
    "s_overrides": "TÁC ĐỘNG CỦA CÁC QUY ĐỊNH ĐIỀU CHỈNH XẾP LOẠI VÀ HẠN MỨC",
    "s_notable": "NHỮNG ĐIỂM CẦN LƯU Ý",
    "headcount": "Tổng số người thuộc phạm vi đánh giá",
    "direct_headcount": "trong đó trực tiếp tại đơn vị",
    "rated": "Được xếp loại",
    "not_rated": "Không xếp loại",
    "not_rated_short": "KXL",
    "distribution": "Kết quả xếp loại",
    "violations": "Số vụ vi phạm giao thông (có hiệu lực)",
    "violations_short": "Vụ vi phạm",
    "violators": "Số người vi phạm",
    "violators_short": "Người vi phạm",
    "by_category": "Vi phạm theo loại",
    "trained": "Số người tham dự tuyên truyền về an toàn giao thông",
    "figure_rules": "Cách đếm theo tiêu chí",
    "rule_measure": "chỉ số “{label}”, {window}{date}",
    "rule_default": "mọi vi phạm có hiệu lực (status = 'effective'), {window}{date} (mặc định: "
                    "tiêu chí không ghi summary.violations_measure)",
    "rule_none": "tiêu chí không có chỉ số nào cho số này (ghi 0)",
    "rule_by": "theo",
    "training_reach": "Tỷ lệ tham dự tuyên truyền",
    "reach_short": "Tỷ lệ tuyên truyền",
    "mean_total": "Điểm bình quân",
    "mean_short": "Điểm BQ",
    "people": "người",
    "person": "người",
    "case": "vụ",
    "people_col": "Số người",
    "points_col": "Điểm",
    "explain_col": "Điểm trừ, điểm cộng, điều chỉnh (cách tính; hồ sơ; căn cứ)",
    "content_col": "Nội dung",
    "cases": "vụ",
    "count": "Số lượng",
    "share": "Tỷ lệ",
    "chart_ratings": "Biểu đồ 1. Phân bố xếp loại",
    "chart_violations": "Biểu đồ 2. Vi phạm giao thông theo loại",
    "chart_units": "Biểu đồ. Cơ cấu xếp loại theo đơn vị",
    "chart_trend": "Cơ cấu xếp loại theo kỳ",
    "no_violations": "Không có vi phạm giao thông trong kỳ.",
    "stt": "STT",
    "name": "Họ và tên",
    "position": "Chức vụ",
    "traffic": "ATGT",
    "traffic_long": "Điểm chấp hành pháp luật về trật tự, an toàn giao thông",
    "total": "Tổng điểm",
    "rating": "Xếp loại",
    "adjust": "Điều chỉnh",
    "unit": "Đơn vị",
    "max_prefix": "tối đa",
    "columns_legend": "Ghi chú cột điểm",
    "ratings_legend": "Mức xếp loại",
    "overrides_legend": "Điều chỉnh xếp loại (ngoại lệ, hạn mức)",
    "no_staff": "Không có người thuộc phạm vi đánh giá trong kỳ.",
    "no_explanations": "Không có trường hợp bị trừ điểm, cộng điểm hoặc điều chỉnh xếp loại.",
    "records": "hồ sơ",
    "legal_ref": "căn cứ",
    "period": "Kỳ",
    "none": "Không có",
    "notable_violators": "Đơn vị có nhiều người vi phạm giao thông nhất",
    "notable_reach": "Đơn vị có tỷ lệ tham dự tuyên truyền thấp nhất",
    "notable_kht": "Số người không hoàn thành nhiệm vụ",
    "kht_total": "Toàn cơ quan: {n} người; theo đơn vị:",
    "override_id": "Mã",
    "override_label": "Quy định",
    "override_count": "Số người",
    "override_changes": "Thay đổi",
    "recipients": "Nơi nhận:",
    "recipients_unit": ("Như trên;", "Giám đốc Sở (để b/c);", "Lưu: VT, TCCB."),
    "recipients_summary": (
        "Giám đốc Sở (để b/c);",
        "Các Phó Giám đốc Sở;",
        "Các phòng, đơn vị thuộc Sở;",
        "Lưu: VT, TCCB.",
    ),
    "recipients_criteria": ("Hội đồng đánh giá;", "Thanh tra Sở;", "Lưu: VT, TCCB."),
    "sign_on_behalf": "KT. GIÁM ĐỐC",
    "sign_title": "PHÓ GIÁM ĐỐC",
    "sign_note": "(Ký, ghi rõ họ tên và đóng dấu)",
    "page": "Trang",
    "footer_criteria": "Tiêu chí",
    "footer_version": "phiên bản",
    "footer_period": "kỳ",
    # criteria sheet
    "c_identity": "THÔNG TIN CHUNG",
    "c_legal": "CĂN CỨ PHÁP LÝ",
    "c_sheet": "BẢNG ĐIỂM",
    "c_measures": "CÁC CHỈ SỐ",
    "c_bands": "CÁC MỨC XẾP LOẠI",
    "c_overrides": "QUY ĐỊNH ĐIỀU CHỈNH XẾP LOẠI (áp dụng theo thứ tự)",
    "c_examples": "VÍ DỤ MINH HỌA VÀ KẾT QUẢ MONG ĐỢI",
    "c_quotas": "HẠN MỨC XẾP LOẠI (xét sau các quy định điều chỉnh, theo thứ tự)",
    "c_quota_rule": "Số người {rating} không quá {pct}% số người {relative}",
    "c_scopes": "Phạm vi áp dụng",
    "c_tie_break": "Người bị hạ một mức khi vượt hạn mức",
    "c_tie_break_text": "tổng điểm thấp hơn trước{more}, sau đó theo mã cán bộ",
    "scope_agency": "toàn cơ quan",
    "scope_unit": "từng đơn vị",
    "scope_duty_group": "từng nhóm chức trách",
    "c_leader_measures": "Chỉ số đơn vị (tính trên người thuộc quyền của lãnh đạo)",
    "c_leader_positions": "Áp dụng cho các chức vụ",
    "c_subordinates": "Người thuộc quyền",
    "agg_share": "tỷ lệ số người thỏa điều kiện",
    "agg_people": "đếm số người thỏa điều kiện",
    "agg_days": "số ngày nghỉ trong khoảng thời gian",
    "c_builtin": "Chỉ số có sẵn (tính từ danh sách cán bộ và ngày nghỉ)",
    "c_assessment_columns": "Cột điểm đánh giá khác được dùng",
    "c_rollup": "Tổng hợp năm từ kết quả quý",
    "c_quarters": "Kết quả các quý",
    "c_rollup_month": "Tổng hợp từ kết quả các tháng",
    "c_months": "Kết quả các tháng",
    "asc": "tăng dần",
    "desc": "giảm dần",
    "c_id": "Mã tiêu chí",
    "c_version": "Phiên bản",
    "c_title": "Tên",
    "c_organisation": "Cơ quan ban hành",
    "c_approval": "Phê duyệt",
    "c_effective": "Hiệu lực",
    "c_period_kind": "Kỳ đánh giá",
    "c_applies_to": "Áp dụng cho",
    "c_sha": "Mã băm SHA-256 của tệp tiêu chí",
    "c_from": "từ",
    "c_until": "đến",
    "c_open": "không thời hạn",
    "c_code": "Số hiệu",
    "c_doc": "Văn bản",
    "c_articles": "Điều, khoản áp dụng",
    "c_item": "Tiêu chí, nội dung",
    "c_max": "Điểm tối đa",
    "c_source": "Cách tính",
    "c_from_assessment": "Điểm đơn vị chấm, cột “{col}”",
    "c_start": "Khởi điểm {points} điểm",
    "c_formula": "Theo công thức: {formula}",
    "c_deduct": "Trừ",
    "c_bonus": "Cộng",
    "c_per": "mỗi đơn vị của chỉ số “{measure}”",
    "c_when": "khi",
    "c_limit": "tối đa {points} điểm",
    "c_group_total": "Cộng nhóm",
    "c_grand_total": "TỔNG CỘNG",
    "c_clip": "Điểm mỗi tiêu chí được giới hạn trong khoảng từ 0 đến điểm tối đa.",
    "c_measure": "Chỉ số",
    "c_table": "Bảng dữ liệu",
    "c_filter": "Điều kiện lọc",
    "c_agg": "Cách tổng hợp",
    "c_window": "Khoảng thời gian",
    "c_all_records": "tất cả hồ sơ",
    "c_band_code": "Ký hiệu",
    "c_band_label": "Mức xếp loại",
    "c_band_range": "Tổng điểm",
    "c_band_from": "từ {min} điểm trở lên",
    "c_band_between": "từ {min} đến dưới {upper} điểm",
    "c_condition": "Điều kiện",
    "c_action": "Xử lý",
    "c_given": "Dữ liệu giả định",
    "c_expect": "Kết quả mong đợi",
    "c_example": "Ví dụ",
    "c_assessment": "Điểm đơn vị chấm",
    "c_employee": "Thông tin người được đánh giá",
    "c_none": "—",
    "c_period": "Kỳ",
    "action_force": "Xếp loại {rating}",
    "action_cap": "Xếp loại không cao hơn {rating}",
    "action_not_rated": "Không xếp loại",
    "agg_count": "đếm số hồ sơ",
    "agg_sum": "tổng của cột “{of}”",
    "agg_max": "giá trị lớn nhất của cột “{of}”",
    "agg_min": "giá trị nhỏ nhất của cột “{of}”",
    "window_period": "trong kỳ đánh giá",
    "window_year_to_date": "từ đầu năm đến hết kỳ",
    "window_trailing_12_months": "12 tháng tính đến hết kỳ",
    "kind_month": "tháng",
    "kind_quarter": "quý",
    "kind_year": "năm",
    "expect_items": "điểm tiêu chí",
    "expect_total": "tổng điểm",
    "expect_rating": "xếp loại",
    "expect_status": "trạng thái",
    "expect_overrides": "điều chỉnh",
    "status_rated": "được xếp loại",
    "status_not_rated": "không xếp loại",
}

_EN: dict[str, str | tuple[str, ...]] = {
    "nation": "SOCIALIST REPUBLIC OF VIET NAM",
    "motto": "Independence - Freedom - Happiness",
    "number": "No.:",
    "number_suffix": "/BC-TCCB",
    "unit_title": "REPORT ON QUALITY EVALUATION AND RATING, {period}",
    "summary_title": "SUMMARY REPORT ON QUALITY EVALUATION AND RATING, {period}",
    "criteria_title": "EVALUATION AND RATING CRITERIA",
    "addressee": "To: the head of {unit}",
    "scope_note": "Scope of this report: {unit}",
    "scope_with_sub": "{unit} and {n} subordinate units ({names})",
    "criteria_ref": "Under {title} ({id}, version {version}), the results for {period} are:",
    "s_summary": "OVERVIEW",
    "s_charts": "Charts",
    "s_table": "POINTS AND RATING OF EACH PERSON",
    "s_explain": "DEDUCTIONS, BONUSES AND ADJUSTMENTS EXPLAINED",
    "s_trend": "TREND OVER EVALUATION PERIODS",
    "s_units": "RESULTS BY UNIT",
    "s_total": "RESULTS FOR THE WHOLE AGENCY",
    "s_overrides": "EFFECT OF THE RATING OVERRIDES AND QUOTAS",
    "s_notable": "WHAT STANDS OUT",
    "headcount": "People in the scope of evaluation",
    "direct_headcount": "of whom directly in the unit",
    "rated": "Rated",
    "not_rated": "Not rated",
    "not_rated_short": "NR",
    "distribution": "Ratings",
    "violations": "Traffic violations (effective)",
    "violations_short": "Violations",
    "violators": "People with a violation",
    "violators_short": "Violators",
    "by_category": "Violations by category",
    "trained": "People who attended traffic-safety training",
    "figure_rules": "How the criteria count",
    "rule_measure": "measure “{label}”, {window}{date}",
    "rule_default": "every effective violation (status = 'effective'), {window}{date} (the "
                    "default: the criteria name no summary.violations_measure)",
    "rule_none": "no measure of the criteria gives this figure (0)",
    "rule_by": "by",
    "training_reach": "Training reach",
    "reach_short": "Training reach",
    "mean_total": "Mean total",
    "mean_short": "Mean",
    "people": "people",
    "person": "person",
    "case": "case",
    "people_col": "People",
    "points_col": "Points",
    "explain_col": "Deductions, bonuses, adjustments (how; records; legal basis)",
    "content_col": "Rule",
    "cases": "cases",
    "count": "Count",
    "share": "Share",
    "chart_ratings": "Chart 1. Rating distribution",
    "chart_violations": "Chart 2. Traffic violations by category",
    "chart_units": "Chart. Ratings by unit",
    "chart_trend": "Ratings by period",
    "no_violations": "No traffic violations in the period.",
    "stt": "No.",
    "name": "Full name",
    "position": "Position",
    "traffic": "Traffic",
    "traffic_long": "Compliance with traffic-safety law",
    "total": "Total",
    "rating": "Rating",
    "adjust": "Adjusted",
    "unit": "Unit",
    "max_prefix": "max",
    "columns_legend": "Point columns",
    "ratings_legend": "Ratings",
    "overrides_legend": "Rating adjustments (overrides, quotas)",
    "no_staff": "Nobody is in the scope of evaluation for the period.",
    "no_explanations": "No deductions, bonuses or rating adjustments.",
    "records": "records",
    "legal_ref": "legal basis",
    "period": "Period",
    "none": "None",
    "notable_violators": "Units with the most people with a traffic violation",
    "notable_reach": "Units with the lowest training reach",
    "notable_kht": "People rated Not completed",
    "kht_total": "Whole agency: {n}; by unit:",
    "override_id": "Code",
    "override_label": "Rule",
    "override_count": "People",
    "override_changes": "Changes",
    "recipients": "Recipients:",
    "recipients_unit": (
        "As above;",
        "Director of the Department (for reporting);",
        "Archive: Records office, Personnel office.",
    ),
    "recipients_summary": (
        "Director of the Department (for reporting);",
        "Deputy Directors;",
        "Divisions and units of the Department;",
        "Archive: Records office, Personnel office.",
    ),
    "recipients_criteria": (
        "Evaluation council;",
        "Inspectorate;",
        "Archive: Records office, Personnel office.",
    ),
    "sign_on_behalf": "FOR THE DIRECTOR",
    "sign_title": "DEPUTY DIRECTOR",
    "sign_note": "(Signature, full name and seal)",
    "page": "Page",
    "footer_criteria": "Criteria",
    "footer_version": "version",
    "footer_period": "period",
    "c_identity": "IDENTITY",
    "c_legal": "LEGAL BASIS",
    "c_sheet": "POINTS SHEET",
    "c_measures": "MEASURES",
    "c_bands": "RATING BANDS",
    "c_overrides": "RATING ADJUSTMENTS (applied in this order)",
    "c_examples": "WORKED EXAMPLES AND EXPECTED RESULTS",
    "c_quotas": "RATING QUOTAS (after the overrides, in this order)",
    "c_quota_rule": "{rating} at most {pct}% of the number rated {relative}",
    "c_scopes": "Applied within",
    "c_tie_break": "Who moves down one band when over the quota",
    "c_tie_break_text": "lowest total first{more}, then employee id",
    "scope_agency": "the whole agency",
    "scope_unit": "each unit",
    "scope_duty_group": "each duty group",
    "c_leader_measures": "Unit measures (over the subordinates of a leader)",
    "c_leader_positions": "Leader positions",
    "c_subordinates": "Subordinates",
    "agg_share": "share of people meeting the condition",
    "agg_people": "count of people meeting the condition",
    "agg_days": "days of leave inside the window",
    "c_builtin": "Built-in measures (from the roster and leave)",
    "c_assessment_columns": "Other assessment columns used",
    "c_rollup": "Yearly roll-up of quarterly results",
    "c_quarters": "Quarterly results",
    "c_rollup_month": "Roll-up of the monthly results",
    "c_months": "Monthly results",
    "asc": "ascending",
    "desc": "descending",
    "c_id": "Criteria id",
    "c_version": "Version",
    "c_title": "Title",
    "c_organisation": "Issued by",
    "c_approval": "Approval",
    "c_effective": "In force",
    "c_period_kind": "Evaluation period",
    "c_applies_to": "Applies to",
    "c_sha": "SHA-256 of the criteria file",
    "c_from": "from",
    "c_until": "until",
    "c_open": "no end date",
    "c_code": "Number",
    "c_doc": "Document",
    "c_articles": "Articles applied",
    "c_item": "Criterion",
    "c_max": "Max points",
    "c_source": "How it is computed",
    "c_from_assessment": "Unit's assessment, column “{col}”",
    "c_start": "Starts at {points} points",
    "c_formula": "Formula: {formula}",
    "c_deduct": "Minus",
    "c_bonus": "Plus",
    "c_per": "per unit of measure “{measure}”",
    "c_when": "when",
    "c_limit": "at most {points} points",
    "c_group_total": "Group total",
    "c_grand_total": "TOTAL",
    "c_clip": "Each item's points are clipped to the range from 0 to its maximum.",
    "c_measure": "Measure",
    "c_table": "Table",
    "c_filter": "Filter",
    "c_agg": "Aggregation",
    "c_window": "Window",
    "c_all_records": "all records",
    "c_band_code": "Code",
    "c_band_label": "Rating",
    "c_band_range": "Total points",
    "c_band_from": "{min} or more",
    "c_band_between": "from {min} to under {upper}",
    "c_condition": "Condition",
    "c_action": "Effect",
    "c_given": "Given",
    "c_expect": "Expected",
    "c_example": "Example",
    "c_assessment": "Unit's assessment",
    "c_employee": "Employee",
    "c_none": "—",
    "c_period": "Period",
    "action_force": "Rated {rating}",
    "action_cap": "Rated at most {rating}",
    "action_not_rated": "Not rated",
    "agg_count": "count of records",
    "agg_sum": "sum of “{of}”",
    "agg_max": "largest “{of}”",
    "agg_min": "smallest “{of}”",
    "window_period": "within the period",
    "window_year_to_date": "from the start of the year to the end of the period",
    "window_trailing_12_months": "12 months up to the end of the period",
    "kind_month": "month",
    "kind_quarter": "quarter",
    "kind_year": "year",
    "expect_items": "item points",
    "expect_total": "total",
    "expect_rating": "rating",
    "expect_status": "status",
    "expect_overrides": "adjustments",
    "status_rated": "rated",
    "status_not_rated": "not rated",
}

TEXTS: dict[str, dict[str, str | tuple[str, ...]]] = {"vi": dict(_VI), "en": dict(_EN)}
assert set(_VI) == set(_EN), sorted(set(_VI) ^ set(_EN))

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
