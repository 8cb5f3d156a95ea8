"""The OpenAPI document, the browsable documentation, the API's index, and the fallback that
answers unknown paths and methods under /api/v1 with problem bodies."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, PathConverter, Rule

from planner.api import bp
from planner.api.core import OPERATIONS, Operation, json_response
from planner.api.markers import N_
from planner.api.openapi import TAGS, build_document, roles_for
from planner.api.problems import PROBLEM_HELP, PROBLEMS

FALLBACK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.get("/openapi.json")
def openapi() -> Response:
    response = json_response(build_document())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/")
def index() -> Response:
    return json_response(
        {
            "openapi": url_for("api.openapi"),
            "docs": url_for("api.docs"),
            "programs": url_for("api.list_programs"),
        }
    )


# --------------------------------------------------------------------------- docs page


def _inline(text: str) -> Markup:
    """``text`` in the page's language (it is a message of the catalogue: planner/api marks
    them with N_), escaped, its `backticked` parts shown as code."""
    escaped = str(escape(gettext(text))) if text else ""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))  # nosec B704


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _number(value: float) -> str:
    """1000000 as 1,000,000; 1e12 as 1,000,000,000,000; 0.5 as 0.5."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


# JSON Schema type and format names as the page words them
TYPE_NAMES = {
    "string": N_("string"),
    "integer": N_("integer"),
    "number": N_("number"),
    "boolean": N_("boolean"),
    "null": N_("null"),
    "any": N_("any"),
    "object": N_("object"),
    "date": N_("date"),
    "date-time": N_("date-time"),
}
# where a parameter goes
PARAMETER_PLACES = {"path": N_("path"), "query": N_("query")}
# the tags (the docs page's section titles); the anchors keep the tags themselves
TAG_TITLES = {
    "account": N_("Account"),
    "programs": N_("Programs"),
    "phases": N_("Phases"),
    "work items": N_("Work items"),
    "dependencies": N_("Dependencies"),
    "risks": N_("Risks"),
    "metrics": N_("Metrics"),
    "readings": N_("Readings"),
    "gates": N_("Gates"),
    "gate criteria": N_("Gate criteria"),
    "gate decisions": N_("Gate decisions"),
    "raid log": N_("RAID log"),
}


def _type_name(name: str) -> str:
    return gettext(TYPE_NAMES[name]) if name in TYPE_NAMES else name


def _code(value: Any) -> Markup:
    """A value a program sends or receives, as code (``"on_hold"`` → <code>on_hold</code>)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return Markup("<code>%s</code>") % text


def type_text(schema: dict[str, Any]) -> tuple[Markup, list[str]]:
    """A schema as a short phrase (``"integer 1–5 or null"``) in the page's language, values
    a program sends shown as code, and the schemas it names."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return escape(name), [name]
    if "anyOf" in schema:
        texts, refs = [], []
        for option in schema["anyOf"]:
            text, names = type_text(option)
            texts.append(text)
            refs += names
        return (Markup(" %s ") % gettext("or")).join(texts), refs
    if "enum" in schema:
        values = Markup(", ").join(_code(v) for v in schema["enum"])
        return escape(gettext("one of %(values)s")) % {"values": values}, []
    kind = schema.get("type", "any")
    if kind == "array":
        text, refs = type_text(schema.get("items", {}))
        phrase = escape(gettext("array of %(type)s")) % {"type": text}
        if "maxItems" in schema:
            limit = escape(gettext("at most %(count)s")) % {"count": _number(schema["maxItems"])}
            phrase = Markup("%s (%s)") % (phrase, limit)
        return phrase, refs
    if kind == "string":
        text = escape(_type_name(schema.get("format", "string")))
        if "maxLength" in schema:
            low = schema.get("minLength", 0)
            length = gettext("%(low)s–%(high)s characters") % {
                "low": low,
                "high": schema["maxLength"],
            }
            text = Markup("%s, %s") % (text, length)
        if "pattern" in schema:
            pattern = escape(gettext("matching %(pattern)s")) % {
                "pattern": _code(schema["pattern"])
            }
            text = Markup("%s, %s") % (text, pattern)
        return text, []
    if kind in ("integer", "number"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return escape(f"{_type_name(kind)} {_number(low)}–{_number(high)}"), []
        return escape(_type_name(kind)), []
    return escape(_type_name(str(kind))), []


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        text, refs = type_text(prop)
        rows.append(
            {
                "name": name,
                "type": text,
                "refs": refs,
                "required": name in required,
                "read_only": bool(prop.get("readOnly")),
                "default": prop.get("default"),
                "has_default": "default" in prop,
                "description": _inline(prop.get("description", "")),
            }
        )
    return rows


def _title(status: int) -> str:
    title = PROBLEMS.get(status, ("", ""))[1]
    return gettext(title) if title else ""


def docs_context() -> dict[str, Any]:
    document = build_document()
    components = document["components"]["schemas"]
    by_tag: dict[str, list[dict[str, Any]]] = {}
    for op in OPERATIONS:
        entry = document["paths"][op.path][op.method.lower()]
        by_tag.setdefault(op.tag, []).append(_operation(op, entry))
    schemas = [
        {
            "name": name,
            "description": _inline(schema.get("description", "")),
            "fields": _fields(schema),
        }
        for name, schema in sorted(components.items())
    ]
    problems = [
        {
            "status": status,
            "slug": slug,
            "title": gettext(title),
            "help": _inline(PROBLEM_HELP[status]),
        }
        for status, (slug, title) in PROBLEMS.items()
    ]
    info = document["info"]
    return {
        "document": document,
        "title": gettext(info["title"]),
        # paragraphs of the overview, `backticked` parts as code
        "overview": [_inline(part) for part in gettext(info["description"]).split("\n\n")],
        "sections": _sections(by_tag),
        "schemas": schemas,
        "problems": problems,
        "base_url": request.host_url.rstrip("/") + (bp.url_prefix or ""),
    }


def _operation(op: Operation, entry: dict[str, Any]) -> dict[str, Any]:
    """One operation of the reference: its words, who may call it, parameters, body and
    responses (``entry``: its part of the OpenAPI document)."""
    body = None
    if "requestBody" in entry:
        body = _ref_name(entry["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    return {
        "method": op.method,
        "path": op.path,
        "anchor": op.endpoint,
        "summary": gettext(op.summary),
        "description": _inline(op.description),
        "roles": roles_for(op.requirement, gettext),
        "requirement": op.requirement,
        "parameters": [_parameter(parameter) for parameter in entry["parameters"]],
        "body": body,
        "responses": [_response(status, answer) for status, answer in entry["responses"].items()],
    }


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    text, _refs = type_text(parameter["schema"])
    return {
        "name": parameter["name"],
        "in": gettext(PARAMETER_PLACES.get(parameter["in"], parameter["in"])),
        "type": text,
        "required": parameter["required"],
        "default": parameter["schema"].get("default"),
        "description": _inline(parameter.get("description", "")),
    }


def _response(status: str, response: dict[str, Any]) -> dict[str, Any]:
    content = response.get("content", {})
    schema = next(iter(content.values()), {}).get("schema") if content else None  # type: ignore[call-overload]  # an OpenAPI media type is a dict
    return {
        "status": status,
        "schema": _ref_name(schema["$ref"]) if schema else None,
        "slug": PROBLEMS.get(int(status), ("", ""))[0] if int(status) >= 400 else "",
        "title": _title(int(status)),
    }


def _sections(by_tag: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The operations by tag, tags in the order of :data:`TAGS` (others after them)."""
    order = {tag: n for n, tag in enumerate(TAGS)}
    return [
        {
            "tag": tag,
            "title": gettext(TAG_TITLES[tag]) if tag in TAG_TITLES else tag.capitalize(),
            "description": _inline(TAGS.get(tag, "")),
            "operations": ops,
        }
        for tag, ops in sorted(by_tag.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]


@bp.get("/docs")
def docs() -> str:
    return render_template("api/docs.html", **docs_context())


# --------------------------------------------------------------------------- fallback


def _method_map() -> Map:
    """The API's own routes (without this fallback), to tell 405 from 404."""
    cached = current_app.extensions.get("planner_api_routes")
    if cached is None:
        rules = [
            Rule(rule.rule, endpoint=rule.endpoint, methods=rule.methods)
            for rule in current_app.url_map.iter_rules()
            if rule.endpoint.startswith(f"{bp.name}.") and rule.endpoint != "api.fallback"
        ]
        cached = current_app.extensions["planner_api_routes"] = Map(rules)
    return cached


class RestConverter(PathConverter):
    """Like ``path``, but any character at all (a newline too): nothing under /api/v1 may
    fall through to the pages' HTML 404."""

    regex = r"[\s\S]*?"
    part_isolating = False  # it spans slashes (werkzeug guesses from "/" in the regex)


@bp.record_once
def _add_converter(state: Any) -> None:
    state.app.url_map.converters.setdefault("api_rest", RestConverter)


@bp.route("/<api_rest:rest>", methods=FALLBACK_METHODS)
def fallback(rest: str) -> Response:
    """No such path (or id out of range) → 404; a known path, another method → 405."""
    adapter = _method_map().bind("localhost")
    try:
        adapter.match(request.path, method=request.method)
    except MethodNotAllowed as exc:
        raise MethodNotAllowed(valid_methods=exc.valid_methods) from None
    except NotFound:
        pass
    abort(404)
