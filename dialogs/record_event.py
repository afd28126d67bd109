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
    ImrAuthorAnswers,
    ImrAuthorCheckFailed,
    Representative,
    RepresentativeCheckFailed,
    RepresentativeNominated,
    Review,
    ReviewRuleError,
    StaffMember,
    allowed_events,
    answers_by_id,
    guard_refusal,
    outstanding,
    waiting_for_document,
)
from bot.review.due_dates import datable
from bot.review.framework_change import change_reasons, other_frameworks
from bot.review.frameworks import catalogue
from bot.review.obligations import obligation_of
from bot.review.pack_events import registry_for
from bot.review.people import LOCAL
from bot.review_service import AlreadyRecorded, ReviewNotFound, ReviewService
from bot.teams.admission import user_id_of
from bot.teams.colleagues import Colleagues
from bot.teams.files import FileNotFetched, fetch, sent_file
from bot.teams.replies import card_message
from bot.teams.universal_actions import is_universal_action
from cards import render_card
from cards.read_only import read_only
from dialogs.card_form import PREFILLED, CardForm, submitted_form, submitted_values
from dialogs.commands import RECORD_EVENT
from dialogs.event_catalogue import all_forms, copy_waited_for, event_titles
from dialogs.forms.event_form import COLLEAGUE_LABEL, document_context, event_form, not_before
from dialogs.forms.yes_no import yes_no_form
from dialogs.open_review import EMAIL_LABEL, REPRESENTATIVE_INTRO, work_email
from dialogs.opening_answers import representative_answers
from dialogs.review_lookup import review_from_card
from dialogs.review_replies import ReviewCommands
from dialogs.submitted import FormErrors
from views.dates import long_day, uk_time

UNKNOWN_EVENT = "I don't know that kind of update, so nothing was changed. Type **help** to start again."
OTHER_FRAMEWORKS_STEP = ("Nothing was changed: {reference} now follows the {name} framework, and that step is not "
                         "one of its. Type **show {reference}** for its latest card.")
NOT_RECORDED = "Not recorded: {reason} Nothing was changed."
CHECK_FAILED = ("Not recorded as the representative: {reason} This check is kept in the review's history. "
                "Answer again below for whoever is nominated, or type **cancel**.")

AUTHOR_CHECK_FAILED = ("Not recorded as complete: {reason} This check is kept in the review's history. Correct "
                       "the answers below (or ask PSU for an author who meets the rules), or type **cancel**.")

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
# The representative's own form asks I1–I4 of the person pressing it, and keeps a failed check.
NOMINATION = NOMINATION_FORM.verb
NOMINATION_TITLE = "You as the Home Office representative"


class RecordEventDialog(ComponentDialog):
    def __init__(self, service: ReviewService, commands: ReviewCommands, colleagues: Colleagues) -> None:
        super().__init__(RecordEventDialog.__name__)
        self._service = service
        self._commands = commands
        self._colleagues = colleagues
        # Every framework's forms: read from the packs, loaded and checked before the app builds this.
        self._forms = all_forms()
        self._event_forms = {key: event_form(spec) for key, spec in self._forms.items()}
        for key, form in self._event_forms.items():
            spec = self._forms[key]
            self.add_dialog(CardForm(form, self._take_file if spec.document_label else None,
                                     self._check_colleague if spec.asks_colleague else None))
        self.add_dialog(CardForm(NOMINATION_FORM))
        self.add_dialog(WaterfallDialog("record_event_steps", [self._ask, self._save]))
        self.initial_dialog_id = "record_event_steps"

    async def _ask(self, step: WaterfallStepContext) -> DialogTurnResult:
        request = step.options if isinstance(step.options, dict) else {}
        event = request.get("event")
        if not isinstance(event, str):
            await step.context.send_activity(UNKNOWN_EVENT)
            return await step.end_dialog()
        review = await review_from_card(step.context, self._service, request)
        if review is None:
            return await step.end_dialog()
        # The event's definition under the review's framework names the form that records it.
        registry = registry_for(review.framework)
        form = registry[event].form if event in registry else None
        if form != NOMINATION and form not in self._forms:
            # A press on a card from before the review changed framework names a step of the old one.
            known = any(event in event_titles(pack.id) for pack in catalogue().packs.values() if pack.is_guided)
            await step.context.send_activity(OTHER_FRAMEWORKS_STEP.format(name=review.review_name,
                                                                          reference=review.reference)
                                             if known else UNKNOWN_EVENT)
            return await step.end_dialog()
        if event not in allowed_events(review):
            await _refuse(step.context, review, _why_not_now(review, event))
            return await step.end_dialog()
        step.values.update(review_id=review.id, event=event, form=form)
        if form == NOMINATION:
            return await step.begin_dialog(NOMINATION_FORM.verb, {
                "notice": request.get("failed_check", ""),
                "email": await work_email(step.context),
                "allowed_domains": list(self._service.allowed_email_domains),
            })
        return await step.begin_dialog(self._event_forms[form].verb, {
            **_retried(step, request),
            "today": self._service.today().isoformat(),
            "reference": review.reference,
            "review_name": review.review_name,
            "areas_on_review": [area.value for area in review.business_areas],
            # Only a person who is themselves a local (Playground) user may add a local colleague.
            "local_people": user_id_of(step.context).startswith(LOCAL),
            **not_before(review, registry[event].type),
            "duty_choices": [{"title": obligation_of(review, record.obligation_id).title, "value": record.instance_id}
                             for record in datable(review)],
            "framework_reasons": [reason.value for reason in change_reasons(review)],
            "framework_choices": [{"title": f"{found.name} ({found.id})", "value": found.id}
                                  for found in map(catalogue().pack, other_frameworks(review))],
            **document_context(review, self._service.review_settings, self._service.document_limit_mb),
        })

    async def _save(self, step: WaterfallStepContext) -> DialogTurnResult:
        user = user_id_of(step.context)
        form = step.values["form"]
        try:
            event = _nomination(user, step.result) if form == NOMINATION else self._forms[form].build(step.result)
            result = await self._service.record(user, step.values["review_id"], event)
        except ReviewRuleError as problem:
            if form == NOMINATION and problem.failures:
                # Nobody is recorded, but who was checked and which rule failed is (audit trail).
                await self._service.record(user, step.values["review_id"], RepresentativeCheckFailed(
                    answers=_nomination(user, step.result).representative.answers))
                # The form stays open, saying what failed, for another try (or someone else's).
                return await step.replace_dialog(self.initial_dialog_id, {
                    "event": step.values["event"], "review_id": step.values["review_id"],
                    "failed_check": CHECK_FAILED.format(reason=_explain(problem)),
                })
            if problem.failures and self._forms[form].questions:
                return await self._author_check_failed(step, problem)
            await _refuse(step.context, await self._service.review(user, step.values["review_id"]),
                          _explain(problem))
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
            warned += (f" The copy of {copy_waited_for(review, waiting)} has not been sent: its email waits for the "
                       "document. Add it with **Add the document to send** on the review card.")
        form_card = submitted_form(step.context)
        if form_card and is_universal_action(step.context):
            # The form turns into its summary in place (the record of what was answered stays where
            # it was given); the confirmation and the updated review card follow it as new messages.
            stamp = f"Recorded by you, {uk_time(result.history_entry.at)}"
            await step.context.send_activity(card_message(read_only(form_card, stamp), stamp))
        await step.context.send_activity(
            f"Recorded on {review.reference}: {NOMINATION_TITLE if form == NOMINATION else self._forms[form].title}"
            f"{result.citations.bracketed}. Stage: {review.stage.label}.{queued}{warned}"
            f"{self._representative_due(review)}"
        )
        await self._commands.send_review_card(step.context, review.id)
        return await step.end_dialog()

    async def _author_check_failed(self, step: WaterfallStepContext, problem: ReviewRuleError) -> DialogTurnResult:
        """The IMR author failed a rule that must be met (5.1): the IMR is not recorded, the failed
        check is (every failed independence check is kept), and the form stays open with its
        answers (and any file sent for it) for correction."""
        await self._service.record(user_id_of(step.context), step.values["review_id"],
                                   ImrAuthorCheckFailed(author=answers_by_id(ImrAuthorAnswers, step.result)))
        document = step.result.get("document")
        return await step.replace_dialog(self.initial_dialog_id, {
            "event": step.values["event"], "review_id": step.values["review_id"],
            "failed_check": AUTHOR_CHECK_FAILED.format(reason=_explain(problem)),
            PREFILLED: submitted_values(step.context),
            **({"document": document} if document and not document.get("url") else {}),
        })

    async def _check_colleague(self, context: TurnContext, answers: dict[str, Any]) -> None:
        """The colleague picked must be a real person (in this chat, or the organisation's
        directory) before they may see the review."""
        problem = await self._colleagues.problem(context, answers["colleague"])
        if problem:
            raise FormErrors({"colleague": problem}, {"colleague": COLLEAGUE_LABEL})

    async def _take_file(self, context: TurnContext) -> dict[str, Any] | str:
        """A copy sent in the chat while its form is open: fetched once from Teams, checked, kept."""
        found = sent_file(context.activity)
        assert found is not None  # CardForm asks only for a message carrying a file
        name, url = found
        try:
            content = await fetch(url, self._service.document_limit_mb * 1024 * 1024)
            return asdict(await self._service.receive_document(content, name))
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


def _why_not_now(review: Review, event: str) -> str:
    """The true reason an event cannot be recorded now, for an old or tampered press: done already,
    refused by its own rule (all areas already on the review, no copy waiting…), or its stage."""
    title = event_titles(review.framework).get(EventType(event))  # every event a form records has one
    done = [entry for entry in review.history if entry.action == event]
    if done and title and registry_for(review.framework)[event].is_milestone:  # a milestone happens once
        return f"\u201c{title}\u201d is already recorded on this review ({long_day(done[-1].on)})."
    stage = f"It can't be recorded now: the review is at \u201c{review.stage.label}\u201d."
    return guard_refusal(review, event) or stage


async def _refuse(context: TurnContext, review: Review, reason: str) -> None:
    """A refusal with its reason and the way on: the review as it is now (so an old card pressed is
    answered honestly, and is never left a dead end)."""
    title = f"Nothing was changed on {review.reference}"
    card = render_card("refused", {"title": title, "text": reason, "review_id": review.id})
    await context.send_activity(card_message(card, f"{title}. {reason}"))


def _retried(step: WaterfallStepContext, request: dict[str, Any]) -> dict[str, Any]:
    """What the form shows again after a failed check: the reason, the answers and any file sent.
    Only the bot's own retry brings them (its turn is the form's submit); a press on the review card
    (`record_event`) brings none of them, whatever its data holds, so no card can forge a file."""
    value = step.context.activity.value
    if not isinstance(value, dict) or value.get("verb") == RECORD_EVENT.verb:
        return {}
    document = request.get("document")
    return {"notice": request.get("failed_check", ""), PREFILLED: request.get(PREFILLED) or {},
            **({"document": document} if isinstance(document, dict) else {})}


def _nomination(user: str, answers: dict[str, Any]) -> RepresentativeNominated:
    return RepresentativeNominated(representative=Representative(StaffMember(user, answers["email"]),
                                                                 representative_answers(answers)))


def _explain(problem: ReviewRuleError) -> str:
    steps = " ".join(f"{failure.rule_id}: {failure.next_step.rstrip('.')}." for failure in problem.failures)
    return f"{problem.message} {steps}{problem.paragraphs.bracketed}".replace("  ", " ")
