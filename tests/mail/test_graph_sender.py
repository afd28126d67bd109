"""The Graph adapter, with the real msgraph-sdk talking HTTP to a local fake Graph."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.mail import PermanentMailError, TransientMailError
from bot.mail.graph_sender import DEFAULT_SETTLE_SECONDS, MARKER_PROPERTY_ID, GraphMailSender
from tests.fakes.fake_graph import FakeGraph
from tests.mail.conftest import make_email


async def test_a_first_send_looks_up_the_key_then_creates_and_sends_a_draft(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    email = make_email(to=("scs.lead@homeoffice.example", "team.mailbox@homeoffice.example"))

    await graph_sender.send(email)

    mailbox = f"/v1.0/users/{graph.mailbox}/messages"
    lookup, create, send = graph.requests
    assert (lookup.method, lookup.path) == ("GET", mailbox)
    assert lookup.query["$filter"] == (
        f"singleValueExtendedProperties/Any(ep: ep/id eq '{MARKER_PROPERTY_ID}' and ep/value eq 'R1:O1:1')"
    )
    assert (create.method, create.path) == ("POST", mailbox)
    assert create.body is not None
    assert "Serious Case Review" in create.body["subject"]
    assert [r["emailAddress"]["address"] for r in create.body["toRecipients"]] == list(email.to)
    assert create.body["body"] == {"contentType": "html", "content": email.html}
    assert create.body["singleValueExtendedProperties"] == [{"id": MARKER_PROPERTY_ID, "value": "R1:O1:1"}]
    assert create.body["internetMessageHeaders"] == [{"name": "X-SCR-Notification-Key", "value": "R1:O1:1"}]
    assert (send.method, send.path) == ("POST", f"{mailbox}/draft-1/send")
    assert all(r.headers["Authorization"] == "Bearer fake-graph-token" for r in graph.requests)
    # Sending a draft keeps the copy in Sent Items: the fake moves it there, as Exchange does.
    assert [(m.folder, m.is_draft) for m in graph.delivered] == [("sentitems", False)]
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_sending_a_key_already_in_sent_items_sends_nothing(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    await graph_sender.send(make_email())
    graph.requests.clear()

    await graph_sender.send(make_email())

    assert graph.routes() == ["lookup"]
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_a_draft_left_by_an_earlier_attempt_is_sent_rather_than_made_again(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(503, route="send")
    with pytest.raises(TransientMailError):
        await graph_sender.send(make_email())
    graph.requests.clear()

    await graph_sender.send(make_email())

    assert graph.routes() == ["lookup", "send"]
    assert graph.requests[1].path.endswith("/draft-1/send")
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_429_is_transient_and_keeps_retry_after(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(429, headers={"Retry-After": "17"}, code="ApplicationThrottled")

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    assert raised.value.retry_after == 17
    assert "throttling" in raised.value.reason and "429" in raised.value.reason
    # kiota's own RetryHandler is off: one request, the queue decides when to come back.
    assert graph.routes() == ["lookup"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_transient_and_not_retried_inside_the_sdk(
    graph: FakeGraph, graph_sender: GraphMailSender, status: int
) -> None:
    graph.fail_next(status, route="create", headers={"Retry-After": "3"})

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    assert str(status) in raised.value.reason
    assert raised.value.retry_after == 3
    assert graph.routes() == ["lookup", "create"]


async def test_an_unknown_outcome_of_the_send_waits_for_exchange_to_settle(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(503, route="send", headers={"Retry-After": "2"})

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    # A 503 on /send may still have sent it: look again only once Exchange has moved it.
    assert raised.value.retry_after == DEFAULT_SETTLE_SECONDS


async def test_a_429_on_send_was_turned_away_so_only_retry_after_counts(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(429, route="send", headers={"Retry-After": "5"})

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    assert raised.value.retry_after == 5


async def test_a_retry_after_date_is_turned_into_seconds(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    graph.fail_next(503, route="lookup", headers={"Retry-After": later})

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    assert raised.value.retry_after is not None and 80 < raised.value.retry_after <= 90


async def test_a_slow_answer_times_out_as_transient(
    graph: FakeGraph, make_graph_sender: Callable[..., GraphMailSender]
) -> None:
    sender = make_graph_sender(request_timeout=0.3)
    graph.delay_next(2.0, route="lookup")

    with pytest.raises(TransientMailError) as raised:
        await sender.send(make_email())

    assert "ReadTimeout" in raised.value.reason
    assert graph.delivered == []


async def test_a_dropped_connection_on_send_is_transient_and_then_found_sent(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.drop_next(route="send")

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())
    assert raised.value.retry_after == DEFAULT_SETTLE_SECONDS

    await graph_sender.send(make_email())
    assert graph.delivered_keys() == ["R1:O1:1"]


async def test_a_refused_connection_is_transient(graph: FakeGraph, graph_sender: GraphMailSender) -> None:
    await graph.stop()

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    assert raised.value.reason == "Could not reach Graph (ConnectError)"
    assert raised.value.retry_after is None


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, "ErrorInvalidRecipients", "check the recipient addresses"),
        (401, "InvalidAuthenticationToken", "check GRAPH_TENANT_ID"),
        (403, "ErrorAccessDenied", "grant Mail.ReadWrite and Mail.Send"),
        (404, "ErrorInvalidUser", "sender mailbox (MAIL_SENDER) was not found"),
    ],
)
async def test_refusals_are_permanent_with_a_reason_a_person_can_act_on(
    graph: FakeGraph, graph_sender: GraphMailSender, status: int, code: str, expected: str
) -> None:
    graph.fail_next(status, code=code)

    with pytest.raises(PermanentMailError) as raised:
        await graph_sender.send(make_email())

    assert expected in raised.value.reason
    assert f"{status} {code}" in raised.value.reason


async def test_a_bad_recipient_is_permanent_and_no_address_or_body_is_kept_or_logged(
    graph: FakeGraph, graph_sender: GraphMailSender, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    email = make_email(to=("no-such-person@invalid.example",))

    with pytest.raises(PermanentMailError) as raised:
        await graph_sender.send(email)

    assert "ErrorInvalidRecipients" in raised.value.reason
    # Graph's message quotes an address; the reason and the logs must not.
    for leak in ("@invalid.example", "someone@homeoffice.example", "Child A"):
        assert leak not in raised.value.reason
        assert leak not in caplog.text
    assert graph.delivered == []


async def test_a_wrong_sender_mailbox_is_permanent(graph: FakeGraph, graph_sender: GraphMailSender) -> None:
    graph.mailbox = "someone-else@homeoffice.example"

    with pytest.raises(PermanentMailError, match="MAIL_SENDER"):
        await graph_sender.send(make_email())


async def test_a_404_on_send_means_look_again_later_not_give_up(
    graph: FakeGraph, graph_sender: GraphMailSender
) -> None:
    graph.fail_next(404, route="send", code="ErrorItemNotFound")

    with pytest.raises(TransientMailError) as raised:
        await graph_sender.send(make_email())

    assert raised.value.retry_after == DEFAULT_SETTLE_SECONDS
