"""Save as playbook: turn a program's method into a playbook that validates and re-imports.

What is kept — the method:

* the phases (ordinal, key, kind, name, goal, result, length in calendar days) and the
  working weekdays;
* every work item (tasks with their duration, milestones) with its workstream, owner
  *role*, deliverable and dependencies (type and lag);
* the gate criteria of each phase;
* the risks (title, description, category, cause, effect, inherent likelihood and impact,
  response, mitigation);
* the metrics (name, unit, direction, data source, description, a target per phase);
* the risk scale and the maturity model of the program's own playbook, when it is
  still installed.

What is left out — the client's data: the client's name (replaced by "the client" /
"客户" wherever a text mentions it), the program's name, people (item and risk owners,
metric owners), progress and actual dates, the schedule's dates, baselines, holidays,
residual assessments, risk status, actions and reviews, metric baselines and readings, gate
decisions and judgements.

Keys follow the playbook's rule (lower-case letters, digits, ``-`` and ``_``); a key that
does not is rewritten (``PILOT.Extra`` → ``pilot-extra``, made unique) and every reference
follows. Values beyond a playbook's bounds (a task over 1000 working days, a lag over 500,
a phase over 730 days) are clamped, and references a playbook cannot hold (a gate criterion
naming a deleted metric) are dropped; each such change is listed in :attr:`SavedPlaybook.notes`.
The YAML is checked with :func:`~planner.domain.playbook.parse_playbook` before it is
returned, so it loads in the library as it is, and creating a program from it reproduces
the program's structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.playbook import (
    KEY_PATTERN,
    MAX_LAG_DAYS,
    MAX_PHASE_DAYS,
    MAX_TASK_DAYS,
    WEEKDAYS,
    Playbook,
    format_path,
    parse_playbook,
    schema_problems,
)
from planner.domain.playbook_writer import dump_playbook
from planner.extensions import db
from planner.models import Dependency, GateCriterion, Metric, Phase, Program, Risk, WorkItem
from planner.services.playbooks import get_playbook

DEFAULT_BANDS: Final = ("low", "medium", "high", "critical")
CLIENT_WORDS: Final = {"en": "the client", "zh": "客户"}
_KEY = re.compile(KEY_PATTERN)
_NOT_KEY = re.compile(r"[^a-z0-9_-]+")
_SUFFIXES = re.compile(
    r"[\s,.]*(co\.?|company|corp\.?|corporation|inc\.?|ltd\.?|limited|llc|gmbh|s\.a\.|plc|"
    r"有限责任公司|股份有限公司|有限公司|集团|公司)[\s.]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SavedPlaybook:
    """The playbook, its YAML, and what was changed to make a program fit a playbook."""

    playbook: Playbook
    text: str
    notes: tuple[str, ...] = ()
    renamed: dict[str, str] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.playbook.id}-{self.playbook.version}.yaml"


def playbook_key(key: str) -> str:
    """``key`` as a playbook key (lower case; other characters become ``-``).

    >>> playbook_key("PILOT.Extra"), playbook_key("R-11"), playbook_key("计划"), playbook_key("_a")
    ('pilot-extra', 'r-11', 'item', 'a')
    """
    cleaned = _NOT_KEY.sub("-", key.strip().lower()).strip("-_")[:64].rstrip("-_")
    return cleaned or "item"


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = key[: 64 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


class _Keys:
    """Old → new keys of one namespace (work items, risks, metrics or phases)."""

    def __init__(self, kind: str, renamed: dict[str, str]) -> None:
        self.kind = kind
        self.map: dict[str, str] = {}
        self.taken: set[str] = set()
        self.renamed = renamed

    def add(self, key: str) -> str:
        new = key if _KEY.match(key) and key not in self.taken else playbook_key(key)
        new = _unique(new, self.taken)
        self.map[key] = new
        if new != key:
            self.renamed[f"{self.kind} {key}"] = new
        return new


class _Scrubber:
    """Replaces the client's name in texts."""

    def __init__(self, client: str) -> None:
        names = {client.strip()}
        short = _SUFFIXES.sub("", client.strip()).strip()
        if len(short) >= 3:
            names.add(short)
        names.discard("")
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = (
            re.compile("|".join(re.escape(n) for n in ordered), re.IGNORECASE) if ordered else None
        )
        self.count = 0

    def __call__(self, text: str | None, lang: str) -> str | None:
        if not text or self.pattern is None:
            return text
        new, n = self.pattern.subn(CLIENT_WORDS[lang], text)
        self.count += n
        return new


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _source_playbook(program: Program) -> Playbook | None:
    try:
        return get_playbook(program.playbook_id, program.playbook_version)
    except NotFoundError:
        return None


def _load(program: Program) -> tuple[list[Phase], list[WorkItem], list[Dependency], list, list]:
    phases = list(
        db.session.scalars(
            select(Phase)
            .where(Phase.program_id == program.id)
            .order_by(Phase.ordinal)
            .options(selectinload(Phase.gate_criteria))
        )
    )
    items = list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id)
            .order_by(WorkItem.position, WorkItem.id)
        )
    )
    deps = list(
        db.session.scalars(
            select(Dependency).where(Dependency.program_id == program.id).order_by(Dependency.id)
        )
    )
    risks = list(
        db.session.scalars(
            select(Risk)
            .where(Risk.program_id == program.id)
            .order_by(Risk.rank.is_(None), Risk.rank, Risk.id)
        )
    )
    metrics = list(
        db.session.scalars(
            select(Metric)
            .where(Metric.program_id == program.id)
            .order_by(Metric.id)
            .options(selectinload(Metric.targets))
        )
    )
    return phases, items, deps, risks, metrics


def _check_names(playbook_id: str, version: str, title: dict[str, str] | None) -> None:
    """Refuse the form's names before anything is read (each problem on its field)."""
    problems: list[Problem] = []
    if not _KEY.match(playbook_id):
        problems.append(Problem("playbook_id", "save_playbook.id_pattern"))
    if not re.match(r"^\d+(\.\d+){0,2}$", version):
        problems.append(Problem("version", "save_playbook.version_pattern"))
    if not title:
        problems.append(Problem("title", "field.required"))
    if problems:
        raise ValidationError(problems=problems)


class _Builder:
    """The program's rows as the plain data of a playbook document, one part at a time."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.notes: list[str] = []
        self.renamed: dict[str, str] = {}
        self.scrub = _Scrubber(program.client)
        self.source = _source_playbook(program)
        self.phases, self.items, deps, self.risks, self.metrics = _load(program)
        source = self.source
        # what the method says that a program does not store, carried over by key
        self.src_items = {i.key: i for _p, i in source.work_items()} if source else {}
        self.src_risks = {r.key: r for r in source.risks} if source else {}
        self.src_metrics = {m.key: m for m in source.metrics} if source else {}
        self.item_keys = self._keys("work item", (i.key for i in self.items))
        self.risk_keys = self._keys("risk", (r.key for r in self.risks))
        self.metric_keys = self._keys("metric", (m.key for m in self.metrics))
        self.phase_keys = self._keys("phase", (p.key for p in self.phases))
        self.key_by_id = {i.id: self.item_keys.map[i.key] for i in self.items}
        self.incoming = self._incoming(deps)
        self.bands = (
            [b.name for b in source.risk_scale.bands]
            if source is not None and source.risk_scale is not None
            else list(DEFAULT_BANDS)
        )
        self.ordinals = {p.ordinal for p in self.phases}

    def _keys(self, kind: str, keys: Iterable[str]) -> _Keys:
        found = _Keys(kind, self.renamed)
        for key in keys:
            found.add(key)
        return found

    def text(self, en: str | None, zh: str | None = None) -> dict[str, str] | None:
        en_text, zh_text = self.scrub(en, "en"), self.scrub(zh, "zh")
        out = {k: v for k, v in (("en", en_text), ("zh", zh_text)) if v and v.strip()}
        return out or None

    def _incoming(self, deps: list[Dependency]) -> dict[int, list[dict[str, Any]]]:
        key_by_id = self.key_by_id
        incoming: dict[int, list[dict[str, Any]]] = {}
        for dep in deps:
            if dep.predecessor_id not in key_by_id or dep.successor_id not in key_by_id:
                continue
            lag = _clamp(dep.lag_days, -MAX_LAG_DAYS, MAX_LAG_DAYS)
            if lag != dep.lag_days:
                self.notes.append(
                    f"the lag of {key_by_id[dep.predecessor_id]} → "
                    f"{key_by_id[dep.successor_id]} was {dep.lag_days} working days; a "
                    f"playbook allows ±{MAX_LAG_DAYS}"
                )
            entry: dict[str, Any] = {"key": key_by_id[dep.predecessor_id]}
            if dep.type != "FS":
                entry["type"] = dep.type
            if lag:
                entry["lag"] = lag
            incoming.setdefault(dep.successor_id, []).append(entry)
        return incoming

    # -- phases --------------------------------------------------------------------------

    def phase(self, phase: Phase) -> dict[str, Any]:
        key = self.phase_keys.map[phase.key]
        length = _clamp(phase.length_days or 1, 1, MAX_PHASE_DAYS)
        if length != phase.length_days:
            self.notes.append(
                f"phase {key} lasted {phase.length_days} days; a playbook allows 1–730"
            )
        tasks, milestones = [], []
        for item in self.items:
            if item.phase_id != phase.id:
                continue
            data = self.item(item)
            if item.kind == "milestone":
                milestones.append(data)
            else:
                tasks.append({**data, "duration": self.duration(item, data["key"])})
        out: dict[str, Any] = {
            "ordinal": phase.ordinal,
            "key": key,
            "kind": "diagnosis" if phase.kind == "diagnosis" else "phase",
            "name": self.text(phase.name, phase.name_zh) or {"en": phase.key},
            "length_days": length,
            "milestones": milestones,
            "tasks": tasks,
            "gate": [c for c in (self.criterion(c, key) for c in phase.gate_criteria) if c],
        }
        for name in ("goal", "result"):
            value = self.text(getattr(phase, name), getattr(phase, f"{name}_zh"))
            if value:
                out[name] = value
        return out

    def item(self, item: WorkItem) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key_by_id[item.id],
            "name": self.text(item.name, item.name_zh) or {"en": item.key},
        }
        if item.workstream:
            data["workstream"] = item.workstream
        if self.incoming.get(item.id):
            data["depends_on"] = self.incoming[item.id]
        if item.owner_role:
            data["owner_role"] = item.owner_role
        deliverable = self.text(item.deliverable, item.deliverable_zh)
        if deliverable:
            data["deliverable"] = deliverable
        source = self.src_items.get(item.key)
        if source is not None and source.description is not None:
            data["description"] = source.description.model_dump(exclude_none=True)
        return data

    def duration(self, item: WorkItem, key: str) -> int:
        duration = _clamp(item.duration_days, 1, MAX_TASK_DAYS)
        if duration != item.duration_days:
            self.notes.append(
                f"task {key} lasts {item.duration_days} working days; "
                f"a playbook allows 1–{MAX_TASK_DAYS}"
            )
        return duration

    def criterion(self, criterion: GateCriterion, phase_key: str) -> dict[str, object] | None:
        """A gate criterion as the playbook writes it; None (with a note) when it cannot be."""
        where = f"gate criterion {criterion.position + 1} of phase {phase_key}"
        if criterion.kind == "metric_target":
            metric = self.metric_keys.map.get(criterion.reference.strip())
            if metric is None:
                self.notes.append(f"{where} names an unknown metric and was left out")
                return None
            return {"kind": "metric_target", "metric": metric}
        if criterion.kind == "milestones_done":
            known = self.item_keys.map
            keys = [known[k] for k in criterion.milestone_keys if k in known]
            if len(keys) != len(criterion.milestone_keys):
                self.notes.append(f"{where}: unknown milestones left out")
            return (
                {"kind": "milestones_done", "milestones": list(dict.fromkeys(keys))}
                if keys
                else None
            )
        if criterion.kind == "max_risk_band":
            band = criterion.reference.strip()
            if band not in self.bands:
                self.notes.append(f'{where} names the unknown risk band "{band}" and was left out')
                return None
            return {"kind": "max_risk_band", "band": band}
        manual = self.text(criterion.text, criterion.text_zh)
        if manual is None:
            self.notes.append(f"{where} has no text and was left out")
            return None
        if criterion.source == "benefits_case":
            return {"kind": "manual", "text": manual, "source": "benefits_case"}
        return {"kind": "manual", "text": manual}

    # -- risks and metrics -----------------------------------------------------------------

    def risk(self, risk: Risk) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.risk_keys.map[risk.key],
            "title": self.text(risk.title, risk.title_zh) or {"en": risk.key},
            "category": (risk.category or "").strip() or "other",
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "response": risk.response,
        }
        src = self.src_risks.get(risk.key)

        def src_zh(name: str, en: str | None) -> str | None:
            # the program stores no Chinese cause or effect: keep the method's while the
            # English text is the method's too
            value = getattr(src, name, None) if src is not None else None
            return value.zh if value is not None and value.en == (en or None) else None

        for name, en, zh in (
            ("description", risk.description, risk.description_zh),
            ("cause", risk.cause, risk.cause_zh or src_zh("cause", risk.cause)),
            ("effect", risk.effect, risk.effect_zh or src_zh("effect", risk.effect)),
            ("mitigation", risk.mitigation, risk.mitigation_zh),
        ):
            value = self.text(en, zh)
            if value:
                data[name] = value
        return data

    def metric(self, metric: Metric) -> dict[str, Any]:
        targets = {
            t.phase_ordinal: t.target for t in metric.targets if t.phase_ordinal in self.ordinals
        }
        if len(targets) != len(metric.targets):
            self.notes.append(
                f"metric {self.metric_keys.map[metric.key]}: targets for phases the program "
                "does not have were left out"
            )
        data: dict[str, Any] = {
            "key": self.metric_keys.map[metric.key],
            "name": self.text(metric.name, metric.name_zh) or {"en": metric.key},
            "unit": metric.unit,
            "direction": metric.direction,
            "targets": targets,
        }
        if metric.data_source:
            data["data_source"] = self.scrub(metric.data_source, "en")
        glide = _glide_entry(metric.glide)
        if glide is not None:
            data["glide"] = glide
        source = self.src_metrics.get(metric.key)
        description = self.text(metric.description, metric.description_zh)
        if description:
            data["description"] = description
        elif source is not None and source.description is not None:
            data["description"] = source.description.model_dump(exclude_none=True)
        if source is not None:
            # the method's typical baseline and owner role, never the client's measurement
            # or the person named in the program
            if source.baseline is not None:
                data["baseline"] = source.baseline
            if source.owner_role:
                data["owner_role"] = source.owner_role
        return data

    def document(self, head: dict[str, Any]) -> dict[str, Any]:
        """The whole playbook document: ``head`` (id, version, title, description) and the
        program's method."""
        document: dict[str, Any] = {
            **head,
            "calendar": {"workdays": [WEEKDAYS[int(d) - 1] for d in sorted(self.program.workdays)]},
            "phases": [self.phase(p) for p in self.phases],
            "risks": [self.risk(r) for r in self.risks],
            "metrics": [self.metric(m) for m in self.metrics],
        }
        source = self.source
        if source is not None:
            if source.risk_scale is not None:
                document["risk_scale"] = source.risk_scale.model_dump(exclude_none=True)
            if source.maturity is not None:
                document["maturity"] = source.maturity.model_dump(exclude_none=True)
        return document


def program_playbook(
    program: Program,
    *,
    playbook_id: str,
    version: str,
    title: str,
    title_zh: str | None = None,
    description: str | None = None,
    today: date | None = None,
) -> SavedPlaybook:
    """The program's method as a playbook (see the module notes); ValidationError naming the
    form field (``playbook_id``, ``version``, ``title``) or the playbook path at fault."""
    playbook_id, version = (playbook_id or "").strip(), (version or "").strip()
    build = _Builder(program)
    head: dict[str, Any] = {
        "id": playbook_id,
        "version": version,
        "title": build.text(title, title_zh),
    }
    _check_names(playbook_id, version, head["title"])
    if description and description.strip():
        head["description"] = build.text(description.strip())
    try:
        playbook = Playbook.model_validate(build.document(head))
    except PydanticValidationError as exc:
        # the loader's codes, worded as the library words a file's (planner/messages/playbook.py)
        raise ValidationError(
            problems=[
                Problem(format_path(loc), "playbook.issue", {"issue": code, **params})
                for loc, code, params in schema_problems(exc)
            ]
        ) from None
    header = (
        f"{playbook.id} {playbook.version}: saved from a program of the CRM Rollout Planner"
        f"{' on ' + today.isoformat() if today else ''}.\n"
        "Client data (names, owners, dates, progress, readings) was left out."
    )
    yaml_text = dump_playbook(playbook, header=header)
    parsed = parse_playbook(yaml_text, source=f"{playbook.id}-{playbook.version}.yaml")
    if build.scrub.count:
        build.notes.append(f"the client's name was replaced in {build.scrub.count} place(s)")
    return SavedPlaybook(parsed, yaml_text, tuple(build.notes), build.renamed)


def _glide_entry(text: str | None) -> str | list[dict[str, float]] | None:
    """A metric's glide path as the playbook writes it; None for the default (linear)."""
    from planner.domain.errors import ValidationError
    from planner.domain.metrics import Glide

    try:
        glide = Glide.parse(text)
    except ValidationError:
        return None
    if glide.shape == "linear":
        return None
    if glide.shape == "steps":
        return [{"at": at, "reach": reach} for at, reach in glide.steps]
    return glide.shape
