"""Opening a review: from what the opening forms established to the review that would be opened
and the emails that would go. Pure, so the confirm card previews exactly what saving will do."""

from dataclasses import dataclass
from datetime import date, datetime

from . import (
    AddressBook,
    BoardDecisionMade,
    BusinessArea,
    EligibilityAnswers,
    EligibilityOutcome,
    Event,
    IndependenceOutcome,
    KeyDates,
    Nation,
    Notification,
    Representative,
    RepresentativeAnswers,
    RepresentativeCheckFailed,
    Review,
    ReviewKind,
    ReviewOpened,
    ReviewSettings,
    StaffMember,
    check_representative,
    record_event,
)
from .frameworks import SCR_2016, catalogue
from .kinds import DECISION_FOR_KIND
from .pack_schema import FrameworkPack


@dataclass(frozen=True)
class OpeningRequest:
    """What the person opening a review told the bot. `past_events` are the milestones a review
    opened part-way has already passed, in order, each on its own date."""

    reference: str
    nation: Nation
    board_name: str
    business_areas: tuple[BusinessArea, ...]
    kind: ReviewKind
    came_to_chair_attention: date
    decision_to_proceed: date | None
    eligibility: EligibilityAnswers
    representative: RepresentativeAnswers
    email: str
    past_events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class OpeningPlan:
    review: Review
    notifications: tuple[Notification, ...]
    eligibility: EligibilityOutcome
    independence: IndependenceOutcome
    # The framework in force for the case's nation and date (frameworks.py). Until the bot guides
    # other packs' steps the review follows scr-2016; the card names the one in force if it differs.
    in_force: FrameworkPack


def plan_opening(request: OpeningRequest, *, user_id: str, at: datetime, address_book: AddressBook,
                 settings: ReviewSettings) -> OpeningPlan:
    """The past milestones are replayed as the events they were, so the review reaches its real
    stage with the duties and emails they bring."""
    draft = Review(
        reference=request.reference,
        nation=request.nation,
        board_name=request.board_name,
        business_areas=request.business_areas,
        members=[user_id],
        kind=request.kind,
        framework=SCR_2016,
        framework_version=catalogue().pack(SCR_2016).version,
        key_dates=KeyDates(came_to_chair_attention=request.came_to_chair_attention),
        eligibility=request.eligibility,
    )
    answers = request.representative
    independence = check_representative(answers)
    # A representative who fails a rule is not recorded (1.2, 7.2), but the review still opens:
    # the O1 notifications are owed at the beginning whoever sits on the panel (1.1).
    nominee = Representative(StaffMember(user_id, request.email), answers) if independence.passed else None
    opened = record_event(draft, ReviewOpened(representative=nominee), user_id, at, address_book, settings)
    review, notifications = opened.review, opened.notifications
    if not independence.passed:
        review = record_event(review, RepresentativeCheckFailed(answers=answers), user_id, at, address_book,
                              settings).review
    decided: tuple[Event, ...] = ()
    if request.decision_to_proceed:
        decided = (BoardDecisionMade(decision=DECISION_FOR_KIND[request.kind], on=request.decision_to_proceed),)
    for event in (*decided, *request.past_events):
        done = record_event(review, event, user_id, at, address_book, settings)
        review, notifications = done.review, notifications + done.notifications
    outcome = review.eligibility_outcome
    assert outcome is not None  # the draft was built with answers
    in_force = catalogue().for_review(request.nation, request.came_to_chair_attention)
    in_force = in_force.as_configured(settings.framework_timescales.get(in_force.id, {}))
    return OpeningPlan(review, notifications, outcome, independence, in_force)
