"""Zero 5xx from input (issue 12): generated bodies, headers and activities against the running
app over HTTP. Whatever arrives, the answer is 2xx or 4xx (or the 501 the Bot Framework defines
for an invoke the bot does not implement), no reply shows a stack trace, and neither the reviews
nor the outbox change.

About 2,000 cases in CI; a longer run: `FUZZ_EXAMPLES=20000 scripts/test tests/test_fuzz_http.py`.
"""

import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RunningBot, emails_settled, stored_tables
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

TOTAL = int(os.environ.get("FUZZ_EXAMPLES", "2100"))
FUZZ = settings(max_examples=TOTAL // 3, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# What a reply must never contain: a Python stack trace, an exception's own words, or the apology
# for a turn that failed (input, however malformed, must not make a turn fail).
TRACE_MARKS = ("Traceback", 'File "', "Error:", "Exception", "line ", "something went wrong on my side")

# ("agenda email" is left out: it really does queue an email.)
# Text a person could type or a card could carry, and text an attacker would send.
texts = st.one_of(
    st.sampled_from(["help", "my reviews", "open review", "outstanding", "agenda", "cancel",
                     "next", "record", "show LSCB-2026-014", "next LSCB-2026-014", "what do I do next?"]),
    st.text(max_size=60),
    st.text(min_size=1, max_size=8).map(lambda piece: piece * 1000),  # huge, and cheap to generate
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                           max_leaves=12)
FIELDS = ["type", "id", "channelId", "from", "recipient", "conversation", "channelData", "text",
          "value", "name", "action", "attachments", "entities", "membersAdded", "membersRemoved", "locale",
          "replyToId", "timestamp", "textFormat"]
# Replies go to serviceUrl: only addresses on this machine, so the fuzz never reaches the network.
SERVICE_URLS = st.sampled_from([None, "", 5, ["x"], "not a url", "http://127.0.0.1:1/", "ftp://127.0.0.1/",
                                "http://127.0.0.1:1/" + "a" * 3000])
ACTIVITY_TYPES = ["message", "invoke", "conversationUpdate", "installationUpdate", "messageReaction", "typing",
                  "event", "endOfConversation", "messageUpdate", "messageDelete", "command", "trace", "handoff"]
INVOKE_NAMES = ["adaptiveCard/action", "task/fetch", "task/submit", "composeExtension/query", "fileConsent/invoke",
                "signin/verifyState", "signin/tokenExchange", "config/fetch", "tab/fetch", "healthCheck",
                "actionableMessage/executeAction", "composeExtension/submitAction", "handoff/action"]


@dataclass
class Fuzzer:
    client: TeamsClient
    session: aiohttp.ClientSession

    async def post(self, body: bytes, content_type: str, activity_type: Any = None) -> None:
        async with self.session.post(self.client.bot.url + "api/messages", data=body,
                                     headers={"Content-Type": content_type}) as response:
            status = response.status
        allowed_501 = activity_type == "invoke"  # the Bot Framework's "not implemented" for an invoke
        assert status < 500 or (status == 501 and allowed_501), (status, body[:300])
        for reply in self.client.connector.take():
            shown = json.dumps(reply.body)
            assert not any(mark in shown for mark in TRACE_MARKS), shown[:500]


@pytest.fixture
async def guarded(running_bot: RunningBot, connector: FakeConnector) -> AsyncIterator[Fuzzer]:
    """A client whose chat already holds a review, so 'changes nothing' has something to protect."""
    client = TeamsClient(running_bot, connector)
    await open_review(client)
    connector.take()
    before = await _settled(running_bot)
    async with aiohttp.ClientSession() as session:
        yield Fuzzer(client, session)
    assert await _settled(running_bot) == before


async def _settled(bot: RunningBot) -> dict[str, Any]:
    """The reviews and the outbox once the mail worker has delivered what opening queued."""
    await emails_settled(bot)
    tables = stored_tables(bot)
    return {name: tables.get(name) for name in ("reviews", "outbox")}


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode()),
                      st.integers(1, 3000).map(lambda n: ("[" * n + "]" * n).encode()),
                      st.integers(1, 3000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode())),
       content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain",
                                     "application/json; charset=latin-1", "application/json; charset=nope", ""]))
async def test_any_body_and_content_type(guarded: Fuzzer, body: bytes, content_type: str) -> None:
    await guarded.post(body, content_type)


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4),
       activity_type=st.sampled_from(ACTIVITY_TYPES), name=st.one_of(st.sampled_from(INVOKE_NAMES), texts),
       service_url=st.one_of(st.just(None), SERVICE_URLS))
async def test_wrong_types_at_any_field(guarded: Fuzzer, changes: dict[str, Any], activity_type: str,
                                        name: str, service_url: Any) -> None:
    activity = {**guarded.client.activity(activity_type, name=name), **changes}
    if service_url is not None:
        activity["serviceUrl"] = service_url
    await guarded.post(json.dumps(activity).encode(), "application/json", activity.get("type"))


@FUZZ
@given(text=texts, value=json_values, sender=st.dictionaries(st.sampled_from(["id", "aadObjectId", "name"]),
                                                             json_values, max_size=3),
       tenant=json_values, surrogate=st.booleans())
async def test_messages_with_any_text_value_sender_and_tenant(
    guarded: Fuzzer, text: str, value: Any, sender: dict[str, Any], tenant: Any, surrogate: bool,
) -> None:
    activity = guarded.client.activity(text=text + ("\ud800" if surrogate else ""), value=value,
                                channelData={"tenant": {"id": tenant}})
    activity["from"] = {**activity["from"], **sender}
    await guarded.post(json.dumps(activity).encode(), "application/json")
