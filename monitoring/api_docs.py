"""/api/docs/: the API described for people, rendered on the server from the OpenAPI schema.

drf-spectacular's Swagger UI and Redoc load their scripts from a CDN, which the portal's Content Security
Policy (and a closed network) forbid; a page of tables needs no script at all. Public, like the schema: it
says how to talk to the API and nothing about any customer.
"""

import functools
import json

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from .api import RESULTS_MAX


@functools.lru_cache(maxsize=4)
def schema_for(language: str) -> dict:
    """The schema (its help texts in `language`); it changes only with the code, so once per process."""
    with translation.override(language):
        return SchemaGenerator().get_schema(request=None, public=True)


class SchemaView(SpectacularAPIView):
    """/api/schema/ from the process's copy: a public URL should not cost a schema generation each time."""

    def _get_schema_response(self, request):
        return Response(
            schema_for(translation.get_language()),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, None)}"'},
        )


def _resolve(schema: dict, node: dict) -> dict:
    if "$ref" in node:
        return _resolve(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    return node


def _fields(schema: dict, node: dict, prefix: str = "") -> list[dict]:
    """The fields of an object schema, an array of objects' fields listed after it as "name[].field"."""
    node = _resolve(schema, node)
    required = set(node.get("required", ()))
    rows = []
    for name, field in node.get("properties", {}).items():
        items = _resolve(schema, field.get("items", {})) if field.get("type") == "array" else None
        field = _resolve(schema, field) if "$ref" in field else field
        rows.append(
            {
                "name": f"{prefix}{name}",
                "type": _type_of(schema, field, items),
                "required": name in required,
                "description": field.get("description", ""),
                "limits": _limits(_resolve(schema, field.get("allOf", [field])[0]) | field),
            }
        )
        if items and items.get("properties"):
            rows.extend(_fields(schema, items, f"{prefix}{name}[]."))
    return rows


def _type_of(schema: dict, field: dict, items: dict | None) -> str:
    if items is not None:
        return "array of objects" if items.get("properties") else f"array of {items.get('type', 'values')}"
    if "enum" in _resolve(schema, field.get("allOf", [field])[0]):
        return "string"
    return field.get("format") or field.get("type") or "object"


def _limits(field: dict) -> str:
    parts = []
    if "enum" in field:
        parts.append(" | ".join(str(value) for value in field["enum"] if value not in ("", None)))
    for key, sign in (("minLength", "≥"), ("maxLength", "≤"), ("minimum", "≥"), ("maximum", "≤")):
        if key in field:
            parts.append(f"{sign} {field[key]}")
    if "maxItems" in field:
        parts.append(f"≤ {field['maxItems']}")
    return ", ".join(parts)


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            example = next(iter(body.get("examples", {}).values()), {}).get("value")
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "fields": _fields(schema, body["schema"]) if body else [],
                    "responses": [
                        {"code": code, "description": answer.get("description", "")}
                        for code, answer in operation.get("responses", {}).items()
                    ],
                    "example": json.dumps(example, indent=2, ensure_ascii=False) if example else "",
                }
            )
    return operations


@login_not_required
@require_GET
def api_docs(request):
    schema = schema_for(translation.get_language())
    context = {
        "info": schema["info"],
        "operations": _operations(schema),
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "base_url": request.build_absolute_uri("/").rstrip("/"),
        "results_max": RESULTS_MAX,
    }
    return render(request, "monitoring/api_docs.html", context)
