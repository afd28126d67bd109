"""Opening a review: from what the opening forms established to the review that would be opened
and the emails that would go. Pure, so the confirm card previews exactly what saving will do."""

from collections.abc import Mapping
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
from .frameworks import SCR_2016, FrameworkReason, catalogue
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
    # The source guidance's criteria (3.1.1), for a framework with none of its own; else None.
    eligibility: EligibilityAnswers | None
    representative: RepresentativeAnswers
    email: str
    past_events: tuple[Event, ...] = ()
    # The pack chosen by hand, and why; None: the one in force for the nation and date.
    framework: str | None = None
    framework_reason: FrameworkReason | None = None
    # Answers to the framework's own criteria (pack_schema.Criteria), by question id, where it has them.
    criteria_answers: Mapping[str, bool] | None = None


@dataclass(frozen=True)
class OpeningPlan:
    review: Review
    notifications: tuple[Notification, ...]
    eligibility: EligibilityOutcome
    independence: IndependenceOutcome
    # The framework in force for the case's nation and date (frameworks.py): the one the review
    # follows unless another was chosen, with a reason.
    in_force: FrameworkPack
    # The one it follows (the one in force unless another was chosen), with the organisation's
    # settings for timescales its sources leave unset.
    framework: FrameworkPack
    reason: FrameworkReason | None = None


@dataclass(frozen=True)
class FrameworkRefusal:
    """Why a framework choice cannot be followed, and which answer of the opening form it is about."""

    field: str  # "framework", "framework_reason" or "stage_reached"
    message: str


def framework_refusal(nation: Nation, came: date, chosen: str | None, reason: FrameworkReason | None,
                      part_way: bool) -> FrameworkRefusal | None:
    """The rules of choosing a framework when opening: one the bot guides in the nation; another
    than the one in force only with a reason; a newer framework only from its beginning."""
    found = catalogue()
    in_force = found.for_review(nation, came)
    pack = found.followed(nation, came, chosen)
    if pack is None or pack not in found.openable(nation):
        if chosen is None:  # the one in force only informs (no stages): say so, and the way on
            return FrameworkRefusal("framework", f"{pack.name} is the framework in force in {nation.label} for a "
                                                 "case from that date, but the bot cannot guide a review through it "
                                                 "yet: choose another framework and say why.")
        named = pack.name if pack else repr(chosen)
        return FrameworkRefusal("framework", f"{named} is not a framework the bot can guide a review in "
                                             f"{nation.label} by: choose another framework.")
    if pack.id != in_force.id and reason is None:
        return FrameworkRefusal("framework_reason", f"Say why the review follows {pack.name} rather than "
                                                    f"{in_force.name}, the framework in force in {nation.label} "
                                                    "for a case from that date.")
    if pack.id != SCR_2016 and part_way:
        return FrameworkRefusal("stage_reached", f"A {pack.name} is recorded here from its beginning: choose the "
                                                 "first stage and leave the decision date empty, then record each "
                                                 "step already taken, with the day it happened, from the review "
                                                 "card.")
    return None


def chosen_framework(request: OpeningRequest) -> tuple[FrameworkPack, FrameworkPack]:
    """The pack the review will follow and the one in force for its nation and date. Raises
    ValueError for a choice that cannot be followed, saying why."""
    refusal = framework_refusal(request.nation, request.came_to_chair_attention, request.framework,
                                request.framework_reason, bool(request.decision_to_proceed or request.past_events))
    if refusal:
        raise ValueError(refusal.message)
    found = catalogue()
    pack = found.followed(request.nation, request.came_to_chair_attention, request.framework)
    assert pack is not None  # refused above otherwise
    return pack, found.for_review(request.nation, request.came_to_chair_attention)


def _criteria_answers(pack: FrameworkPack, request: OpeningRequest
                      ) -> tuple[EligibilityAnswers | None, dict[str, bool] | None]:
    """The answers the review keeps: to its pack's own criteria where it has them, else to the
    source guidance's (3.1.1). Raises ValueError when the ones it needs are not all given."""
    if pack.criteria is None:
        if request.eligibility is None:
            raise ValueError("Answer the questions about the criteria for a review (para 3.1.1).")
        return request.eligibility, None
    asked = [question.id for question in pack.criteria.questions]
    given = dict(request.criteria_answers or {})
    if sorted(given) != sorted(asked) or not all(isinstance(answer, bool) for answer in given.values()):
        raise ValueError(f"Answer each of the {pack.name}'s questions about its criteria "
                         f"({', '.join(asked)}) with yes or no.")
    return None, given


def plan_opening(request: OpeningRequest, *, user_id: str, at: datetime, address_book: AddressBook,
                 settings: ReviewSettings) -> OpeningPlan:
    """The past milestones are replayed as the events they were, so the review reaches its real
    stage with the duties and emails they bring."""
    pack, in_force = chosen_framework(request)
    eligibility, criteria_answers = _criteria_answers(pack, request)
    reason = request.framework_reason if pack.id != in_force.id else None
    draft = Review(
        reference=request.reference,
        nation=request.nation,
        board_name=request.board_name,
        business_areas=request.business_areas,
        members=[user_id],
        kind=request.kind,
        framework=pack.id,
        framework_version=pack.version,
        key_dates=KeyDates(came_to_chair_attention=request.came_to_chair_attention),
        eligibility=eligibility,
        criteria_answers=criteria_answers,
    )
    answers = request.representative
    independence = check_representative(answers)
    # A representative who fails a rule is not recorded (1.2, 7.2), but the review still opens:
    # the O1 notifications are owed at the beginning whoever sits on the panel (1.1).
    nominee = Representative(StaffMember(user_id, request.email), answers) if independence.passed else None
    opening = ReviewOpened(representative=nominee, instead_of=in_force.id if reason else None, reason=reason)
    opened = record_event(draft, opening, user_id, at, address_book, settings)
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
    def configured(found: FrameworkPack) -> FrameworkPack:
        return found.as_configured(settings.framework_timescales.get(found.id, {}))

    return OpeningPlan(review, notifications, outcome, independence, configured(in_force), configured(pack), reason)
