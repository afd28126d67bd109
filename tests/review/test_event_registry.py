"""Adding an event touches one domain declaration and one form: a toy event declared in this test
alone (no production module knows it) is recorded through the domain, with its stage rule,
obligation and email, and the dialog catalogue offers it and builds it from its form's answers."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bot.review import (
    EVENTS,
    OBLIGATIONS,
    AddressBook,
    Applied,
    Email,
    Event,
    EventDefinition,
    EventRegistry,
    EventType,
    ReviewRuleError,
    Stage,
    allowed_events,
    cite,
    record_event,
    review_from_dict,
    review_to_dict,
)
from bot.review.chronology import DatesOutOfOrder, earliest
from bot.review.model import Review
from dialogs.event_catalogue import FORMS, EventSpec, available
from dialogs.record_event import NOMINATION
from tests.review.helpers import BOOK, DAY, USER, at, review_at

TOY = EventType("toy_site_visit")


@dataclass(frozen=True, kw_only=True)
class SiteVisited(Event):
    type = TOY
    visitors: int


def _visited(review: Review, event: SiteVisited, on: date, when: datetime, book: AddressBook) -> Applied:
    if event.visitors < 1:
        raise ReviewRuleError("Say how many visited.", cite("4.1"))
    return Applied(f"Site visited by {event.visitors}")


TOY_EVENT = EventDefinition(
    data=SiteVisited,
    paragraphs=cite("4.1"),
    allowed_at=frozenset({Stage.DECISION}),
    handle=_visited,
    triggers=("O1", "O11"),
    email=Email("O1", "site visited", "The panel visited for this {review_name}.", "Please note it."),
    dated_as="the date of the site visit",
    after=(EventType.BOARD_DECISION,),
    form="toy_site_visit",
)
TOY_FORM = EventSpec(
    "toy_site_visit", "Record a site visit", "Site visit", "The panel visited (para 4.1).", "Date of the visit",
    lambda answers: SiteVisited(visitors=answers["visitors"], on=date.fromisoformat(answers["date"])),
)


@pytest.fixture
def toy() -> EventRegistry:
    return EVENTS.with_events(TOY_EVENT)


def test_a_toy_event_is_recorded_through_the_domain(toy: EventRegistry) -> None:
    review = review_at(Stage.DECISION)
    result = record_event(review, SiteVisited(visitors=2), USER, at(DAY), BOOK, registry=toy)
    assert result.history_entry.action is TOY
    assert result.history_entry.detail == "Site visited by 2"
    assert result.review.stage is Stage.DECISION
    triggered = {r.obligation_id for r in result.review.obligations if r.trigger_seq == result.history_entry.seq}
    assert triggered == {"O1", "O11"}
    [email] = result.notifications
    assert email.obligation_id == "O1"
    assert email.subject.endswith("– site visited")
    assert f"The panel visited for this {review.review_name}." in email.body_text
    # Its name survives the store like any other event's.
    assert review_from_dict(review_to_dict(result.review)).history[-1].action is TOY


def test_a_toy_event_keeps_its_stage_rule_and_its_handler_s_refusal(toy: EventRegistry) -> None:
    assert TOY in allowed_events(review_at(Stage.DECISION), toy)
    assert TOY not in allowed_events(review_at(Stage.REFERRAL), toy)
    with pytest.raises(ReviewRuleError, match="cannot be recorded now"):
        record_event(review_at(Stage.REFERRAL), SiteVisited(visitors=2), USER, at(DAY), BOOK, registry=toy)
    with pytest.raises(ReviewRuleError, match="how many"):
        record_event(review_at(Stage.DECISION), SiteVisited(visitors=0), USER, at(DAY), BOOK, registry=toy)


def test_a_toy_milestone_is_never_dated_before_the_one_it_follows(toy: EventRegistry) -> None:
    review = review_at(Stage.DECISION)
    decided = review.key_dates.decision_to_proceed
    assert decided is not None
    with pytest.raises(DatesOutOfOrder, match=r"The date of the site visit .* cannot be before the date of the board"):
        record_event(review, SiteVisited(visitors=2, on=decided - timedelta(days=1)), USER, at(DAY), BOOK,
                     registry=toy)
    assert earliest(review, TOY, toy) is not None and earliest(review, TOY) is None


def test_the_built_in_registry_does_not_know_the_toy(toy: EventRegistry) -> None:
    assert TOY in toy and TOY not in EVENTS
    assert TOY not in allowed_events(review_at(Stage.DECISION))
    with pytest.raises(ValueError, match="not an event this review can record"):
        record_event(review_at(Stage.DECISION), SiteVisited(visitors=2), USER, at(DAY), BOOK)


def test_the_dialog_catalogue_offers_the_toy_and_builds_it_from_its_form(toy: EventRegistry) -> None:
    review = review_at(Stage.DECISION)
    forms = {**FORMS, TOY_FORM.key: TOY_FORM}
    [offer] = [offer for offer in available(review, toy, forms) if offer.type is TOY]
    assert offer.button == "Record a site visit"
    assert TOY not in {offer.type for offer in available(review)}
    answers: dict[str, Any] = {"date": DAY.isoformat(), "visitors": 3}
    result = record_event(review, offer.spec.build(answers), USER, at(DAY), BOOK, registry=toy)
    assert result.history_entry.action is TOY and result.history_entry.on == DAY


@pytest.mark.parametrize(
    ("definition", "words"),
    [
        (EventDefinition(data=SiteVisited, paragraphs=cite("4.1"), triggers=("O99",)), "do not exist"),
        (EventDefinition(data=SiteVisited, paragraphs=cite("4.1"), email=Email("O2", "x", "y", "z")),
         "whose duty is no email"),
        (EventDefinition(data=SiteVisited, paragraphs=cite("4.1"), key_date="birthday"), "key date"),
        (EventDefinition(data=SiteVisited, paragraphs=cite("4.1"), dated_as="x", after=(EventType.LESSON_IDENTIFIED,)),
         "not dated milestones"),
        (EVENTS[EventType.CLOSED], "declared twice"),
    ],
)
def test_a_registry_refuses_a_definition_that_cannot_work(definition: EventDefinition, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        EVENTS.with_events(definition)


def test_a_registry_lacking_an_event_an_obligation_names_is_refused() -> None:
    with pytest.raises(ValueError, match="O6 names events this registry lacks: document_added"):
        EventRegistry(definition for definition in EVENTS if definition.type is not EventType.DOCUMENT_ADDED)


def test_which_obligations_are_emailed_is_stated_once_and_every_one_has_an_email() -> None:
    emailed = {definition.email.obligation for definition in EVENTS if definition.email}
    assert emailed == {ob.id for ob in OBLIGATIONS.values() if ob.notifies} == {"O1", "O4", "O6", "O8", "O10"}


def test_every_form_an_event_names_exists_and_every_form_records_an_event() -> None:
    """A definition naming a form the conversation layer lacks would be an event nobody can record."""
    named = {definition.form for definition in EVENTS if definition.form}
    assert named == set(FORMS) | {NOMINATION}
