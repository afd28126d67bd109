"""What a framework pack and the organisation policy are, and the strict reader that makes them
from JSON (see README "Writing a framework pack").

A *framework pack* is one nation's statutory review process as data: its name, triggers, outcomes,
stages and the events between them, timescales and the outside bodies to be told. The
*organisation policy* is the Home Office's own duties (source guidance 1.1–1.8, 5.x, 7.x), applied
on top of whichever pack a review follows.

Every rule cites its source: a document the file lists, and a part of it (a paragraph or a
regulation) that the file also lists. The reader refuses anything else, naming the file and the
field, so a pack can never show users a rule that leads nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum
from typing import Any, NoReturn

from .eligibility_result import Eligibility
from .nations import Nation
from .paragraphs import Citation, SourcePart
from .working_days import add_months, add_working_days


class PackError(ValueError):
    """A pack or policy file that cannot be used: says which file and which field."""


# The source guidance's id in a file's sources: its parts are its paragraphs, cited as "para 1.1".
SOURCE_GUIDANCE = "ho-scr-imr-2016"


class DueKind(Enum):
    SAME_WORKING_DAY = "same_working_day"  # "immediately", "on completion", "on publication"
    WORKING_DAYS = "working_days"  # N working days after the anchor
    CALENDAR_MONTHS = "calendar_months"  # N calendar months after the anchor, clamped at month end
    BEFORE_EVENT = "before_event"  # must be done before another event is recorded
    AS_AGREED = "as_agreed"  # the date is the action plan's, which the bot does not hold: open, undated
    ONGOING = "ongoing"  # throughout the review: no date, ends when the review ends
    TIMESCALE = "timescale"  # a framework pack's timescale from the triggering event (none while not set)


class TimescaleUnit(Enum):
    IMMEDIATELY = "immediately"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_MONTHS = "calendar_months"


class Duty(Enum):
    """Whose duty a timescale is: the Home Office's own (an obligation the representative meets),
    or another body's that the representative only watches (a dependency)."""

    HOME_OFFICE = "home_office"
    DEPENDENCY = "dependency"


class Moment(Enum):
    """Points of any framework's process at which the organisation policy's duties arise: a pack
    marks its events with them (``moment``), the policy its duties (``at``)."""

    OPENING = "opening"
    LESSON = "lesson"
    # The Home Office is asked for its report (consulting the business areas it refers to begins).
    REPORT_REQUESTED = "report_requested"
    # Business areas the report refers to have been consulted (the consultation goes on CID).
    AREAS_CONSULTED = "areas_consulted"
    # The Home Office's own report to the review is sent (an IMR, an agency summary).
    HOME_OFFICE_REPORT = "home_office_report"
    REPORT_PUBLISHED = "report_published"


@dataclass(frozen=True)
class Source:
    """A document rules are taken from, and the parts of it (paragraphs, regulations) they cite."""

    id: str
    document: str
    title: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class SourceRef:
    source: str
    part: str


@dataclass(frozen=True)
class Rule:
    """A trigger, an outcome, a note of what is not known: words and where they come from."""

    id: str
    text: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class PackStage:
    id: str
    label: str
    sources: tuple[SourceRef, ...]
    terminal: bool = False


@dataclass(frozen=True)
class PackEvent:
    id: str
    label: str
    from_stages: tuple[str, ...]
    to_stage: str
    sources: tuple[SourceRef, ...]
    # The point of the process it is, for the organisation policy's duties (a copy to send).
    moment: Moment | None = None


@dataclass(frozen=True)
class Timescale:
    """``amount`` None: the sources do not fix it, so it is a setting with no default, shown as
    "not set" (frameworks.md: unverified timescales are never guessed)."""

    id: str
    text: str
    unit: TimescaleUnit
    amount: int | None
    from_event: str | None
    duty: Duty
    owner: str
    sources: tuple[SourceRef, ...]
    # Set by the organisation's review settings where the sources leave it unset.
    set_by_organisation: bool = False
    # Short words for cards and reminders ("Notify the Panel"); the id's words without.
    title: str | None = None
    # The event that shows it was done (the one it leads to); None: it is marked done by hand.
    until_event: str | None = None

    @property
    def is_set(self) -> bool:
        return self.unit is TimescaleUnit.IMMEDIATELY or self.amount is not None

    def describe(self) -> str:
        """``"5 working days"``, ``"immediately"``, or ``"not set"`` where the sources do not fix it."""
        if self.unit is TimescaleUnit.IMMEDIATELY:
            return "immediately"
        if self.amount is None:
            return "not set"
        unit = self.unit.value.replace("_", " ")
        amount = f"{self.amount} {unit.removesuffix('s') if self.amount == 1 else unit}"
        return f"{amount} (set by your organisation)" if self.set_by_organisation else amount

    def due_from(self, start: date) -> date | None:
        """The deadline for something that started on ``start``; None while it is not set. A period
        in working days or months ends on a working day (England and Wales bank holidays)."""
        if self.unit is TimescaleUnit.IMMEDIATELY:
            return add_working_days(start, 0)
        if self.amount is None:
            return None
        match self.unit:
            case TimescaleUnit.WORKING_DAYS:
                return add_working_days(start, self.amount)
            case TimescaleUnit.CALENDAR_MONTHS:
                return add_working_days(add_months(start, self.amount), 0)
            case _:
                return start + timedelta(days=self.amount)


@dataclass(frozen=True)
class Recipient:
    """Someone outside the Home Office who must be told."""

    id: str
    who: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class CriteriaOutcome:
    """What the answers point to when every question in ``all_yes`` and (if any are named) one in
    ``any_yes`` is answered yes; one naming neither applies to any answers (the last)."""

    id: str
    result: Eligibility
    # The card's headline ("a serious child safeguarding case — …") and the explanation after it.
    heading: str
    text: str
    all_yes: tuple[str, ...]
    any_yes: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    # The pack's timescales from the opening this outcome starts, where some outcome names them
    # (those no outcome names start whatever the answers).
    starts: tuple[str, ...] = ()

    def applies(self, answers: Mapping[str, bool]) -> bool:
        return (all(answers.get(question, False) for question in self.all_yes)
                and (not self.any_yes or any(answers.get(question, False) for question in self.any_yes)))

    @property
    def is_otherwise(self) -> bool:
        return not self.all_yes and not self.any_yes


@dataclass(frozen=True)
class Criteria:
    """The questions a review under the pack is opened with, and the outcomes in order: the first
    that applies is what the answers point to. The decision stays with the pack's decider."""

    # Each a trigger put as a yes/no question the representative answers when opening.
    questions: tuple[Rule, ...]
    outcomes: tuple[CriteriaOutcome, ...]

    def outcome_for(self, answers: Mapping[str, bool]) -> CriteriaOutcome:
        # The reader makes the last outcome one that always applies.
        return next(outcome for outcome in self.outcomes if outcome.applies(answers))

    def because(self, outcome: CriteriaOutcome, answers: Mapping[str, bool]) -> tuple[tuple[str, bool], ...]:
        """The answers that led to ``outcome``: the yeses it needs, or every answer when it is the
        outcome left when no other applies."""
        if outcome.is_otherwise:
            return tuple((q.id, answers.get(q.id, False)) for q in self.questions)
        named = (*outcome.all_yes, *(q for q in outcome.any_yes if answers.get(q, False)))
        return tuple((question, True) for question in dict.fromkeys(named))

    def question(self, question_id: str) -> Rule:
        return next(q for q in self.questions if q.id == question_id)

    def not_started(self, answers: Mapping[str, bool]) -> frozenset[str]:
        """The timescales from the opening that these answers' outcome does not start."""
        gated = {timescale for outcome in self.outcomes for timescale in outcome.starts}
        return frozenset(gated - set(self.outcome_for(answers).starts))


@dataclass(frozen=True)
class LocalName:
    review: str
    board: str


@dataclass(frozen=True)
class FrameworkPack:
    id: str
    version: int
    # The review's name in cards and in every email's subject line.
    name: str
    nations: tuple[Nation, ...]
    # None: the sources do not say when it began, so it is never chosen by date, only by hand.
    in_force_from: date | None
    in_force_until: date | None
    # None: the sources gathered do not say who decides.
    decided_by: Rule | None
    local_names: dict[Nation, LocalName]
    sources: dict[str, Source]
    triggers: tuple[Rule, ...]
    outcomes: tuple[Rule, ...]
    stages: tuple[PackStage, ...]
    events: tuple[PackEvent, ...]
    timescales: tuple[Timescale, ...]
    recipients: tuple[Recipient, ...]
    unverified: tuple[Rule, ...]
    # None: the bot knows no criteria of the pack's own to ask; the source guidance's are asked as a guide.
    criteria: Criteria | None = None

    def applies_on(self, nation: Nation, day: date) -> bool:
        return (
            nation in self.nations
            and self.in_force_from is not None
            and self.in_force_from <= day
            and (self.in_force_until is None or day < self.in_force_until)
        )

    @property
    def is_guided(self) -> bool:
        """Whether the bot can guide a review through it: a pack whose sources give no stages only
        informs (its name, criteria and what is not known)."""
        return bool(self.stages)

    def stage(self, stage_id: str) -> PackStage:
        return next(s for s in self.stages if s.id == stage_id)

    def timescale(self, timescale_id: str) -> Timescale:
        return next(t for t in self.timescales if t.id == timescale_id)

    def as_configured(self, amounts: Mapping[str, int]) -> FrameworkPack:
        """This pack with the timescales its sources leave unset filled from the organisation's
        settings (``ReviewSettings.framework_timescales``, checked there)."""
        timescales = tuple(self.configured_timescale(t, amounts) for t in self.timescales)
        return replace(self, timescales=timescales)

    @staticmethod
    def configured_timescale(timescale: Timescale, amounts: Mapping[str, int]) -> Timescale:
        if timescale.id in amounts and not timescale.is_set:
            return replace(timescale, amount=amounts[timescale.id], set_by_organisation=True)
        return timescale

    def cite(self, ref: SourceRef) -> str:
        """``"SI 2018/789 reg 11"``: the document's short name and the part."""
        return self.part(ref).text

    def part(self, ref: SourceRef) -> SourcePart:
        source = self.sources[ref.source]
        return SourcePart(source.document, ref.part, source.title)

    def citation(self, refs: tuple[SourceRef, ...]) -> Citation:
        """A rule's sources as a citation, shown in cards and emails as the guidance's paragraphs are."""
        return Citation((), tuple(self.part(ref) for ref in refs))

    def event_at(self, moment: Moment) -> PackEvent | None:
        """The pack's event marked as that point of the process, if it has one."""
        return next((event for event in self.events if event.moment is moment), None)

    def stages_after(self, event: PackEvent) -> tuple[str, ...]:
        """The stages a review reaches once it has moved on from every stage ``event`` may be
        recorded at: there, a step that had to come before it can no longer be done."""
        reached: set[str] = set()
        waiting = list(event.from_stages)
        while waiting:
            stage = waiting.pop()
            for step in self.events:
                if stage in step.from_stages and step.to_stage not in reached:
                    reached.add(step.to_stage)
                    waiting.append(step.to_stage)
        return tuple(stage.id for stage in self.stages if stage.id in reached - set(event.from_stages))

    def rules(self) -> tuple[Rule | PackStage | PackEvent | Timescale | Recipient | CriteriaOutcome, ...]:
        """Everything in the pack that must cite a source."""
        decided_by = (self.decided_by,) if self.decided_by else ()
        criteria = (*self.criteria.questions, *self.criteria.outcomes) if self.criteria else ()
        return (*decided_by, *self.triggers, *self.outcomes, *self.stages, *self.events,
                *self.timescales, *self.recipients, *self.unverified, *criteria)


@dataclass(frozen=True)
class PolicyDue:
    """When a policy duty is due (obligations.DueRule): its kind, the ReviewSettings field holding
    its N, or what it must be done before: a key date, an event of the source guidance's process, or
    the pack's event at a moment (then it lapses once the review is past it), in words."""

    kind: DueKind
    setting: str | None = None
    before_date: str | None = None
    before_event: str | None = None
    before_moment: Moment | None = None
    before_words: str | None = None


@dataclass(frozen=True)
class PolicyDuty:
    """One of the organisation's own duties; ``id`` is its obligation in RULES.md (O1 …). Its title,
    recipients, sources and due rule are what a review under any pack but the source guidance's own
    owes (scr-2016 words them in its process's terms: obligations.OBLIGATIONS)."""

    id: str
    title: str
    recipients: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    due: PolicyDue
    # Where it arises under any framework pack; None: only in the source guidance's own process
    # (scr-2016), whose events say when.
    at: Moment | None = None
    # Its duty is an email the bot sends (met when sent); a copy (sent only with its document).
    notifies: bool = False
    needs_document: bool = False
    # The event the representative records to do it, where that is a step of its own.
    done_by_recording: str | None = None


@dataclass(frozen=True)
class OrganisationPolicy:
    id: str
    version: int
    name: str
    sources: dict[str, Source]
    # The words every email's subject carries after the marking: the pack's name (1.8 asks for the
    # review's name there, whatever the framework).
    subject_rule: Rule
    duties: tuple[PolicyDuty, ...]

    def rules(self) -> tuple[Rule | PolicyDuty, ...]:
        return (self.subject_rule, *self.duties)

    def citation(self, refs: tuple[SourceRef, ...]) -> Citation:
        """The source guidance's parts as its paragraphs ("para 1.1"), any other source's as a pack's."""
        return Citation(tuple(ref.part for ref in refs if ref.source == SOURCE_GUIDANCE),
                        tuple(self.part(ref) for ref in refs if ref.source != SOURCE_GUIDANCE))

    def part(self, ref: SourceRef) -> SourcePart:
        source = self.sources[ref.source]
        return SourcePart(source.document, ref.part, source.title)


# --- The strict reader --------------------------------------------------------------------------


class _Fields:
    """One JSON object being read: every key must be known, every value of its type; errors say
    ``file: path.to.field: what is wrong``."""

    def __init__(self, file: str, path: str, value: object) -> None:
        self.file, self.path = file, path
        if not isinstance(value, dict):
            self.fail("", "must be an object")
        self.data: dict[str, Any] = value
        self.read: set[str] = set()

    def fail(self, key: str, message: str) -> NoReturn:
        where = ".".join(part for part in (self.path, key) if part)
        raise PackError(f"{self.file}: {where or 'top level'}: {message}")

    def raw(self, key: str, required: bool) -> object:
        self.read.add(key)
        if key not in self.data:
            if required:
                self.fail(key, "is missing")
            return None
        return self.data[key]

    def text(self, key: str) -> str:
        value = self.raw(key, True)
        if not isinstance(value, str) or not value.strip() or len(value) > 2000:
            self.fail(key, "must be non-empty text (at most 2000 characters)")
        return value

    def whole_number(self, key: str, *, nullable: bool = False) -> int | None:
        value = self.raw(key, True)
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(key, "must be a whole number of 0 or more" + (" or null (not set)" if nullable else ""))
        return value

    def optional_text(self, key: str) -> str | None:
        if self.data.get(key) is None:
            self.read.add(key)
            return None
        return self.text(key)

    def optional_date(self, key: str) -> date | None:
        value = self.raw(key, True)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(key, "must be a date (YYYY-MM-DD) or null")

    def flag(self, key: str) -> bool:
        value = self.raw(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(key, "must be true or false")
        return value

    def optional_choice(self, key: str, enum: type[Enum]) -> Any:
        if self.data.get(key) is None:
            self.read.add(key)
            return None
        return self.choice(key, enum)

    def choice(self, key: str, enum: type[Enum]) -> Any:
        value = self.raw(key, True)
        try:
            return enum(value)
        except (TypeError, ValueError):
            self.fail(key, f"must be one of {', '.join(str(m.value) for m in enum)}")

    def items(self, key: str, *, required: bool = True) -> list[tuple[str, object]]:
        value = self.raw(key, required)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(key, "must be a list")
        return [(f"{key}[{index}]", item) for index, item in enumerate(value)]

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        found = []
        for where, item in self.items(key, required=required):
            if not isinstance(item, str) or not item.strip():
                self.fail(where, "must be non-empty text")
            found.append(item)
        return tuple(found)

    def child(self, where: str, value: object) -> _Fields:
        return _Fields(self.file, ".".join(part for part in (self.path, where) if part), value)

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            self.fail(unknown[0], "is not a field this file can have")


class _Reader:
    """Reads one file's rules, checking each cited source against the file's own list."""

    def __init__(self, file: str, top: _Fields) -> None:
        self.file, self.top = file, top
        self.sources = self._sources()

    def _sources(self) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for where, value in self.top.items("sources"):
            fields = self.top.child(where, value)
            source = Source(fields.text("id"), fields.text("document"), fields.text("title"),
                            fields.texts("parts"))
            fields.done()
            if source.id in sources:
                fields.fail("id", f"{source.id!r} is listed twice")
            sources[source.id] = source
        if not sources:
            self.top.fail("sources", "must list at least one source")
        return sources

    def refs(self, fields: _Fields) -> tuple[SourceRef, ...]:
        found = []
        for where, value in fields.items("sources"):
            ref_fields = fields.child(where, value)
            ref = SourceRef(ref_fields.text("source"), ref_fields.text("part"))
            ref_fields.done()
            if ref.source not in self.sources:
                ref_fields.fail("source", f"{ref.source!r} is not one of the sources this file lists")
            if ref.part not in self.sources[ref.source].parts:
                ref_fields.fail("part", f"{ref.part!r} is not a part of {ref.source!r} this file lists")
            found.append(ref)
        if not found:
            fields.fail("sources", "every rule must cite at least one source")
        return tuple(found)

    def rule(self, fields: _Fields) -> Rule:
        rule = Rule(fields.text("id"), fields.text("text"), self.refs(fields))
        fields.done()
        return rule

    def optional_rule(self, fields: _Fields, key: str) -> Rule | None:
        """A rule that must be given, as null where the sources do not say."""
        value = fields.raw(key, True)
        return None if value is None else self.rule(fields.child(key, value))

    def each(self, key: str, read: Any, *, required: bool = True, within: _Fields | None = None) -> tuple[Any, ...]:
        """Every item of the list ``key`` (of the file, or of the object ``within``), read by
        ``read``; ids unique within the list."""
        parent = within or self.top
        found = []
        for where, value in parent.items(key, required=required):
            item = read(parent.child(where, value))
            if any(other.id == item.id for other in found):
                parent.fail(f"{where}.id", f"{item.id!r} is used twice")
            found.append(item)
        return tuple(found)

    def criteria(self) -> Criteria | None:
        value = self.top.raw("criteria", False)
        if value is None:
            return None
        fields = self.top.child("criteria", value)

        questions = self.each("questions", self.rule, within=fields)
        if not questions:
            fields.fail("questions", "must ask at least one question")
        asked = {q.id for q in questions}

        def outcome(item: _Fields) -> CriteriaOutcome:
            found = CriteriaOutcome(item.text("id"), item.choice("result", Eligibility), item.text("heading"),
                                    item.text("text"), item.texts("all_yes", required=False),
                                    item.texts("any_yes", required=False), self.refs(item),
                                    item.texts("starts", required=False))
            for key in ("all_yes", "any_yes"):
                for index, named in enumerate(getattr(found, key)):
                    if named not in asked:
                        item.fail(f"{key}[{index}]", f"{named!r} is not one of the criteria's questions")
            item.done()
            return found

        outcomes = self.each("outcomes", outcome, within=fields)
        fields.done()
        for index, found in enumerate(outcomes):
            last = index == len(outcomes) - 1
            if found.is_otherwise != last:
                fields.fail(f"outcomes[{index}]", "the last outcome, and only the last, names no questions "
                                                  "(all_yes, any_yes): it applies when no other does")
        if not outcomes:
            fields.fail("outcomes", "must have at least one outcome")
        return Criteria(questions, outcomes)


def _nation(fields: _Fields, where: str, value: object) -> Nation:
    try:
        return Nation(value)
    except (TypeError, ValueError):
        fields.fail(where, f"must be one of {', '.join(n.value for n in Nation)}")


def read_pack(file: str, data: object) -> FrameworkPack:
    top = _Fields(file, "", data)
    if top.text("kind") != "framework_pack":
        top.fail("kind", "must be 'framework_pack'")
    reader = _Reader(file, top)
    nations = tuple(_nation(top, where, value) for where, value in top.items("nations"))
    if not nations:
        top.fail("nations", "must name at least one nation")
    names: dict[Nation, LocalName] = {}
    for where, value in top.items("local_names", required=False):
        fields = top.child(where, value)
        nation = _nation(fields, "nation", fields.raw("nation", True))
        names[nation] = LocalName(fields.text("review"), fields.text("board"))
        reader.refs(fields)
        fields.done()

    def stage(fields: _Fields) -> PackStage:
        found = PackStage(fields.text("id"), fields.text("label"), reader.refs(fields), fields.flag("terminal"))
        fields.done()
        return found

    stages = reader.each("stages", stage)
    stage_ids = {s.id for s in stages}

    def event(fields: _Fields) -> PackEvent:
        found = PackEvent(fields.text("id"), fields.text("label"), fields.texts("from"), fields.text("to"),
                          reader.refs(fields), fields.optional_choice("moment", Moment))
        for where, stage_id in [*((f"from[{i}]", s) for i, s in enumerate(found.from_stages)), ("to", found.to_stage)]:
            if stage_id not in stage_ids:
                fields.fail(where, f"{stage_id!r} is not one of the pack's stages")
        fields.done()
        return found

    events = reader.each("events", event)
    event_ids = {e.id for e in events}

    def timescale(fields: _Fields) -> Timescale:
        found = Timescale(
            fields.text("id"), fields.text("text"), fields.choice("unit", TimescaleUnit),
            fields.whole_number("amount", nullable=True), fields.optional_text("from_event"),
            fields.choice("duty", Duty), fields.text("owner"), reader.refs(fields),
            title=fields.optional_text("title"), until_event=fields.optional_text("until_event"),
        )
        for key in ("from_event", "until_event"):
            if getattr(found, key) is not None and getattr(found, key) not in event_ids:
                fields.fail(key, f"{getattr(found, key)!r} is not one of the pack's events")
        fields.done()
        return found

    def recipient(fields: _Fields) -> Recipient:
        found = Recipient(fields.text("id"), fields.text("who"), reader.refs(fields))
        fields.done()
        return found

    pack = FrameworkPack(
        id=top.text("id"),
        version=top.whole_number("version") or 0,
        name=top.text("name"),
        nations=nations,
        in_force_from=top.optional_date("in_force_from"),
        in_force_until=top.optional_date("in_force_until"),
        decided_by=reader.optional_rule(top, "decided_by"),
        local_names=names,
        sources=reader.sources,
        triggers=reader.each("triggers", reader.rule),
        outcomes=reader.each("outcomes", reader.rule),
        stages=stages,
        events=events,
        timescales=reader.each("timescales", timescale),
        recipients=reader.each("recipients", recipient),
        unverified=reader.each("unverified", reader.rule, required=False),
        criteria=reader.criteria(),
    )
    top.done()
    if pack.version < 1:
        top.fail("version", "must be 1 or more")
    from_opening = {t.id for t in pack.timescales if t.from_event is None}
    for index, outcome in enumerate(pack.criteria.outcomes if pack.criteria else ()):
        for named, timescale in enumerate(outcome.starts):
            if timescale not in from_opening:
                top.fail(f"criteria.outcomes[{index}].starts[{named}]",
                         f"{timescale!r} is not one of the pack's timescales from the opening")
    return pack


def _due(fields: _Fields) -> PolicyDue:
    found = PolicyDue(fields.choice("kind", DueKind), fields.optional_text("setting"),
                      fields.optional_text("before_date"), fields.optional_text("before_event"),
                      fields.optional_choice("before_moment", Moment), fields.optional_text("before_words"))
    fields.done()
    if found.kind is DueKind.TIMESCALE:
        fields.fail("kind", "a policy duty's due rule cannot be a pack's timescale")
    counted = found.kind in (DueKind.WORKING_DAYS, DueKind.CALENDAR_MONTHS)
    if counted != (found.setting is not None):
        fields.fail("setting", "names the review setting holding the number of working days or months, for "
                               "those kinds only")
    before = (found.before_date, found.before_event, found.before_moment)
    if (found.kind is DueKind.BEFORE_EVENT) != any(before):
        fields.fail("kind", "before_event is due before a key date, an event or a moment (before_date, "
                            "before_event, before_moment), and only that kind is")
    return found


def read_policy(file: str, data: object) -> OrganisationPolicy:
    top = _Fields(file, "", data)
    if top.text("kind") != "organisation_policy":
        top.fail("kind", "must be 'organisation_policy'")
    reader = _Reader(file, top)

    def duty(fields: _Fields) -> PolicyDuty:
        found = PolicyDuty(fields.text("id"), fields.text("title"), fields.texts("recipients"),
                           reader.refs(fields), _due(fields.child("due", fields.raw("due", True))),
                           fields.optional_choice("at", Moment), fields.flag("notifies"),
                           fields.flag("needs_document"), fields.optional_text("done_by_recording"))
        fields.done()
        return found

    policy = OrganisationPolicy(
        id=top.text("id"),
        version=top.whole_number("version") or 0,
        name=top.text("name"),
        sources=reader.sources,
        subject_rule=reader.rule(top.child("subject_rule", top.raw("subject_rule", True))),
        duties=reader.each("duties", duty),
    )
    top.done()
    if policy.version < 1:
        top.fail("version", "must be 1 or more")
    return policy
