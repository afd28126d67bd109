"""Opening a review part-way through: the date of each milestone it has already passed, so it
opens at its real stage with its history (4.1). Asked only when the review is past the decision."""

from datetime import date
from typing import Any

from bot.review import BusinessArea, NoImrReason, Stage
from dialogs.card_form import Context, FormSpec
from dialogs.submitted import Submitted

# The milestones after the board's decision, in flow-chart order, by the stage each one reaches.
MILESTONES: dict[Stage, str] = {
    Stage.TERMS_OF_REFERENCE: "Date the terms of reference were agreed",
    Stage.IMRS: "Date the Home Office IMR step ended",
    Stage.OVERVIEW_REPORT: "Date the overview report was produced",
    Stage.ACTION_PLAN: "Date the action plan and executive summary were agreed",
    Stage.APPROVED: "Date the board approved the final report",
    Stage.PUBLISHED: "Date the report was published",
    Stage.IMPLEMENTATION: "Date the actions were confirmed complete",
}
IMR_COMPLETED = "completed"
IMR_OUTCOMES = {IMR_COMPLETED: "PSU completed it",
                **{reason.value: f"No IMR was asked of the Home Office: {reason.label}" for reason in NoImrReason}}
AREAS = {area.value: area.value for area in BusinessArea}
FIELDS = (*(stage.value for stage in MILESTONES), "imr_outcome", "imr_copy_sent", "areas", "no_area",
          "report_copy_sent")
# Copies the guidance asks for (1.6, 1.7) that may have gone before the review was recorded here:
# the person says so, or the bot asks for the document to send them.
_ON = {"true": True, "false": False}


def passed(reached: Stage) -> list[Stage]:
    """The milestones a review at ``reached`` has passed, in order."""
    order = list(MILESTONES)
    return order[: order.index(reached) + 1] if reached in MILESTONES else []


def needs_milestones(reached: Stage) -> bool:
    return bool(passed(reached))


def _data(context: Context, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    stages = passed(Stage(context["stage_reached"]))
    return {
        "today": context["today"],
        "milestones": [{"id": stage.value, "label": MILESTONES[stage], "value": values[stage.value],
                        "error": errors[stage.value]} for stage in stages],
        "asks_imr": Stage.IMRS in stages,
        "imr_choices": [{"title": title, "value": value} for value, title in IMR_OUTCOMES.items()],
        "asks_areas": Stage.ACTION_PLAN in stages,
        "asks_report_copy": Stage.PUBLISHED in stages,
        "imr_copy_value": values["imr_copy_sent"] or "false",
        "report_copy_value": values["report_copy_sent"] or "false",
        "area_choices": [{"title": area.label, "value": area.value} for area in BusinessArea],
        "no_area_value": values["no_area"] or "false",
    }


def _parse(submitted: Submitted, context: Context) -> dict[str, Any]:
    today = date.fromisoformat(context["today"])
    stages = passed(Stage(context["stage_reached"]))
    previous, previous_label = date.fromisoformat(context["decision_to_proceed"]), "the date of the board's decision"
    dates: dict[str, str] = {}
    for stage in stages:
        label = MILESTONES[stage]
        on = submitted.date(stage.value, label, latest=today, not_before=previous, not_before_label=previous_label)
        if on:
            dates[stage.value] = on.isoformat()
            previous, previous_label = on, label[0].lower() + label[1:]
    answers: dict[str, Any] = {"dates": dates}
    if Stage.IMRS in stages:
        answers["imr_outcome"] = submitted.choice("imr_outcome", "What happened to the Home Office IMR",
                                                  {key: key for key in IMR_OUTCOMES})
        answers["imr_copy_sent"] = submitted.choice("imr_copy_sent", "The IMR copy", _ON, required=False) is True
    if Stage.PUBLISHED in stages:
        answers["report_copy_sent"] = submitted.choice("report_copy_sent", "The report copy", _ON,
                                                       required=False) is True
    if Stage.ACTION_PLAN in stages:
        answers["areas"] = submitted.choices("areas", "Business areas named in the action plan", AREAS,
                                             required=False)
        none_named = submitted.choice("no_area", "Names no business area", {"true": True, "false": False},
                                      required=False) is True
        if bool(answers["areas"]) == none_named and "areas" not in submitted.errors:
            submitted.errors["areas"] = ("Choose the business areas the action plan names, or tick that it names "
                                         "none \u2014 one or the other.")
    submitted.check()
    return answers


PAST_MILESTONES = FormSpec("past_milestones", "past_milestones", "Milestones so far", FIELDS, _parse, _data)
