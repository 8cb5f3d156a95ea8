"""The register table: filters and sort from the query string, rows and heat maps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import ValidationError
from planner.domain.risk import (
    RiskScale,
    RiskSnapshot,
    band_matrix,
    heat_map,
    register_filter,
    sort_risks,
)
from planner.models.plan import Phase
from planner.models.program import Program
from planner.models.risk import (
    Risk,
)
from planner.services.risks.loading import load_risks, on_critical_path, program_phases, snapshot_of
from planner.services.risks.scale import ScaleInfo

# --------------------------------------------------------------------------- register


OVERDUE_CHOICES = ("any", "review", "action", "none")


@dataclass
class RegisterQuery:
    """The register table's filters and sort, as given in the page's query string."""

    status: tuple[str, ...] = ()
    band: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    overdue: str = ""
    cell: tuple[int, int, str] | None = None
    sort: str = "residual_score"
    descending: bool = True

    @classmethod
    def from_args(cls, args: Any) -> RegisterQuery:
        """Read a Werkzeug MultiDict (or a plain mapping of lists); bad values are kept and
        refused later by :func:`register_view` with a clear message."""

        def many(name: str) -> tuple[str, ...]:
            values = args.getlist(name) if hasattr(args, "getlist") else args.get(name, [])
            return tuple(v for v in values if v)

        def one(name: str, default: str = "") -> str:
            value = args.get(name, default)
            return value if isinstance(value, str) else default

        cell = None
        raw_cell = one("cell")
        if raw_cell:
            parts = raw_cell.split("-")
            if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
                cell = (int(parts[0]), int(parts[1]), parts[2])
            else:
                cell = (0, 0, raw_cell)
        return cls(
            status=many("status"),
            band=many("band"),
            owner=many("owner"),
            phase=many("phase"),
            category=many("category"),
            overdue=one("overdue"),
            cell=cell,
            sort=one("sort", "residual_score") or "residual_score",
            descending=one("dir", "desc") != "asc",
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.status or self.band or self.owner or self.phase or self.category) or bool(
            self.overdue or self.cell
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments of this query with ``changes`` (None removes one)."""
        current: dict[str, Any] = {
            "status": list(self.status),
            "band": list(self.band),
            "owner": list(self.owner),
            "phase": list(self.phase),
            "category": list(self.category),
            "overdue": self.overdue,
            "cell": f"{self.cell[0]}-{self.cell[1]}-{self.cell[2]}" if self.cell else "",
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
        }
        current.update(changes)
        return {k: v for k, v in current.items() if v not in (None, "", [])}


@dataclass
class RegisterRow:
    risk: Risk
    snap: RiskSnapshot
    inherent_band: str
    residual_band: str
    critical: bool
    overdue_review: bool
    overdue_actions: int


@dataclass
class RegisterView:
    rows: list[RegisterRow]
    total: int
    open_count: int
    heat_inherent: list[list[int]]
    heat_residual: list[list[int]]
    cell_bands: list[list[str]]
    owners: list[str]
    categories: list[str]
    phases: list[Phase]
    errors: list[tuple[str, str]] = field(default_factory=list)


def _filtered(
    everything: list[RiskSnapshot],
    query: RegisterQuery,
    scale: RiskScale,
    today: date,
    errors: list[tuple[str, str]],
) -> list[RiskSnapshot]:
    """The risks the query keeps, in its order; a filter or sort it cannot apply is noted in
    ``errors`` and left out (all risks, by residual score)."""
    overdue: bool | str | None = {
        "": None,
        "any": True,
        "none": False,
        "review": "review",
        "action": "action",
    }.get(query.overdue, query.overdue)
    try:
        kept = register_filter(
            everything,
            status=query.status or None,
            band=query.band or None,
            owner=query.owner or None,
            phase=query.phase or None,
            category=query.category or None,
            overdue=overdue,  # type: ignore[arg-type]  # the query's parser gives only the Literal's values
            cell=query.cell,  # type: ignore[arg-type]  # the query's parser gives only valid cells
            as_of=today,
            scale=scale,
        )
    except ValidationError as exc:
        errors.extend(exc.errors)
        kept = everything
    try:
        ordered = sort_risks(kept, query.sort, query.descending, scale)
    except ValidationError as exc:
        errors.extend(exc.errors)
        ordered = sort_risks(kept, "residual_score", True, scale)
    return ordered


def register_view(
    program: Program, query: RegisterQuery, info: ScaleInfo, today: date
) -> RegisterView:
    """The register table (filtered and sorted) and both heat maps of every open risk."""
    risks = load_risks(program.id)
    snaps = {risk.id: snapshot_of(risk) for risk in risks}
    everything = list(snaps.values())
    scale = info.scale
    errors: list[tuple[str, str]] = []
    ordered = _filtered(everything, query, scale, today, errors)
    by_key = {risk.key: risk for risk in risks}
    rows = [
        RegisterRow(
            risk=by_key[snap.key],
            snap=snap,
            inherent_band=snap.band("inherent", scale),
            residual_band=snap.band("residual", scale),
            critical=on_critical_path(by_key[snap.key]),
            overdue_review=snap.overdue_review(today),
            overdue_actions=len(snap.overdue_actions(today)),
        )
        for snap in ordered
    ]
    return RegisterView(
        rows=rows,
        total=len(risks),
        open_count=sum(1 for s in everything if s.is_open),
        heat_inherent=heat_map(everything, "inherent"),
        heat_residual=heat_map(everything, "residual"),
        cell_bands=band_matrix(scale),
        owners=sorted({r.owner for r in risks if r.owner}, key=str.casefold),
        categories=sorted({r.category for r in risks if r.category}, key=str.casefold),
        phases=program_phases(program.id),
        errors=errors,
    )
