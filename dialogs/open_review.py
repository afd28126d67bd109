"""Opening a review: details → eligibility → representative's independence → check and confirm.

Answers are kept in the dialog's state (which survives a restart) and nothing reaches the
review store or the outbox until the last card is confirmed.
"""

import asyncio

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot.review import (
    ELIGIBILITY_QUESTIONS,
    REPRESENTATIVE_QUESTIONS,
    Nation,
    ReviewRuleError,
    Stage,
    assess_eligibility,
)
from bot.review.eligibility import asks_about_working_together
from bot.review.opening import OpeningRequest
from bot.review.questions import ALL_QUESTIONS
from bot.review_service import AlreadyRecorded, DuplicateReview, ReviewService
from bot.teams.admission import user_id_of
from bot.teams.replies import card_message
from cards import render_card
from dialogs.card_form import CardForm, FormSpec
from dialogs.forms.past_milestones import PAST_MILESTONES, needs_milestones
from dialogs.forms.review_details import REVIEW_DETAILS
from dialogs.forms.yes_no import yes_no_form
from dialogs.opening_answers import eligibility_answers, opening_request
from dialogs.review_replies import EVENT_TITLES
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

SAVE_FAILED = "The review was not opened: {reason} Nothing was saved and no email was sent."


class OpenReviewDialog(ComponentDialog):
    def __init__(self, service: ReviewService) -> None:
        super().__init__(OpenReviewDialog.__name__)
        self._service = service
        for form in (REVIEW_DETAILS, PAST_MILESTONES, ELIGIBILITY, WORKING_TOGETHER, REPRESENTATIVE, CONFIRM):
            self.add_dialog(CardForm(form))
        self.add_dialog(WaterfallDialog("open_review_steps", [
            self._ask_details, self._ask_milestones, self._ask_eligibility, self._ask_working_together,
            self._ask_independence,
            self._ask_confirmation, self._save,
        ]))
        self.initial_dialog_id = "open_review_steps"

    async def _ask_details(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.begin_dialog(REVIEW_DETAILS.verb, {"today": self._service.today().isoformat()})

    async def _ask_milestones(self, step: WaterfallStepContext) -> DialogTurnResult:
        details = step.values["details"] = step.result
        if not needs_milestones(Stage(details["stage_reached"])):
            return await step.next(None)
        return await step.begin_dialog(PAST_MILESTONES.verb, {
            "today": self._service.today().isoformat(), "stage_reached": details["stage_reached"],
            "decision_to_proceed": details["decision_to_proceed"],
        })

    async def _ask_eligibility(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["milestones"] = step.result
        return await step.begin_dialog(ELIGIBILITY.verb, {})

    async def _ask_working_together(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["eligibility"] = step.result
        if not asks_about_working_together(eligibility_answers(step.result)):
            return await step.next({})
        return await step.begin_dialog(WORKING_TOGETHER.verb, {})

    async def _ask_independence(self, step: WaterfallStepContext) -> DialogTurnResult:
        # C1, when it was asked; unasked it stays "no", which cannot change the outcome.
        step.values["eligibility"] = {**step.values["eligibility"], **step.result}
        outcome = assess_eligibility(eligibility_answers(step.values["eligibility"]),
                                     Nation(step.values["details"]["nation"]))
        return await step.begin_dialog(REPRESENTATIVE.verb, {
            "notice": f"Your eligibility answers point to: {outcome.explanation} ({outcome.paragraphs.text})",
            "email": await work_email(step.context),
            "allowed_domains": list(self._service.allowed_email_domains),
        })

    async def _ask_confirmation(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["representative"] = step.result
        plan = self._service.plan_opening(user_id_of(step.context), _request(step))
        card = opening_card_data(plan, EVENT_TITLES, confirming=True, today=self._service.today())
        return await step.begin_dialog(CONFIRM.verb, {"card": card})

    async def _save(self, step: WaterfallStepContext) -> DialogTurnResult:
        try:
            plan = await self._service.open_review(user_id_of(step.context), _request(step))
        except AlreadyRecorded as pressed_twice:
            await step.context.send_activity(str(pressed_twice))
            return await step.end_dialog()
        except (DuplicateReview, ReviewRuleError, ValueError) as problem:
            await step.context.send_activity(SAVE_FAILED.format(reason=_reason(problem)))
            return await step.end_dialog()
        card = opening_card_data(plan, EVENT_TITLES, confirming=False, today=self._service.today())
        await step.context.send_activity(card_message(render_card("opening_summary", card),
                                                      f"Review {plan.review.reference} opened"))
        return await step.end_dialog(plan.review.id)


def _request(step: WaterfallStepContext) -> OpeningRequest:
    """What the forms collected, kept in the dialog's state (small, and it survives a restart)."""
    return opening_request(step.values["details"], step.values["eligibility"], step.values["representative"],
                           step.values["milestones"])


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

