"""The API models' building blocks: field types and limits, the Input/Query/Output bases,
pages, problems, the signed-in user."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    create_model,
)

from planner.api.core import MAX_ID
from planner.api.markers import N_
from planner.domain.numbers import MAX_MAGNITUDE

MAX_NUMBER = MAX_MAGNITUDE  # metric values and targets: the domain's one numeric policy
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
METRIC_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def Text(max_length: int, min_length: int = 0, **options: Any) -> Any:  # noqa: N802
    """A string of at most ``max_length`` characters, without NUL characters."""
    return Annotated[
        str,
        Field(max_length=max_length, min_length=min_length, **options),
        AfterValidator(_no_nul),
    ]


def optional(**options: Any) -> Any:
    """An optional field: may be left out, and (unless its type allows null) not sent as null."""
    return Field(default=None, json_schema_extra=_drop_default, **options)


def read_only(**options: Any) -> Any:
    return Field(json_schema_extra={"readOnly": True}, **options)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_ID,
        description=N_(
            "The version you read; a stale one is refused with 409 and the current one."
        ),
    ),
]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
Level = Annotated[int, Field(ge=1, le=5)]


def _utc_text(value: datetime) -> str:
    """Stored times are naive UTC: written as RFC 3339 with a Z."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat().replace("+00:00", "Z")


UtcDateTime = Annotated[
    datetime,
    PlainSerializer(_utc_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Query(BaseModel):
    """Query-string parameters (read leniently: they arrive as text)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --------------------------------------------------------------------------- common


class PageQuery(Query):
    page: Annotated[int, Field(ge=1, le=1_000_000, description=N_("Page number, from 1."))] = 1
    per_page: Annotated[
        int, Field(ge=1, le=200, description=N_("Items per page (at most 200)."))
    ] = 50


class VersionQuery(Query):
    version: Version


class FieldError(Output):
    field: str = Field(description=N_("The field or parameter at fault, e.g. targets[1].target."))
    message: str


class Problem(Output):
    # the schema's description (pydantic reads __doc__), marked for the docs page's catalogue
    __doc__ = N_("An error, as RFC 9457 problem details (media type application/problem+json).")

    type: str = Field(description=N_("A URI reference to the documentation of this problem."))
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(description=N_("Each field at fault; may be empty."))
    current_version: int | None = Field(
        default=None, description=N_("With a stale version (409): the version stored now.")
    )


def page_of(model: type[BaseModel]) -> type[BaseModel]:
    """A page of ``model`` items, with the links to the neighbouring pages."""
    return create_model(
        f"{model.__name__}Page",
        __base__=Output,
        __module__="planner.api.schemas",  # the public path: names in the OpenAPI document
        items=(list[model], ...),
        page=(int, ...),
        per_page=(int, ...),
        total=(int, Field(description=N_("How many items the whole (filtered) list has."))),
        next=(str | None, Field(description=N_("The next page's URL, null on the last page."))),
        prev=(str | None, Field(description=N_("The previous page's URL, null on the first."))),
    )


class Me(Output):
    id: int
    email: str
    name: str
    is_admin: bool
