"""Under a framework pack, another body's timescale the representative only watches is reminded
but never escalated to the SCS lead; the representative's own overdue duty is, in its own words."""

from datetime import date

from bot.reminders.emails import escalation_email
from bot.reminders.policy import escalations_due, reminders_due
from bot.review import ReviewOpened
from bot.review.settings import ReviewSettings
from tests.review.helpers import BOOK, REP, new_review, play

ENGLAND = "england-cspr-2023"
OPENED_ON = date(2026, 3, 2)  # a Monday
SETTINGS = ReviewSettings(framework_timescales={ENGLAND: {"agency_summary": 3}})


def test_the_partners_overdue_timescale_is_reminded_never_escalated_the_representatives_own_is() -> None:
    review, _ = play(new_review(framework=ENGLAND), ReviewOpened(representative=REP), day=OPENED_ON,
                     settings=SETTINGS)
    weeks_later = date(2026, 4, 20)  # every timescale from the opening long passed

    reminded = {r.item.obligation.id for r in reminders_due(review, weeks_later, 3, ())}
    escalated = {item.obligation.id for item in escalations_due(review, weeks_later, 3, 5, ())}

    assert {"notification", "rapid_review", "agency_summary"} <= reminded
    assert "agency_summary" in escalated and "O2" in escalated
    assert not escalated & {"notification", "rapid_review"}
    [own] = [item for item in escalations_due(review, weeks_later, 3, 5, ()) if item.obligation.id == "agency_summary"]
    email = escalation_email(review, [own], weeks_later, BOOK, SETTINGS)
    assert email.subject == ("OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – LSCB-2026-014 – overdue: "
                             "Send the Home Office agency summary to the safeguarding partners")
    assert "- Send the Home Office agency summary to the safeguarding partners: due Thursday 5 March 2026" in email.text
    assert "(Local partnership procedures agency summaries)" in email.text
