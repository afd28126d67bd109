"""Drives Microsoft 365 Agents Playground in headless Chromium as a person would: reads the
cards the bot posts, fills their inputs by the labels a person reads, and presses their buttons.

Chromium is Debian's (`/usr/bin/chromium`, or CHROMIUM), driven by Python Playwright with no
browser download. The page may only reach this machine: every other request (the Playground
asks a CDN for fonts) is refused, so the test works offline and sends nothing out.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Locator, Page, Route, sync_playwright

from tests.app_process import ServedApp

ROOT = Path(__file__).parents[2]
PLAYGROUND = ROOT / "node_modules" / ".bin" / "agentsplayground"
# The README shows the cards the tests save here.
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Tall enough that a whole card shows, so its screenshot is the card as a person sees it.
VIEWPORT = {"width": 1300, "height": 2600}
# Generous: two cores shared with the rest of the suite, and a browser.
WAIT_MS = 60_000
T = TypeVar("T")


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _missing() -> str | None:
    if chromium_path() is None:
        return "Chromium is not installed (apt-get install chromium, or set CHROMIUM)"
    if not PLAYGROUND.exists():
        return "the Agents Playground is not installed (scripts/setup --with-playground)"
    return None


MISSING = _missing()
if MISSING:
    print(f"\n*** SKIPPING the browser end-to-end tests: {MISSING} ***\n", file=sys.stderr)

# Runs whenever Chromium and the Playground are installed (.ci/run installs both; Playwright is in
# the dev lock); anywhere else the tests are skipped with the loud message above.
needs_browser = pytest.mark.skipif(MISSING is not None, reason=f"browser end-to-end test: {MISSING}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path, within: float = 90) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {within} s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_playground(bot_url: str, logs: Path) -> Iterator[str]:
    """The Playground pointed at the bot's /api/messages; yields the page address."""
    port = free_port()
    log = logs / "playground.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(PLAYGROUND), "--app-endpoint", bot_url + "api/messages", "--channel-id", "msteams",
             "--port", str(port), "--disable-telemetry"],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
            # Without a desktop the Playground would fail trying to open a browser itself.
            env={**os.environ, "TEAMSAPPTESTER_BROWSER": "none"},
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _only_this_machine(route: Route) -> None:
    host = re.match(r"^[a-z]+://([^/:]+)", route.request.url)
    if host and host.group(1) in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


@contextmanager
def browser_page(url: str, executable: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(WAIT_MS)
            page.route("**/*", _only_this_machine)
            page.goto(url)
            yield page
        finally:
            browser.close()


def day_label(day: date) -> str:
    """How the Playground's calendar names a day cell: '25, November, 2026'."""
    return f"{day.day}, {day:%B}, {day.year}"


_NEWEST_CHANGED = """text => {
    const cards = Array.from(document.querySelectorAll('.ac-adaptiveCard'));
    for (let i = cards.length - 1; i >= 0; i--) {
        const shown = cards[i].innerText;
        if (cards[i].dataset.e2eSeen !== shown && shown.includes(text)) return i;
    }
    return -1;
}"""


class Chat:
    """The personal chat with the bot, as a person sees it."""

    def __init__(self, page: Page, screenshots: Path) -> None:
        self.page = page
        self.screenshots = screenshots

    def mark_seen(self) -> None:
        """Remembers what every card shows now, so the next wait_for_card waits for a new card or
        one updated in place (a Universal Action's answer). Counting cards would not do: the
        Playground may drop old ones from the page."""
        self.page.evaluate("""() => document.querySelectorAll('.ac-adaptiveCard')
            .forEach(card => { card.dataset.e2eSeen = card.innerText; })""")

    def wait_for_card(self, text: str) -> "Card":
        """The newest card that is new or changed since the last action, once it shows `text`."""
        cards = self.page.locator(".ac-adaptiveCard")
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            index = self.page.evaluate(_NEWEST_CHANGED, text)
            if index >= 0:
                return Card(self, cards.nth(index))
            time.sleep(0.25)
        newest = cards.last.inner_text() if cards.count() else "(no card)"
        raise AssertionError(f"no new or updated card showing {text!r}; the newest card says:\n{newest[:3000]}")

    def say(self, text: str) -> None:
        self.mark_seen()
        box = self.page.locator("[data-lexical-editor='true']")
        box.click()
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def screenshot(self, name: str) -> None:
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.screenshots / f"{name}-page.png"))


class Card:
    def __init__(self, chat: Chat, element: Locator) -> None:
        self.chat = chat
        self.element = element

    @property
    def text(self) -> str:
        return self.element.inner_text()

    def _labelled(self, label: str) -> Locator:
        """The input whose label starts with `label` (labels end with ' *' when required)."""
        return self.element.get_by_label(re.compile("^" + re.escape(label))).first

    def fill(self, label: str, value: str) -> None:
        self._labelled(label).fill(value)

    def shown(self, label: str) -> str:
        """What a drop-down list shows as chosen (the Playground draws it as a combo box)."""
        return self._labelled(label).input_value()

    def pick(self, label: str, option: str) -> None:
        """A drop-down list (compact choice set)."""
        self._labelled(label).click()
        self.chat.page.get_by_role("option", name=option, exact=True).click()

    def choose(self, question: str, option: str) -> None:
        """A set of radio buttons (expanded choice set): the option under that question whose label
        starts with `option` (labels end with their paragraph)."""
        question_label = self.element.locator("label", has_text=re.compile("^" + re.escape(question))).first
        group_id = question_label.get_attribute("for")
        self.element.locator(f"[id='{group_id}']").get_by_label(re.compile("^" + re.escape(option))).check()

    def tick(self, option: str) -> None:
        self.element.locator(f"input[type='checkbox'][aria-label='{option}']").check()

    def find_person(self, typed: str, person: str) -> None:
        """The people picker, as the Playground draws it (its input is named "People Picker", not by
        the card's label): type part of a name, then pick the person it suggests."""
        self.element.get_by_role("combobox", name="People Picker").click()
        self.chat.page.keyboard.type(typed)
        self.chat.page.get_by_role("option", name=re.compile(re.escape(person))).first.click()

    def date(self, label: str, day: date) -> None:
        self._labelled(label).click()
        self.chat.page.locator(f"[aria-label='{day_label(day)}']").first.click()

    def press(self, button: str) -> None:
        """The button whose title starts with `button` ("Open the review" for "Open the review and
        send 1 email")."""
        self.chat.mark_seen()
        self.element.get_by_role("button", name=re.compile("^" + re.escape(button))).first.click()

    def screenshot(self, name: str) -> None:
        self.chat.screenshots.mkdir(parents=True, exist_ok=True)
        self.element.screenshot(path=str(self.chat.screenshots / f"{name}.png"))


def describe_an_england_review(card: Card, reference: str, board: str, came_to_attention: date) -> None:
    """Step 1 of opening a review, up to the framework: a statutory review in England involving
    Border Force."""
    card.fill("The board's reference for this review", reference)
    card.pick("Nation", "England")
    card.choose("Kind of review", "Statutory review")
    card.fill("The local board running it", board)
    card.tick("Border Force")
    card.date("Date the case came to the board chair", came_to_attention)


def answer_independence(card: Card) -> None:
    """Step 3 of opening a review, the same under every framework: independent on every count."""
    for question in ("I1.", "I2.", "I3.", "I4."):
        card.choose(question, "Yes")
    card.fill("Your work email", "rep@example.gov.uk")


def eventually(found: Callable[[], T], what: str, within: float = 60) -> T:
    """What `found` returns, once it is truthy (the app's mail worker runs in the background)."""
    deadline = time.monotonic() + within
    while not (result := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within} s")
        time.sleep(0.25)
    return result


def outbox_subjects(data_dir: Path) -> list[str]:
    """The subject lines of the emails the app has written to its outbox (the .eml folder used
    when no Microsoft Graph mailbox is set), oldest first."""
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(email.read_bytes())["Subject"] for email in sorted((data_dir / "outbox").glob("*.eml"))]


def review_card_once_sent(chat: Chat, reference: str) -> Card:
    """The review card, typed for as a person would, once it shows the opening email as sent
    (the mail worker may still be at it the first time)."""
    for _ in range(10):
        chat.say(f"show {reference}")
        card = chat.wait_for_card(reference)
        card.press("Emails")  # the emails are folded under the obligations
        if "Sent " in card.text:
            return card
        time.sleep(1)
    raise AssertionError(f"the review card never showed the email as sent:\n{card.text}")


@contextmanager
def diagnostics(page: Page, tmp_path: Path, app: ServedApp) -> Iterator[None]:
    """On failure: the whole page as a picture, and the ends of the bot's and Playground's logs."""
    try:
        yield
    except Exception as error:
        picture = tmp_path / "failure.png"
        page.screenshot(path=str(picture))
        playground_log = (tmp_path / "playground.log").read_text(errors="replace")[-3000:]
        raise AssertionError(f"{error}\n\nThe page: {picture}\n\nThe bot's log:\n{app.output()[-4000:]}"
                             f"\n\nThe Playground's log:\n{playground_log}") from error


@contextmanager
def chat_with_the_bot(tmp_path: Path, **env: str) -> Iterator[Chat]:
    """app.py (with `env`, its data in tmp_path) in the Playground in Chromium, once the bot has
    been added to a personal chat; on failure, the diagnostics."""
    app = ServedApp(tmp_path, **env).wait_until_healthy()
    chromium = chromium_path()
    assert chromium is not None
    try:
        with running_playground(app.url, tmp_path) as url, browser_page(url, chromium) as page, \
                diagnostics(page, tmp_path, app):
            yield Chat(page, SCREENSHOTS)
    finally:
        app.stop()


def describe(page: Page) -> dict[str, Any]:
    """What to attach to a failure: the newest card's text."""
    cards = page.locator(".ac-adaptiveCard")
    return {"cards": cards.count(), "newest": cards.last.inner_text() if cards.count() else ""}
