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
    eligibility: EligibilityAnswers
    representative: RepresentativeAnswers
    email: str
    past_events: tuple[Event, ...] = ()
    # The pack chosen by hand, and why; None: the one in force for the nation and date.
    framework: str | None = None
    framework_reason: FrameworkReason | None = None


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


def chosen_framework(request: OpeningRequest) -> tuple[FrameworkPack, FrameworkPack]:
    """The pack the review will follow and the one in force for its nation and date. Raises
    ValueError for a choice that cannot be followed, saying why."""
    found = catalogue()
    in_force = found.for_review(request.nation, request.came_to_chair_attention)
    pack = in_force if request.framework is None else found.packs.get(request.framework)
    if pack is None or pack not in found.openable(request.nation):
        raise ValueError(f"{request.framework!r} is not a framework the bot can guide a review in "
                         f"{request.nation.label} by.")
    if pack.id != in_force.id and request.framework_reason is None:
        raise ValueError(f"Say why the review follows {pack.name} rather than {in_force.name}, the framework in "
                         "force for its nation and date.")
    if pack.id != SCR_2016 and (request.decision_to_proceed or request.past_events):
        raise ValueError(f"A {pack.name} is recorded here from its beginning: the bot cannot yet open one part-way.")
    return pack, in_force


def plan_opening(request: OpeningRequest, *, user_id: str, at: datetime, address_book: AddressBook,
                 settings: ReviewSettings) -> OpeningPlan:
    """The past milestones are replayed as the events they were, so the review reaches its real
    stage with the duties and emails they bring."""
    pack, in_force = chosen_framework(request)
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
        eligibility=request.eligibility,
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
