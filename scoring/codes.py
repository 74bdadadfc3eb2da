"""Stable problem codes: one per kind of problem the tool reports, whatever the wording.

Every ``Issue`` carries one. Tests and the case corpora check the code and the location, so a
message can be reworded without breaking them; users look a code up in ``docs/errors.md``
(``tests/test_problem_codes.py`` checks that every code here is listed there and used).
Codes never change meaning; a retired code is not reused.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Code"]


class Code(StrEnum):
    """``C`` criteria, ``D`` input data, ``R`` run folders, ``S`` settings; the first digit: the stage."""

    # criteria: reading the file and its YAML
    CRITERIA_UNREADABLE = "C101"
    CRITERIA_TOO_LARGE = "C102"
    CRITERIA_NOT_UTF8 = "C103"
    YAML_SYNTAX = "C104"
    YAML_UNREADABLE = "C105"
    CRITERIA_NOT_MAPPING = "C106"
    YAML_TOO_DEEP = "C107"
    YAML_ALIAS = "C108"
    YAML_TAG = "C109"
    YAML_KEY_NOT_TEXT = "C110"
    YAML_DUPLICATE_KEY = "C111"
    YAML_VALUE = "C112"
    YAML_TOO_MANY_VALUES = "C113"
    # criteria: the structure of the language
    UNKNOWN_KEY = "C201"
    MISSING_KEY = "C202"
    VALUE_NOT_ALLOWED = "C203"
    INVALID_VALUE = "C204"
    TOO_MANY_ENTRIES = "C205"
    # criteria: consistency of what the file says
    EXPRESSION = "C301"
    DUPLICATE_ID = "C302"
    DATES = "C303"
    ROLLUP = "C304"
    UNKNOWN_NAME = "C305"
    NAME_CLASH = "C306"
    MEASURE = "C307"
    POINTS = "C308"
    ITEM_BASE = "C309"
    RULE = "C310"
    RATINGS = "C311"
    OVERRIDE = "C312"
    QUOTA = "C313"
    EXAMPLE = "C314"
    ROLLUP_SOURCE = "C315"
    EXPRESSION_NOT_ALLOWED = "C316"
    EXPRESSION_TYPE = "C317"
    # criteria: which file is in force
    PERIOD_KIND = "C401"
    NOT_IN_FORCE = "C402"
    OVERLAP = "C403"
    NONE_IN_FORCE = "C404"
    # criteria: when scored
    NOT_FINITE = "C501"
    # input data: finding and reading files
    NO_DATA = "D101"
    TABLE_TWICE = "D102"
    TABLE_MISSING = "D103"
    SHEET = "D104"
    NOT_NAMED_AS_TABLE = "D105"
    FILE_UNREADABLE = "D106"
    FILE_EMPTY = "D107"
    DATA_NOT_UTF8 = "D108"
    NOT_A_TABLE = "D109"
    CSV_MALFORMED = "D110"
    EXCEL_UNREADABLE = "D111"
    PARQUET_UNREADABLE = "D112"
    HEADER_ROW = "D113"
    TOO_MANY_COLUMNS = "D114"
    # input data: columns
    COLUMN_MISSING = "D201"
    COLUMN_TWICE = "D202"
    COLUMN_TYPE = "D203"
    # input data: cells
    CELL_TYPE = "D301"
    CELL_CHECK = "D302"
    CELL_MISSING = "D303"
    CELL_INVISIBLE = "D304"
    CELL_FORMULA = "D305"
    END_BEFORE_START = "D306"
    # input data: between rows and tables
    DUPLICATE_KEY = "D401"
    UNKNOWN_REFERENCE = "D402"
    UNIT_CYCLE = "D403"
    AMBIGUOUS_UNIT_NAME = "D404"
    VALUE_NEVER_MATCHES = "D405"
    # input data: the column-mapping file
    MAPPING_UNREADABLE = "D501"
    MAPPING_DUPLICATE = "D502"
    MAPPING_UNKNOWN_COLUMN = "D503"
    # input data: the data-source file
    SOURCE_UNREADABLE = "D601"
    SOURCE_UNKNOWN_KEY = "D602"
    SOURCE_VALUE = "D603"
    SOURCE_FILE_MISSING = "D604"
    SOURCE_DUPLICATE = "D605"
    # run folders
    NOT_A_RUN = "R101"
    RUN_FILE_MISSING = "R102"
    RUN_FILE_UNREADABLE = "R103"
    RUN_INCONSISTENT = "R104"
    # writing a run
    OUT_REFUSED = "R201"
    OUT_NOT_WRITABLE = "R202"
    DISK_FULL = "R203"
    OUT_TAKEN = "R204"
    # rendering on a cluster
    CLUSTER = "R301"
    CLUSTER_MISSING = "R302"
    # signing the reports
    SIGN_KEY_MISSING = "R401"
    SIGN_KEY_UNREADABLE = "R402"
    # the settings file
    SETTINGS = "S101"
