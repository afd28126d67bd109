"""Step 1 of opening a review: what the review is, where, and its key dates so far."""

from datetime import date
from typing import Any

from bot.review.kinds import BusinessArea, Nation, ReviewKind
from bot.review.references import validate_board_name, validate_reference
from dialogs.card_form import Context, FormSpec
from dialogs.submitted import Submitted

FIELDS = ("reference", "nation", "kind", "board_name", "business_areas",
          "came_to_chair_attention", "decision_to_proceed")

NATIONS = {nation.value: nation for nation in Nation}
KINDS = {kind.value: kind for kind in ReviewKind}
AREAS = {area.value: area for area in BusinessArea}


_KIND_TITLES = {
    ReviewKind.STATUTORY: "Statutory review (Serious, Case Management or Significant Case Review) (para 2.1)",
    ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW:
        "Independent (inter-agency) Management Review, held rather than a full review (para 6.1, 6.2)",
    ReviewKind.SMALLER_SCALE_AUDIT: "Smaller-scale audit of a case that does not meet the criteria (para 6.1)",
}


def _data(context: Context, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "today": context["today"],
        "nation_value": values["nation"] or Nation.ENGLAND.value,
        "kind_value": values["kind"] or ReviewKind.STATUTORY.value,
        "nation_choices": [{"title": n.label, "value": n.value} for n in Nation],
        "kind_choices": [{"title": _KIND_TITLES[k], "value": k.value} for k in ReviewKind],
        "area_choices": [{"title": a.label, "value": a.value} for a in BusinessArea],
    }


def _parse(submitted: Submitted, context: Context) -> dict[str, Any]:
    today = date.fromisoformat(context["today"])
    reference = submitted.checked("reference", "The reference", validate_reference, longest=40)
    board_name = submitted.checked("board_name", "The board's name", validate_board_name, longest=80)
    nation = submitted.choice("nation", "Nation", NATIONS)
    kind = submitted.choice("kind", "Kind of review", KINDS)
    areas = submitted.choices("business_areas", "Business areas", AREAS)
    came = submitted.date("came_to_chair_attention", "The date the case came to the chair's attention",
                          latest=today)
    decided = submitted.date("decision_to_proceed", "The date of the decision", latest=today,
                             required=False, not_before=came,
                             not_before_label="the date the case came to the chair's attention")
    submitted.check()
    return {
        "reference": reference,
        "board_name": board_name,
        "nation": nation.value,
        "kind": kind.value,
        "business_areas": [area.value for area in areas],
        "came_to_chair_attention": came.isoformat(),
        "decision_to_proceed": decided.isoformat() if decided else None,
    }


REVIEW_DETAILS = FormSpec("review_details", "review_details", "About the review", FIELDS, _parse, _data)
