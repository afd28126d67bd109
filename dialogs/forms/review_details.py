"""Step 1 of opening a review: what the review is, where, and its key dates so far."""

from datetime import date
from typing import Any

from bot.review import Stage
from bot.review.frameworks import FrameworkReason, catalogue
from bot.review.kinds import BusinessArea, Nation, ReviewKind
from bot.review.opening import framework_refusal
from bot.review.references import validate_board_name, validate_reference
from dialogs.card_form import Context, FormSpec
from dialogs.forms.choices import reason_choices
from dialogs.submitted import Submitted

FIELDS = ("reference", "nation", "kind", "board_name", "business_areas",
          "came_to_chair_attention", "stage_reached", "decision_to_proceed", "framework", "framework_reason")

NATIONS = {nation.value: nation for nation in Nation}
KINDS = {kind.value: kind for kind in ReviewKind}
AREAS = {area.value: area for area in BusinessArea}
# A representative may start using the bot part-way through a review: it opens at its real stage.
STAGES_REACHED = {stage.value: stage for stage in Stage if not stage.is_terminal}
# The framework in force for the nation and the date the case came to the chair's attention.
IN_FORCE = "in_force"
REASONS = {reason.value: reason for reason in FrameworkReason if reason.at_opening}


def _framework_choices() -> list[dict[str, str]]:
    packs = [pack for pack in catalogue().packs.values() if pack.is_guided]
    return [{"title": "The one in force for the nation and date (recommended)", "value": IN_FORCE}] + [
        {"title": f"{pack.name} ({pack.id}: {', '.join(n.label for n in pack.nations)})", "value": pack.id}
        for pack in packs]


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
        "stage_value": values["stage_reached"] or Stage.REFERRAL.value,
        "stage_choices": [{"title": stage.label, "value": value} for value, stage in STAGES_REACHED.items()],
        "framework_value": values["framework"] or IN_FORCE,
        "framework_choices": _framework_choices(),
        "reason_choices": reason_choices(REASONS.values()),
    }


def _framework(submitted: Submitted, nation: Nation | None, came: date | None,
               reached: Stage | None) -> tuple[str | None, str | None]:
    """The framework chosen by hand (None: the one in force) and why, checked by the domain's
    rules against the nation, the date and how far the review has got."""
    chosen = submitted.choice("framework", "Framework", {IN_FORCE: None, **catalogue().packs}, required=False)
    reason = submitted.choice("framework_reason", "Why not the one in force", REASONS, required=False)
    if nation is None or came is None or "framework" in submitted.errors:
        return None, None
    chosen_id = chosen.id if chosen else None
    refusal = framework_refusal(nation, came, chosen_id, reason, part_way=reached not in (None, Stage.REFERRAL))
    if refusal:
        submitted.errors[refusal.field] = refusal.message
    if chosen_id is None or chosen_id == catalogue().for_review(nation, came).id:
        return None, None
    return chosen_id, reason.value if reason else None


def _parse(submitted: Submitted, context: Context) -> dict[str, Any]:
    today = date.fromisoformat(context["today"])
    reference = submitted.checked("reference", "The reference", validate_reference, longest=40)
    board_name = submitted.checked("board_name", "The board's name", validate_board_name, longest=80)
    nation = submitted.choice("nation", "Nation", NATIONS)
    kind = submitted.choice("kind", "Kind of review", KINDS)
    areas = submitted.choices("business_areas", "Business areas", AREAS)
    came = submitted.date("came_to_chair_attention", "The date the case came to the chair's attention",
                          latest=today)
    reached = submitted.choice("stage_reached", "How far the review has got", STAGES_REACHED)
    decided = submitted.date("decision_to_proceed", "The date of the decision", latest=today,
                             required=False, not_before=came,
                             not_before_label="the date the case came to the chair's attention")
    if reached not in (None, Stage.REFERRAL) and decided is None and "decision_to_proceed" not in submitted.errors:
        submitted.errors["decision_to_proceed"] = (
            "Enter the date the board decided to hold the review: you said the review is past that.")
    if reached is Stage.REFERRAL and decided:
        reached = Stage.DECISION  # a decision date says the board has decided
    framework, reason = _framework(submitted, nation, came, reached)
    submitted.check()
    return {
        "reference": reference,
        "board_name": board_name,
        "nation": nation.value,
        "kind": kind.value,
        "business_areas": [area.value for area in areas],
        "came_to_chair_attention": came.isoformat(),
        "decision_to_proceed": decided.isoformat() if decided else None,
        "stage_reached": reached.value,
        "framework": framework,
        "framework_reason": reason,
    }


REVIEW_DETAILS = FormSpec("review_details", "review_details", "About the review", FIELDS, _parse, _data)
