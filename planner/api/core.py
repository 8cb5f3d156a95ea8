"""The API's plumbing: one registry of operations (read by the OpenAPI generator, the docs
page and the policy table), request parsing with pydantic, JSON responses, pagination, and
the translation of the planner's exceptions into problem details."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from flask import Response, abort, request, url_for
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from planner.api import bp
from planner.api.problems import problem
from planner.domain.errors import (
    ConflictError,
    DependencyCycleError,
    NotFoundError,
    ValidationError,
)
from planner.domain.explain import Explanation
from planner.domain.playbook import format_path  # ("targets", 1, "target") → targets[1].target
from planner.explain_text import render
from planner.extensions import db
from planner.services.api_support import Slice
from planner.services.concurrency import StaleEditError

MAX_ID = 2_147_483_647  # the database's integer ids
# Flask rule converters; values out of range are answered 404 before anything looks them up
# (see check_path_values): werkzeug would answer an HTML 404 for a converter's own range check
ID = "int"
ORDINAL = "int"
MAX_ORDINAL = 1000
MAX_BODY_BYTES = 1_000_000
JSON_MEDIA_TYPE = "application/json"


class ApiError(Exception):
    """An error the API answers with a problem body."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra


@dataclass(frozen=True)
class Operation:
    """One API operation: a method on a path, with its models and its permission."""

    endpoint: str
    method: str
    rule: str
    summary: str
    tag: str
    requirement: str
    description: str = ""
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    # body fields that are shown but may not be sent, with the reason given when they are
    read_only: Mapping[str, str] = field(default_factory=dict)
    # service field name → API field name, for the errors a service reports
    aliases: Mapping[str, str] = field(default_factory=dict)
    # the field blamed for a service error that names none
    default_field: str = ""
    problems: tuple[int, ...] = ()

    @property
    def path(self) -> str:
        """The OpenAPI path template, relative to the API's base URL."""
        relative = self.rule.removeprefix(bp.url_prefix or "")
        return re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", r"{\1}", relative)

    @property
    def path_parameters(self) -> list[str]:
        return re.findall(r"<(?:[^:>]+:)?([a-z_]+)>", self.rule)


OPERATIONS: list[Operation] = []


def operation(
    method: str,
    rule: str,
    *,
    summary: str,
    tag: str,
    requirement: str,
    **options: Any,
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Register ``view`` as an API operation (route, policy requirement, OpenAPI entry)."""

    def decorator(view: Callable[..., Response]) -> Callable[..., Response]:
        problems = [400, 401, 404] if requirement != "public" else [400, 404]
        if requirement not in ("public", "signed_in"):
            problems.append(403)
        elif requirement == "signed_in" and method != "GET":
            problems.append(403)
        if options.get("body") is not None:
            problems += [413, 415, 422]
        if method in ("POST", "PATCH", "DELETE"):
            problems += [409, 422]
        op = Operation(
            endpoint=view.__name__,
            method=method,
            rule=(bp.url_prefix or "") + rule,
            summary=summary,
            tag=tag,
            requirement=requirement,
            description=(options.pop("description", None) or view.__doc__ or "").strip(),
            problems=tuple(sorted(set(problems))),
            **options,
        )
        OPERATIONS.append(op)

        @functools.wraps(view)
        def wrapper(**path_args: Any) -> Response:
            return _run(op, view, path_args)

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapper, methods=[method])
        return wrapper

    return decorator


def _run(op: Operation, view: Callable[..., Response], path_args: dict[str, Any]) -> Response:
    try:
        kwargs = dict(path_args)
        if op.query is not None:
            kwargs["query"] = parse_query(op.query)
        if op.body is not None:
            kwargs["body"] = parse_body(op.body, op.read_only)
        response = view(**kwargs)
        db.session.commit()
        return response
    except ApiError as exc:
        db.session.rollback()
        return problem(exc.status, exc.detail, exc.errors, exc.headers, **exc.extra)
    except StaleEditError as exc:
        db.session.rollback()
        return problem(
            409,
            _words("row.stale"),
            [("version", _words("api.version_stored", version=str(exc.current_version)))],
            current_version=exc.current_version,
        )
    except StaleDataError:
        db.session.rollback()
        return problem(
            409,
            _words("api.row_changed_meanwhile"),
            [("version", _words("api.read_again"))],
        )
    except NotFoundError as exc:
        db.session.rollback()
        return problem(404, str(exc))
    except DependencyCycleError as exc:
        db.session.rollback()
        return problem(422, str(exc), [(op.aliases.get("successor", "successor_id"), str(exc))])
    except ValidationError as exc:
        db.session.rollback()
        errors = [(_api_field(op, path), message) for path, message in exc.errors]
        return problem(422, str(exc), errors or [(op.default_field, str(exc))])
    except ConflictError as exc:
        db.session.rollback()
        return problem(409, str(exc))
    except IntegrityError:
        # a unique key taken by a request at the same moment: the pages' safety net
        # (planner.ops.errors.retry_locked) runs the operation again, then answers 409
        db.session.rollback()
        raise


def _api_field(op: Operation, path: str) -> str:
    if path in op.aliases:
        return op.aliases[path]
    head, dot, rest = path.partition(".")
    if dot and head in op.aliases:
        return f"{op.aliases[head]}.{rest}"
    return path


@bp.url_value_preprocessor
def check_path_values(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Ids beyond the database's integers (e.g. 10^23) are unknown: 404, not an overflow.

    URL value preprocessors run before every before_request hook, the policy check included.
    """
    for name, value in (values or {}).items():
        if not isinstance(value, int):
            continue
        low, high = (0, MAX_ORDINAL) if name == "ordinal" else (1, MAX_ID)
        if not low <= value <= high:
            abort(404)


# --------------------------------------------------------------------------- parsing


def _words(code: str, /, **params: object) -> str:
    """A message of the API in the reader's language (``Accept-Language``)."""
    return render(Explanation(code, params))


#: pydantic's error types → message codes (planner/messages/), and each parameter's context key
_PYDANTIC_CODES: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "missing": ("field.required", {}),
    "string_too_long": ("field.too_long", {"max": "max_length"}),
    "string_too_short": ("api.field.too_short", {"min": "min_length"}),
    "string_type": ("api.field.text", {}),
    "int_type": ("api.field.whole", {}),
    "int_parsing": ("api.field.whole", {}),
    "int_from_float": ("api.field.whole", {}),
    "float_type": ("field.not_a_number", {}),
    "float_parsing": ("field.not_a_number", {}),
    "bool_type": ("api.field.boolean", {}),
    "date_type": ("field.not_a_date", {}),
    "date_parsing": ("field.not_a_date", {}),
    "date_from_datetime_parsing": ("field.not_a_date", {}),
    "greater_than_equal": ("api.field.at_least", {"limit": "ge"}),
    "less_than_equal": ("api.field.at_most", {"limit": "le"}),
    "greater_than": ("api.field.above", {"limit": "gt"}),
    "less_than": ("api.field.below", {"limit": "lt"}),
    "literal_error": ("api.field.choice", {"values": "expected"}),
    "string_pattern_mismatch": ("api.field.pattern", {}),
    "list_type": ("api.field.list", {}),
    "too_long": ("api.field.too_many", {"max": "max_length"}),
}


def _message(error: Mapping[str, Any]) -> str:
    """A pydantic error in the reader's language (pydantic's own words for a rare type)."""
    known = _PYDANTIC_CODES.get(str(error.get("type")))
    if known is not None:
        code, keys = known
        context = error.get("ctx") or {}
        # pydantic lists a literal's values as "'a', 'b' or 'c'": a plain list, any language
        params = {
            name: str(context.get(key, "")).replace(" or ", ", ") for name, key in keys.items()
        }
        return _words(code, **params)
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def parse_query(model: type[BaseModel]) -> BaseModel:
    """The query string as ``model``: unknown or repeated parameters are refused (400)."""
    errors: list[tuple[str, str]] = []
    data: dict[str, str] = {}
    known = model.model_fields
    for name in request.args:
        values = request.args.getlist(name)
        if name not in known:
            expected = ", ".join(known) or "none"
            errors.append((name, _words("api.query.unknown", expected=expected)))
        elif len(values) > 1:
            errors.append((name, _words("api.query.twice")))
        else:
            data[name] = values[0]
    if errors:
        raise ApiError(400, _words("api.query.not_understood"), errors)
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise ApiError(
            400,
            _words("api.query.not_understood"),
            [(format_path(e["loc"]), _message(e)) for e in exc.errors()],
        ) from None


def parse_body(model: type[BaseModel], read_only: Mapping[str, str]) -> BaseModel:
    """The JSON body as ``model``; 415 if it is not JSON, 400 if unreadable, 422 if invalid."""
    mimetype = request.mimetype or ""
    if mimetype != JSON_MEDIA_TYPE and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        raise ApiError(
            415,
            _words("api.http.415"),
            [("", _words("api.body.not_json", got=mimetype or "-"))],
        )
    request.max_content_length = MAX_BODY_BYTES
    raw = request.get_data(cache=True)
    if not raw.strip():
        empty = _words("api.body.empty")
        raise ApiError(400, empty, [("", empty)])
    try:
        return model.model_validate_json(raw, strict=True)
    except PydanticValidationError as exc:
        problems = exc.errors()
        unreadable = [e for e in problems if e["type"] == "json_invalid"]
        if unreadable:
            raise ApiError(
                400, _words("api.body.invalid_json"), [("", _message(unreadable[0]))]
            ) from None
        errors = []
        for error in problems:
            loc = error["loc"]
            path = format_path(loc)
            if error["type"] == "extra_forbidden":
                if len(loc) == 1 and loc[0] in read_only:
                    errors.append((path, read_only[str(loc[0])]))
                else:
                    errors.append((path, _words("api.body.unknown_field")))
            elif error["type"] == "model_type" and not loc:
                errors.append(("", _words("api.body.object")))
            else:
                errors.append((path, _message(error)))
        raise ApiError(422, _words("api.body.schema"), errors) from None


# --------------------------------------------------------------------------- responses


def dump(model: type[BaseModel], obj: Any, **extra: Any) -> dict[str, Any]:
    """``obj`` (a row or a mapping) as the JSON of ``model``."""
    if extra or isinstance(obj, Mapping):
        values = dict(obj) if isinstance(obj, Mapping) else _attributes(model, obj)
        values.update(extra)
        return model.model_validate(values).model_dump(mode="json")
    return model.model_validate(obj, from_attributes=True).model_dump(mode="json")


def _attributes(model: type[BaseModel], obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in model.model_fields if hasattr(obj, name)}


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    response = Response(
        json.dumps(data, ensure_ascii=False), status=status, mimetype=JSON_MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def created(data: dict[str, Any], endpoint: str, **values: Any) -> Response:
    return json_response(data, 201, {"Location": url_for(endpoint, **values)})


def no_content() -> Response:
    return Response(status=204)


def page_response(items: list[dict[str, Any]], page: Slice[Any], query: Any) -> Response:
    """A page of a list, with ``next``/``prev`` links in the body and the Link header."""
    number, per_page = query.page, query.per_page
    last = max(1, -(-page.total // per_page))

    def link(n: int) -> str:
        args = {k: v for k, v in query.model_dump(mode="json").items() if v is not None}
        args.update(page=n, per_page=per_page)
        return url_for(request.endpoint or "", **(request.view_args or {}), **args)

    next_url = link(number + 1) if number < last else None
    prev_url = link(min(number - 1, last)) if number > 1 else None
    links = [f'<{link(1)}>; rel="first"', f'<{link(last)}>; rel="last"']
    if next_url:
        links.append(f'<{next_url}>; rel="next"')
    if prev_url:
        links.append(f'<{prev_url}>; rel="prev"')
    body = {
        "items": items,
        "page": number,
        "per_page": per_page,
        "total": page.total,
        "next": next_url,
        "prev": prev_url,
    }
    return json_response(body, headers={"Link": ", ".join(links)})
