"""The JSON Schema of procedure files, for editors' autocompletion."""

from __future__ import annotations

import json
from typing import Any

from portal.procedure.model import Procedure


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema that `procedures/schema.json` holds."""
    schema = Procedure.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Yokohama online procedure"
    return schema


def json_schema_text() -> str:
    """Return the schema as the text written to schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
