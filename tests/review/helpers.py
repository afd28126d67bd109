"""Shared builders for the review-domain tests (plain functions: no fixtures needed)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from bot.review import (
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    AddressBook,
    Approved,
    BoardDecision,
    BoardDecisionMade,
    BusinessArea,
    Closed,
    DocumentCopy,
    EligibilityAnswers,
    Event,
    EventResult,
    ImrAuthorAnswers,
    ImrCompleted,
    KeyDates,
    Nation,
    OverviewReportProduced,
    Published,
    Representative,
    RepresentativeAnswers,
    Review,
    ReviewOpened,
    ReviewSettings,
    StaffMember,
    Stage,
    TermsOfReferenceAgreed,
    record_event,
)

EXAMPLE_CONFIG = Path(__file__).parents[2] / "config" / "address_book.example.json"
# The example ships without a domain rule (the local default must accept anyone's email);
# the tests add one so the allowed-domains guard is exercised.
BOOK_DATA = {**json.loads(EXAMPLE_CONFIG.read_text()), "allowed_domains": ["example.gov.uk"]}
BOOK = AddressBook.from_dict(BOOK_DATA)
SETTINGS = ReviewSettings()
USER = "aad:00000000-0000-0000-0000-000000000001"
REP = Representative(StaffMember(USER, "rep@example.gov.uk"), RepresentativeAnswers(True, True, True, True))
INDEPENDENT_AUTHOR = ImrAuthorAnswers(True, True, True, True)
# The copies 1.6 and 1.7 ask for: a stored file and a link.
IMR_COPY = DocumentCopy("IMR.pdf", sha256="a" * 64, size=1_200_000, content_type="application/pdf")
REPORT_LINK = DocumentCopy("Overview report and executive summary",
                           url="https://example.sharepoint.com/sites/scr/report.pdf")
DAY = date(2026, 3, 2)  # an ordinary Monday


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def new_review(**overrides: object) -> Review:
    fields: dict[str, object] = {
        "reference": "LSCB-2026-014",
        "nation": Nation.ENGLAND,
        "board_name": "Exampleshire LSCB",
        "business_areas": (BusinessArea.UKVI,),
        "members": [USER],
        "key_dates": KeyDates(came_to_chair_attention=DAY),
        "eligibility": EligibilityAnswers(h1=True, c1=True),
    }
    fields.update(overrides)
    return Review(**fields)  # type: ignore[arg-type]


def play(
    review: Review, *events: Event, day: date = DAY, settings: ReviewSettings = SETTINGS
) -> tuple[Review, list[EventResult]]:
    """Record ``events`` in order on ``day``; return the final review and every result."""
    results = []
    for event in events:
        result = record_event(review, event, USER, at(day), BOOK, settings)
        results.append(result)
        review = result.review
    return review, results


# The flow chart in order: the events that take a review from opening to each stage.
PATH: tuple[tuple[Stage, Event], ...] = (
    (Stage.REFERRAL, ReviewOpened(representative=REP)),
    (Stage.DECISION, BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW)),
    (Stage.TERMS_OF_REFERENCE, TermsOfReferenceAgreed()),
    (Stage.IMRS, ImrCompleted(author=INDEPENDENT_AUTHOR, document=IMR_COPY)),
    (Stage.OVERVIEW_REPORT, OverviewReportProduced()),
    (Stage.ACTION_PLAN, ActionPlanAgreed(areas=(BusinessArea.UKVI,), emails=("hmpo.lead@example.gov.uk",))),
    (Stage.APPROVED, Approved()),
    (Stage.PUBLISHED, Published(document=REPORT_LINK)),
    (Stage.IMPLEMENTATION, ActionsConfirmedComplete()),
    (Stage.CLOSED, Closed()),
)


def events_to(stage: Stage, on: date | None = None) -> tuple[Event, ...]:
    """The events that reach ``stage``, all dated ``on`` if given (else the day they are played)."""
    if stage is Stage.NOT_PROCEEDING:
        events: tuple[Event, ...] = (PATH[0][1], BoardDecisionMade(decision=BoardDecision.NOT_PROCEEDING))
    else:
        stages = [s for s, _ in PATH]
        events = tuple(event for _, event in PATH[: stages.index(stage) + 1])
    return tuple(replace(event, on=on) for event in events) if on else events


@cache
def review_at(stage: Stage) -> Review:
    """A review that has reached ``stage`` (shared safely: record_event never mutates its input)."""
    review, _ = play(new_review(id="00000000-0000-4000-8000-000000000001"), *events_to(stage))
    return review
