"""From the answers on the opening forms (by field and question id) to the domain's
OpeningRequest: the dialog collects, the service plans and opens."""

from datetime import date
from typing import Any

from bot.review import (
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    Approved,
    BusinessArea,
    EligibilityAnswers,
    Event,
    ImrCompleted,
    Nation,
    NoImrReason,
    NoImrRequested,
    OverviewReportProduced,
    Published,
    RepresentativeAnswers,
    ReviewKind,
    Stage,
    TermsOfReferenceAgreed,
    answers_by_id,
)
from bot.review.frameworks import FrameworkReason, catalogue
from bot.review.opening import OpeningRequest
from bot.review.pack_schema import FrameworkPack
from dialogs.forms.past_milestones import IMR_COMPLETED


def eligibility_answers(answers: dict[str, bool]) -> EligibilityAnswers:
    """The eligibility cards' answers (by question id); a question not asked is "no"."""
    return answers_by_id(EligibilityAnswers, answers)


def representative_answers(answers: dict[str, Any]) -> RepresentativeAnswers:
    """The independence card's answers (I1–I4), as asked when opening and when nominating."""
    return answers_by_id(RepresentativeAnswers, answers)


def framework_of(details: dict[str, Any]) -> FrameworkPack:
    """The framework the first card's answers lead to: the one chosen, or the one in force for the
    nation and date (the card refuses a choice the app has no pack for)."""
    pack = catalogue().followed(Nation(details["nation"]), date.fromisoformat(details["came_to_chair_attention"]),
                                details.get("framework"))
    assert pack is not None, "the first card accepts only the packs the app has"
    return pack


def opening_request(details: dict[str, Any], eligibility: dict[str, bool] | None, representative: dict[str, Any],
                    milestones: dict[str, Any] | None = None,
                    criteria: dict[str, bool] | None = None) -> OpeningRequest:
    decided = details["decision_to_proceed"]
    return OpeningRequest(
        reference=details["reference"],
        nation=Nation(details["nation"]),
        board_name=details["board_name"],
        business_areas=tuple(BusinessArea(area) for area in details["business_areas"]),
        kind=ReviewKind(details["kind"]),
        came_to_chair_attention=date.fromisoformat(details["came_to_chair_attention"]),
        decision_to_proceed=date.fromisoformat(decided) if decided else None,
        eligibility=eligibility_answers(eligibility) if eligibility is not None else None,
        criteria_answers=criteria,
        representative=representative_answers(representative),
        email=representative["email"],
        past_events=tuple(_past_events(milestones or {})),
        # Answers kept from before a framework could be chosen have none: the one in force.
        framework=details.get("framework"),
        framework_reason=FrameworkReason(details["framework_reason"]) if details.get("framework_reason") else None,
    )


def _past_events(milestones: dict[str, Any]) -> list[Event]:
    """The milestones after the decision as events, in order. An IMR completed before the review
    was recorded here has no answers about its author; an action plan names the areas chosen."""
    built = {
        Stage.TERMS_OF_REFERENCE: lambda on: TermsOfReferenceAgreed(on=on),
        Stage.IMRS: lambda on: (
            ImrCompleted(author=None, on=on, copy_sent_before=milestones.get("imr_copy_sent", False))
            if milestones["imr_outcome"] == IMR_COMPLETED
            else NoImrRequested(reason=NoImrReason(milestones["imr_outcome"]), on=on)),
        Stage.OVERVIEW_REPORT: lambda on: OverviewReportProduced(on=on),
        Stage.ACTION_PLAN: lambda on: ActionPlanAgreed(
            areas=tuple(BusinessArea(area) for area in milestones["areas"]), on=on),
        Stage.APPROVED: lambda on: Approved(on=on),
        Stage.PUBLISHED: lambda on: Published(on=on, copy_sent_before=milestones.get("report_copy_sent", False)),
        Stage.IMPLEMENTATION: lambda on: ActionsConfirmedComplete(on=on),
    }
    dates = milestones.get("dates", {})
    return [make(date.fromisoformat(dates[stage.value])) for stage, make in built.items() if stage.value in dates]
