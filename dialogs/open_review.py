"""Opening a review: details → eligibility → representative's independence → check and confirm.

Answers are kept in the dialog's state (which survives a restart) and nothing reaches the
review store or the outbox until the last card is confirmed.
"""

import asyncio
from functools import cache
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogTurnResult, DialogTurnStatus

from bot.review import (
    ELIGIBILITY_QUESTIONS,
    REPRESENTATIVE_QUESTIONS,
    EligibilityOutcome,
    Nation,
    ReviewRuleError,
    Stage,
)
from bot.review.eligibility import asks_about_working_together, criteria_questions, outcome_of
from bot.review.frameworks import catalogue
from bot.review.opening import OpeningPlan, OpeningRequest
from bot.review.questions import ALL_QUESTIONS
from bot.review_service import AlreadyRecorded, DuplicateReview, ReviewService
from bot.teams.admission import user_id_of
from bot.teams.replies import card_message
from cards import render_card
from dialogs.card_form import BACK, CAN_GO_BACK, PREFILLED, CardForm, FormSpec, submitted_values
from dialogs.event_catalogue import event_titles
from dialogs.forms.past_milestones import PAST_MILESTONES, needs_milestones
from dialogs.forms.review_details import REVIEW_DETAILS
from dialogs.forms.yes_no import yes_no_form
from dialogs.opening_answers import eligibility_answers, framework_of, opening_request
from dialogs.submitted import FormErrors
from views.opening import opening_card_data

ELIGIBILITY_STEP = "Open a review \u2014 step 2 of 4"
ELIGIBILITY = yes_no_form(
    "eligibility",
    step=ELIGIBILITY_STEP,
    title="Does the case meet the criteria?",
    intro="Answer from what you know now. The board makes the decision (para 3.3.3); the bot records "
          "your answers, what they point to, and later what the board actually decided.",
    submit="Next",
    questions=tuple(q for q in ELIGIBILITY_QUESTIONS if q.id != "C1"),
)
# C1 is asked on its own card, and only when it can change the outcome: a card cannot show a
# question depending on another answer (Adaptive Cards 1.5 has no conditional inputs).
WORKING_TOGETHER = yes_no_form(
    "eligibility_working_together",
    step=ELIGIBILITY_STEP,
    title="One more question about the criteria",
    intro="You answered yes to a serious-harm question. The criteria for considering a review are met only "
          "if the case also raises concerns about how local professionals and services worked together "
          "(para 3.1.1).",
    submit="Next: your independence",
    questions=(ALL_QUESTIONS["C1"],),
)


@cache
def _criteria() -> FormSpec:
    """Under a framework with criteria of its own (a pack's), its questions, asked instead. Built
    with the dialog, once the packs are loaded and checked at start-up."""
    return yes_no_form(
        "criteria",
        step=ELIGIBILITY_STEP,
        title="Does the case meet the framework's criteria?",
        intro="Answer from what you know now. Those who run the review decide: the bot records your answers, what "
              "they point to, and later what was actually decided.",
        submit="Next: your independence",
        questions=lambda context: criteria_questions(catalogue().pack(context["framework"])),
        possible_ids=tuple(dict.fromkeys(q.id for pack in catalogue().packs.values()
                                         for q in criteria_questions(pack))),
    )


REPRESENTATIVE_INTRO = ("The Home Office representative on the panel must be Grade 7 or above and independent of "
                        "the case (I1, I3, I4), and should have a strategic understanding of Home Office "
                        "safeguarding (I2: a warning, not a bar) (para 1.2, 7.2). Answer for yourself.")
EMAIL_LABEL = "Your work email (shown in the emails so recipients can reply to you)"
REPRESENTATIVE = yes_no_form(
    "representative",
    step="Open a review \u2014 step 3 of 4",
    title="Can you sit on the panel for the Home Office?",
    intro=REPRESENTATIVE_INTRO,
    submit="Next: check and confirm",
    questions=REPRESENTATIVE_QUESTIONS,
    email_label=EMAIL_LABEL,
)
CONFIRM = FormSpec("confirm_opening", "opening_summary", "Check and confirm", (),
                   parse=lambda submitted, context: {},
                   data=lambda context, values, errors: context["card"])

SAVE_FAILED = ("The review was not opened: {reason} Nothing was saved and no email was sent. Change the answers "
               "below, or type **cancel**.")
ALREADY_YOURS = ("You already have review {reference} from {board}, so it cannot be opened again: type **my reviews** "
                 "to find it. If this is another review, give its own reference.")


# The cards in order; a step is skipped when its answers cannot matter (see `_needed`).
ORDER = ("details", "milestones", "criteria", "eligibility", "working_together", "representative", "confirm")


@cache
def steps() -> dict[str, FormSpec]:
    return dict(zip(ORDER, (REVIEW_DETAILS, PAST_MILESTONES, _criteria(), ELIGIBILITY, WORKING_TOGETHER,
                            REPRESENTATIVE, CONFIRM), strict=True))


class OpenReviewDialog(ComponentDialog):
    """The steps, each a card with Back (but the first) and Cancel. Every answer is kept, as
    typed, so a step shown again (Back, or a change link on the check-and-confirm card) is filled
    in as it was left, and so are the steps after it."""

    def __init__(self, service: ReviewService) -> None:
        super().__init__(OpenReviewDialog.__name__)
        self._service = service
        for step, form in steps().items():
            self.add_dialog(CardForm(form, check=self._not_yours_already if step == "details" else None))

    async def on_begin_dialog(self, inner_dc: DialogContext, options: object) -> DialogTurnResult:
        state = inner_dc.parent.active_dialog.state
        state["answers"], state["typed"], state["changing"] = {}, {}, False
        return await self._show(inner_dc, state, ORDER[0])

    async def on_continue_dialog(self, inner_dc: DialogContext) -> DialogTurnResult:
        turn = await inner_dc.continue_dialog()
        if turn.status is not DialogTurnStatus.Complete:
            return turn
        state = inner_dc.parent.active_dialog.state
        step, result = state["step"], turn.result
        if isinstance(result, dict) and BACK in result:
            typed = submitted_values(inner_dc.context)
            if typed:  # Back from a step half answered: kept for when it is shown again
                state["typed"][step] = {**state["typed"].get(step, {}), **typed}
            target = result[BACK] if _reachable(state["answers"], result[BACK]) else self._before(state, step)
            # From a change link, the person comes back here once that step is answered.
            state["changing"] = bool(result[BACK])
            return await self._show(inner_dc, state, target)
        state["answers"][step] = result
        state["typed"][step] = submitted_values(inner_dc.context)
        if step == "details":
            _forget_other_frameworks_criteria(state)
        if step == "confirm":
            return await self._save(inner_dc, state)
        return await self._show(inner_dc, state, self._after(state, step))

    def _after(self, state: dict[str, Any], step: str) -> str:
        later = [name for name in ORDER[ORDER.index(step) + 1:] if _needed(name, state["answers"])]
        if state["changing"]:
            return next((name for name in later if name not in state["answers"]), "confirm")
        return later[0]

    def _before(self, state: dict[str, Any], step: str) -> str:
        earlier = [name for name in ORDER[:ORDER.index(step)] if _needed(name, state["answers"])]
        return earlier[-1] if earlier else step

    async def _show(self, inner_dc: DialogContext, state: dict[str, Any], step: str) -> DialogTurnResult:
        state["step"] = step
        options = {**await self._options(inner_dc.context, state["answers"], step, state.pop("refused", "")),
                   PREFILLED: state["typed"].get(step, {}), CAN_GO_BACK: step != ORDER[0]}
        return await inner_dc.begin_dialog(steps()[step].verb, options)

    async def _options(self, context: TurnContext, answers: dict[str, Any], step: str,
                       refused: str = "") -> dict[str, Any]:
        today = self._service.today().isoformat()
        if step == "details":
            return {"today": today}
        if step == "milestones":
            details = answers["details"]
            return {"today": today, "stage_reached": details["stage_reached"],
                    "decision_to_proceed": details["decision_to_proceed"]}
        if step == "criteria":
            pack = framework_of(answers["details"])
            decider = f" {pack.decided_by.text}" if pack.decided_by else ""
            return {"framework": pack.id, "notice": f"These are the {pack.name}'s own criteria.{decider}"}
        if step == "representative":
            outcome = _outcome(answers)
            said = f"{outcome.heading[0].upper()}{outcome.heading[1:]}. " if outcome.heading else ""
            return {
                "notice": f"Your answers about the criteria point to: {said}{outcome.explanation} "
                          f"({outcome.paragraphs.text})",
                "email": await work_email(context),
                "allowed_domains": list(self._service.allowed_email_domains),
            }
        if step == "confirm":
            plan = self._service.plan_opening(user_id_of(context), _request(answers))
            card = self._card(plan, confirming=True)
            return {"card": {**card, "refused": refused}}
        return {}

    def _card(self, plan: OpeningPlan, *, confirming: bool) -> dict[str, Any]:
        """The check-and-confirm card, or (confirmed) the "review opened" one, in its framework's words."""
        return opening_card_data(plan, event_titles(plan.review.framework), confirming=confirming,
                                 today=self._service.today())

    async def _not_yours_already(self, context: TurnContext, details: dict[str, Any]) -> None:
        """A review is opened once: a reference and board the person already has is refused where the
        reference is typed, with the answers kept, not after every step."""
        review = await self._service.already_has(user_id_of(context), details["reference"], details["board_name"])
        if review:
            raise FormErrors({"reference": ALREADY_YOURS.format(reference=review.reference, board=review.board_name)},
                             {"reference": "The reference"})

    async def _save(self, inner_dc: DialogContext, state: dict[str, Any]) -> DialogTurnResult:
        context = inner_dc.context
        try:
            plan = await self._service.open_review(user_id_of(context), _request(state["answers"]))
        except AlreadyRecorded as pressed_twice:
            await context.send_activity(str(pressed_twice))
            return DialogTurnResult(DialogTurnStatus.Complete)
        except (DuplicateReview, ReviewRuleError, ValueError) as problem:
            # The check card again, saying why, with its change links: never a dead end.
            state["refused"] = SAVE_FAILED.format(reason=_reason(problem))
            return await self._show(inner_dc, state, "confirm")
        card = self._card(plan, confirming=False)
        await context.send_activity(card_message(render_card("opening_summary", card),
                                                 f"Review {plan.review.reference} opened"))
        return DialogTurnResult(DialogTurnStatus.Complete, plan.review.id)


def _reachable(answers: dict[str, Any], step: object) -> bool:
    """Whether a change link may go back to ``step``: one of the steps this opening asks, with every
    step before it answered (a tampered or stale press names another, and goes back one step)."""
    if step not in ORDER or not _needed(str(step), answers):
        return False
    return all(earlier in answers for earlier in ORDER[:ORDER.index(str(step))] if _needed(earlier, answers))


def _needed(step: str, answers: dict[str, Any]) -> bool:
    """Whether a step's answers can matter; until what decides it is answered, they might."""
    if step == "milestones" and "details" in answers:
        return needs_milestones(Stage(answers["details"]["stage_reached"]))
    if step in ("criteria", "eligibility", "working_together") and "details" in answers:
        own = framework_of(answers["details"]).criteria is not None
        if step == "criteria":
            return own
        if own:  # the source guidance's criteria are asked only where the framework has none
            return False
    if step == "working_together" and "eligibility" in answers:
        return asks_about_working_together(eligibility_answers(answers["eligibility"]))
    return True


def _outcome(answers: dict[str, Any]) -> EligibilityOutcome:
    """What the criteria answered so far point to (the criteria steps come before it is asked)."""
    details, eligibility = answers["details"], _eligibility(answers)
    outcome = outcome_of(framework_of(details), Nation(details["nation"]),
                         eligibility_answers(eligibility) if eligibility is not None else None,
                         answers["criteria"] if _needed("criteria", answers) else None)
    assert outcome is not None
    return outcome


def _forget_other_frameworks_criteria(state: dict[str, Any]) -> None:
    """Criteria answered for a framework the first card no longer leads to are asked again."""
    asked = {q.id for q in criteria_questions(framework_of(state["answers"]["details"]))}
    if set(state["answers"].get("criteria", asked)) != asked:
        del state["answers"]["criteria"]
        state["typed"].pop("criteria", None)


def _eligibility(answers: dict[str, Any]) -> dict[str, Any] | None:
    """The source guidance's answers, where they are asked. C1 counts only while it is asked;
    unasked it stays "no", which cannot change the outcome."""
    if not _needed("eligibility", answers):
        return None
    asked = _needed("working_together", answers)
    return {**answers["eligibility"], **(answers.get("working_together", {}) if asked else {})}


def _request(answers: dict[str, Any]) -> OpeningRequest:
    """What the forms collected, kept in the dialog's state (small, and it survives a restart)."""
    milestones = answers.get("milestones") if _needed("milestones", answers) else None
    criteria = answers["criteria"] if _needed("criteria", answers) else None
    return opening_request(answers["details"], _eligibility(answers), answers["representative"], milestones,
                           criteria)


# A pre-filled email is a convenience: never keep the user waiting long for it.
PROFILE_TIMEOUT_SECONDS = 5


async def work_email(context: TurnContext) -> str:
    """Pre-fills the email field from the Teams profile; typing it is the fallback."""
    try:
        member = await asyncio.wait_for(TeamsInfo.get_member(context, context.activity.from_property.id),
                                        PROFILE_TIMEOUT_SECONDS)
    except Exception:  # noqa: BLE001 - any failure (or a slow answer) just means the user types it
        return ""
    return (member.email or member.user_principal_name or "") if member else ""


def _reason(problem: Exception) -> str:
    message = problem.message if isinstance(problem, ReviewRuleError) else str(problem)
    return message if message.endswith(".") else message + "."

