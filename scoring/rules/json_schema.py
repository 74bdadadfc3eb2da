"""JSON Schema of the criteria language, generated from the typed model.

The schema ships in the package (``scoring/criteria.schema.json``) so editors with YAML support
can complete and check keys; a test keeps the file in step with the model.
"""

from __future__ import annotations

import json
from importlib import resources

from scoring.rules.model import Criteria

__all__ = ["schema_text", "packaged_schema_text", "SCHEMA_FILE"]

SCHEMA_FILE = "criteria.schema.json"


def schema_text() -> str:
    schema = Criteria.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Scoring criteria / Tiêu chí chấm điểm"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def packaged_schema_text() -> str:
    return resources.files("scoring").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
