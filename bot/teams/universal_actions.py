"""Universal Actions: a press on an `Action.Execute` button changes the card in place.

Teams sends the press as an `adaptiveCard/action` invoke and shows the card in the answer instead
of the pressed one. The press is read exactly as the same button's `Action.Submit` message would
be (its data plus its verb), so the conversation runs unchanged whichever way a client sends it;
what the turn would have posted is caught here and shared out:

- the first card the turn produces is the pressed card's next state, and answers the invoke: the
  next step of a form replaces the step before, a review card's button shows the form it opens,
  and a finished form becomes its read-only summary;
- everything else the turn says (a confirmation, the updated review card after a form) follows as
  ordinary messages, so the record of what was done stays in the chat where it happened and what
  comes next arrives at the bottom, where the person is looking;
- a turn that produces only words (a press on a form that was already submitted, a mark done)
  still answers with a card: the words, with no buttons, so an old card is never left pressable
  and a press is never answered with an error.
"""

from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse

from cards import render_card

ACTION_INVOKE = "adaptiveCard/action"
_ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
_PRESSED = "scr.universal_action"
_NOT_SENT = Activity(type=ActivityTypes.trace, name="answered in the invoke response")
UNREADABLE = "That button could not be read, so nothing was changed. Type **help** to start again."


def is_universal_action(context: TurnContext) -> bool:
    """Whether this turn answers an `Action.Execute` press (its first card replaces the pressed one)."""
    return bool(context.turn_state.get(_PRESSED))


def pressed_value(activity: Activity) -> dict[str, Any] | None:
    """The press as an `Action.Submit` would send it: the button's data (with the card's inputs
    that Teams merged into it) and its verb; None for anything that is not such a press."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    if not isinstance(action, dict) or not isinstance(action.get("verb"), str):
        return None
    data = action.get("data")
    return {**(data if isinstance(data, dict) else {}), "verb": action["verb"]}


def card_response(card: dict[str, Any]) -> InvokeResponse:
    return InvokeResponse(status=HTTPStatus.OK, body=AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.OK, type=_ADAPTIVE_CARD, value=card))


def notice_card(lines: list[str]) -> dict[str, Any]:
    """Words alone as a card: the first sentence is its heading."""
    first, _, rest = (lines[0] if lines else "Nothing was changed.").partition(". ")
    heading = first if first.endswith((".", "!", "?")) else first + "."
    body = [line for line in [rest, *lines[1:]] if line]
    return render_card("notice", {"title": heading, "text": " ".join(body), "lines": [{"text": t} for t in body]})


async def answer_press(context: TurnContext, converse: Any, refresh: Any) -> InvokeResponse:
    """Runs `converse` (the message handler) on the press and answers with the pressed card's next
    state. Teams' automatic refresh of a card as it is opened runs `refresh` instead: it must show
    the card as it is now without touching the conversation (a form half-way stays open)."""
    value = pressed_value(context.activity)
    automatic = isinstance(context.activity.value, dict) and context.activity.value.get("trigger") == "automatic"
    if value is None:
        return card_response(notice_card([UNREADABLE]))
    context.activity.value = value
    context.turn_state[_PRESSED] = True
    caught: list[Activity] = []

    async def catch(_: TurnContext, activities: list[Activity], next_send: Any) -> Any:
        # Sending cannot be skipped from here in botbuilder 4.17, and the adapter refuses an empty
        # list; a trace activity is never sent to Teams, so each caught one becomes a trace.
        if context.turn_state.get(_PRESSED):
            caught.extend(a for a in activities if a.type == ActivityTypes.message)
            activities[:] = [a if a.type == ActivityTypes.invoke_response else _NOT_SENT for a in activities]
        return await next_send()

    context.on_send_activities(catch)
    await (refresh if automatic else converse)(context)
    context.turn_state[_PRESSED] = False
    answer = next((a for a in caught if _card_of(a) is not None), None)
    if answer is not None:
        card = _card_of(answer)
        following = [a for a in caught if a is not answer]
    else:
        card = notice_card([a.text for a in caught if a.text])
        following = []
    if following:
        await context.send_activities(following)
    return card_response(card)  # type: ignore[arg-type]


def _card_of(activity: Activity) -> dict[str, Any] | None:
    return next((a.content for a in activity.attachments or [] if a.content_type == _ADAPTIVE_CARD), None)
