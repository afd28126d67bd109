"""Recording one event on a review (the board's decision, the IMR completed, …) from its form.

The event is checked against the review's stage before the form is shown, and again by the
domain when it is saved; a refusal says why, with the paragraph, and changes nothing.
"""

from dataclasses import asdict
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext

from bot.review import (
    REPRESENTATIVE_QUESTIONS,
    EventType,
    Representative,
    RepresentativeAnswers,
    RepresentativeCheckFailed,
    RepresentativeNominated,
    Review,
    ReviewRuleError,
    StaffMember,
    outstanding,
    waiting_for_document,
)
from bot.review_service import ReviewService
from bot.storage.presses import AlreadyRecorded
from bot.storage.reviews import ReviewNotFound
from bot.teams.files import FileNotFetched, fetch, sent_file
from dialogs.card_form import CardForm
from dialogs.event_catalogue import BY_TYPE, COPIES, available
from dialogs.forms.event_form import document_context, event_form, not_before
from dialogs.forms.yes_no import yes_no_form
from dialogs.open_review import EMAIL_LABEL, REPRESENTATIVE_INTRO, work_email
from dialogs.review_lookup import review_from_card, user_id_of
from dialogs.review_replies import ReviewCommands
from dialogs.views.dates import long_day

NOT_NOW = "That can't be recorded on {reference} now: the review is at \u201c{stage}\u201d. Nothing was changed."
UNKNOWN_EVENT = "I don't know that kind of update, so nothing was changed. Type **help** to start again."
NOT_RECORDED = "Not recorded: {reason} Nothing was changed."
NOMINATION = EventType.REPRESENTATIVE_NOMINATED.value
CHECK_FAILED = ("Not recorded as the representative: {reason} This check is kept in the review's history. "
                "Answer again below for whoever is nominated, or type **cancel**.")

FORMS = {spec.type.value: event_form(spec) for spec in BY_TYPE.values()}
NOMINATION_FORM = yes_no_form(
    "record_representative",
    step="Record the Home Office representative",
    title="Can you sit on the panel for the Home Office?",
    intro=REPRESENTATIVE_INTRO + " If you cannot meet the rules that must be met, the Home Office nominates "
          "someone who can (para 3.3.5): ask the SCS lead for the business area.",
    submit="Record me as the representative",
    questions=REPRESENTATIVE_QUESTIONS,
    email_label=EMAIL_LABEL,
)
TITLES = {**{spec.type.value: spec.title for spec in BY_TYPE.values()},
          NOMINATION: "You as the Home Office representative"}


class RecordEventDialog(ComponentDialog):
    def __init__(self, service: ReviewService, commands: ReviewCommands) -> None:
        super().__init__(RecordEventDialog.__name__)
        self._service = service
        self._commands = commands
        for event, form in FORMS.items():
            asks_for_copy = bool(BY_TYPE[EventType(event)].document_label)
            self.add_dialog(CardForm(form, self._take_file if asks_for_copy else None))
        self.add_dialog(CardForm(NOMINATION_FORM))
        self.add_dialog(WaterfallDialog("record_event_steps", [self._ask, self._save]))
        self.initial_dialog_id = "record_event_steps"

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        request = step.options if isinstance(step.options, dict) else {}
        event = request.get("event")
        if event != NOMINATION and event not in FORMS:
            await step.context.send_activity(UNKNOWN_EVENT)
            return await step.end_dialog()
        review = await review_from_card(step.context, self._service, request)
        if review is None:
            return await step.end_dialog()
        allowed = {spec.type.value for spec in available(review)} | (
            {NOMINATION} if not review.stage.is_terminal else set())
        if event not in allowed:
            await step.context.send_activity(NOT_NOW.format(reference=review.reference, stage=review.stage.label))
            return await step.end_dialog()
        step.values.update(review_id=review.id, event=event)
        if event == NOMINATION:
            return await step.begin_dialog(NOMINATION_FORM.verb, {
                "notice": request.get("failed_check", ""),
                "email": await work_email(step.context),
                "allowed_domains": list(self._service.address_book.allowed_domains),
            })
        return await step.begin_dialog(FORMS[event].verb, {
            "today": self._service.today().isoformat(),
            "reference": review.reference,
            "review_name": review.review_name,
            "areas_on_review": [area.value for area in review.business_areas],
            **not_before(review, EventType(event)),
            **document_context(review, self._service.settings, self._service.document_limit_mb),
        })

    async def _save(self, step: WaterfallStepContext) -> DialogTurnResult:
        user = user_id_of(step.context)
        event_name: str = step.values["event"]
        try:
            event = _nomination(user, step.result) if event_name == NOMINATION else BY_TYPE[
                EventType(event_name)].build(step.result)
            result = self._service.record(step.values["review_id"], user, event)
        except ReviewRuleError as problem:
            if event_name == NOMINATION and problem.failures:
                # Nobody is recorded, but who was checked and which rule failed is (audit trail).
                self._service.record(step.values["review_id"], user, RepresentativeCheckFailed(
                    answers=_nomination(user, step.result).representative.answers))
                # The form stays open, saying what failed, for another try (or someone else's).
                return await step.replace_dialog(self.initial_dialog_id, {
                    "event": NOMINATION, "review_id": step.values["review_id"],
                    "failed_check": CHECK_FAILED.format(reason=_explain(problem)),
                })
            await step.context.send_activity(NOT_RECORDED.format(reason=_explain(problem)))
            return await step.end_dialog()
        except AlreadyRecorded as pressed_twice:
            await step.context.send_activity(str(pressed_twice))
            return await step.end_dialog()
        except (ReviewNotFound, ValueError) as problem:
            await step.context.send_activity(NOT_RECORDED.format(reason=str(problem)))
            return await step.end_dialog()
        review = result.review
        emails = len(result.notifications)
        queued = f" {emails} email{'s' if emails != 1 else ''} queued for sending." if emails else ""
        warned = "".join(f" Warning — {w.rule_id} not met: {w.message} {w.next_step.rstrip('.')}."
                         for w in result.warnings)
        waiting = waiting_for_document(review)
        if waiting:
            warned += (f" The copy of {COPIES[waiting.obligation_id]} has not been sent: its email waits for the "
                       "document. Add it with **Add the document to send** on the review card.")
        await step.context.send_activity(
            f"Recorded on {review.reference}: {TITLES[event_name]} "
            f"{result.citations.bracketed}. Stage: {review.stage.label}.{queued}{warned}"
            f"{self._representative_due(review)}"
        )
        await self._commands.send_review_card(step.context, review)
        return await step.end_dialog()

    async def _take_file(self, context: TurnContext) -> dict[str, Any] | str:
        """A copy sent in the chat while its form is open: fetched once from Teams, checked, kept."""
        found = sent_file(context.activity)
        assert found is not None  # CardForm asks only for a message carrying a file
        name, url = found
        try:
            content = await fetch(url, self._service.document_limit_mb * 1024 * 1024)
            return asdict(self._service.receive_document(content, name))
        except (FileNotFetched, ValueError) as problem:
            return str(problem)

    def _representative_due(self, review: Review) -> str:
        """Once the first panel meeting has a date, a representative still to record is due by then
        (O3, para 1.2, 7.2): say so at once, in the words every card uses."""
        if review.key_dates.first_panel_meeting is None:
            return ""
        for status in outstanding(review, self._service.today()):
            if status.obligation.id == "O3" and status.due:
                return (f" Still to do by the first panel meeting on {long_day(status.due)}: "
                        f"{status.obligation.title} ({status.paragraphs.text}).")
        return ""


def _nomination(user: str, answers: dict[str, Any]) -> RepresentativeNominated:
    choices = RepresentativeAnswers(**{key.lower(): answers[key] for key in ("I1", "I2", "I3", "I4")})
    return RepresentativeNominated(representative=Representative(StaffMember(user, answers["email"]), choices))


def _explain(problem: ReviewRuleError) -> str:
    steps = " ".join(f"{failure.rule_id}: {failure.next_step.rstrip('.')}." for failure in problem.failures)
    return f"{problem.message} {steps}{problem.paragraphs.bracketed}".replace("  ", " ")
