"""The confirm and "review opened" cards: what was decided, why, and who is (being) told."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.review import (
    Eligibility,
    EventType,
    IndependenceFailure,
    Nation,
    Notification,
    Review,
    ReviewKind,
    Stage,
    next_steps,
)
from bot.review.frameworks import SCR_2016
from bot.review.opening import OpeningPlan
from bot.review.pack_events import registry_for
from bot.review.pack_schema import Duty, FrameworkPack, Timescale
from views.dates import long_day

# What each event is called on cards (the conversation layer's event catalogue provides it).
EventTitles = Mapping[EventType, str]

# What the criteria say of a statutory review (3.1.1), whatever kind was chosen: the kind is related
# to it after (6.1).
_HEADINGS = {
    Eligibility.MUST_HOLD: ("a {name} must be held", "attention"),
    Eligibility.SHOULD_CONSIDER: ("a {name} should be considered \u2014 the board decides", "warning"),
    Eligibility.NOT_MET: ("the criteria for a {name} are not met", "emphasis"),
}
# How the kind chosen stands to that outcome (6.1): an Independent (inter-agency) Management Review
# may be held rather than a full review at any outcome; an audit is for a case that does not meet them.
_IMR_KIND = "; the board may hold an Independent (inter-agency) Management Review rather than a full review (para 6.1)"
_AUDIT_KIND = {
    Eligibility.NOT_MET: "; the board may still hold a smaller-scale audit (para 6.1)",
    Eligibility.SHOULD_CONSIDER: ("; a smaller-scale audit is for a case that does not meet the criteria (para 6.1): "
                                  "the board decides"),
    Eligibility.MUST_HOLD: ("; a smaller-scale audit is for a case that does not meet the criteria (para 6.1), "
                            "and this one does"),
}


def _opening_dates(review: Review) -> tuple[tuple[str, str], ...]:
    """The dates the review was opened with. The chair's attention and the board's decision to
    proceed are the 2016 process's dates (O13, O12 from Working Together); a newer framework's own
    decision is one of its milestones, shown with the others."""
    dates = review.key_dates
    came = long_day(dates.came_to_chair_attention) if dates.came_to_chair_attention else ""
    if review.framework != SCR_2016:
        return ((f"Case came to the attention of the {review.board_kind}", came),)
    decided = long_day(dates.decision_to_proceed) if dates.decision_to_proceed else "not yet"
    return (("Came to the chair's attention", came), ("Decision to proceed", decided))


def review_facts(review: Review, titles: EventTitles) -> list[dict[str, str]]:
    facts = [
        ("Reference", review.reference),
        ("Review", review.review_name),
        # Under a newer framework, who holds the review by its own name ("Safeguarding partners").
        ("Board" if review.framework == SCR_2016 else review.board_kind[0].upper() + review.board_kind[1:],
         review.board_name),
        ("Nation", review.nation.label),
        ("Framework", f"{review.pack.name} ({review.framework}, version {review.framework_version})"),
        ("Business areas", ", ".join(area.label for area in review.business_areas)),
        *_opening_dates(review),
        # The milestones since, each on the day it happened (recorded late, or before the review was
        # opened here), so the card shows where the review has been as well as where it is.
        *((titles[entry.action], long_day(entry.on)) for entry in review.history
          if entry.action in titles and registry_for(review.framework)[entry.action].is_milestone
          and entry.action is not EventType.BOARD_DECISION),
    ]
    return [{"title": title, "value": value} for title, value in facts if value]


def _whose(timescale: Timescale) -> str:
    """The Home Office's own duty, or another body's that the representative watches."""
    if timescale.duty is Duty.HOME_OFFICE:
        return "yours"
    owner = timescale.owner
    possessive = "'" if owner.endswith("s") else "'s"
    return f"the {owner}{possessive}, to watch"


def _timescales(pack: FrameworkPack) -> str:
    return "; ".join(f"{t.title or t.id.replace('_', ' ').capitalize()}: {t.describe()} ({_whose(t)})"
                     for t in pack.timescales)


def _in_force(plan: OpeningPlan) -> list[dict[str, str]]:
    """Why the review follows its framework: the one in force for its nation and date, or another
    chosen with a reason (then the one in force is named too); and its timescales, each the
    representative's own or another body's to watch, "not set" where its sources fix none."""
    review, in_force, chosen = plan.review, plan.in_force, plan.framework
    why = (f"chosen rather than {in_force.name} ({in_force.id}), the framework in force, because {plan.reason.label}"
           if plan.reason else f"in force in {review.nation.label} for a case from that date")
    rows = [{"title": "Why this framework", "value": why[0].upper() + why[1:] + "."}]
    if chosen.timescales and review.framework != SCR_2016:
        rows.append({"title": "Its timescales", "value": _timescales(chosen) + "."})
    if chosen.triggers and review.framework != SCR_2016:
        rows.append({"title": "When it applies",
                     "value": " ".join(f"{t.text} ({chosen.citation(t.sources).text})" for t in chosen.triggers)})
    return rows


def _eligibility(plan: OpeningPlan) -> dict[str, Any]:
    outcome = plan.eligibility
    heading, style = _HEADINGS[outcome.result]
    # A framework with criteria of its own words its outcome (its pack); the source guidance's
    # are worded here.
    heading = outcome.heading or _source_guidance_heading(plan, heading)
    return {
        # The step its change link goes back to: the framework's own criteria, or the source guidance's.
        "step": "criteria" if plan.framework.criteria else "eligibility",
        "heading": heading,
        "style": style,
        "explanation": plan.eligibility.explanation,
        "reasons": "; ".join(reason.text for reason in plan.eligibility.reasons),
        "paragraphs": plan.eligibility.paragraphs.text,
    }


def _source_guidance_heading(plan: OpeningPlan, heading: str) -> str:
    review, result = plan.review, plan.eligibility.result
    heading = heading.format(name=ReviewKind.STATUTORY.review_name(review.nation))
    if review.nation is not Nation.ENGLAND:
        # The criteria are England's; 2.1 says only that the other nations' processes are similar.
        heading = (f"under England's criteria, {heading} \u2014 {review.nation.label}'s own process is similar "
                   "(para 2.1)")
    if review.kind is ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW:
        heading += _IMR_KIND
    elif review.kind is ReviewKind.SMALLER_SCALE_AUDIT:
        heading += _AUDIT_KIND[result]
    if review.framework != SCR_2016:
        # A newer framework without criteria of its own is given the source guidance's (3.1.1) as a
        # guide only; the pack's trigger ("When it applies") is what its decider goes by.
        heading = (f"a guide only — under the 2016 criteria, {heading}; the {plan.framework.name} follows "
                   "its own (When it applies)")
    return heading


def independence_rows(rules: tuple[IndependenceFailure, ...]) -> list[dict[str, str]]:
    return [{"rule_id": f.rule_id, "message": f.message, "next_step": f.next_step.rstrip("."),
             "paragraphs": f.paragraphs.text} for f in rules]


def _independence(plan: OpeningPlan, confirming: bool) -> dict[str, Any]:
    warnings = independence_rows(plan.independence.warnings)
    if plan.independence.passed:
        return {"heading": "independence confirmed" + (", with a warning" if warnings else ""),
                "style": "warning" if warnings else "good", "failures": [], "warnings": warnings,
                "consequence": ("You will be recorded" if confirming else "You are recorded")
                + f" as the Home Office representative {plan.review.words.seat}."}
    return {
        "heading": "cannot be recorded",
        "style": "attention",
        "failures": independence_rows(plan.independence.failures),
        "warnings": warnings,
        "consequence": (
            ("You will not be recorded as the representative. The review still opens"
             if confirming else "You have not been recorded as the representative. The review is open")
            + " so that the people who must be told at the beginning are told (para 1.1); record the "
            "representative once someone who meets every rule is nominated."
        ),
    }


def email_rows(notifications: tuple[Notification, ...]) -> list[dict[str, str]]:
    return [
        {"subject": email.subject, "to": ", ".join(email.recipients),
         "paragraphs": email.paragraphs.text}
        for email in notifications
    ]


def _stage(review: Review, confirming: bool) -> list[dict[str, str]]:
    """The stage it opens at, said outright: a date of the board's decision puts it past the referral
    whatever stage was chosen, and the card says so rather than changing it silently."""
    stage = review.stage.label
    decided = review.key_dates.decision_to_proceed
    if decided and review.stage is Stage.DECISION:
        stage += (f" \u2014 not referred: a date of the board's decision was given ({long_day(decided)}), so the "
                  "board has decided")
    return [{"title": "Opens at" if confirming else "Stage", "value": stage}]


def opening_card_data(plan: OpeningPlan, titles: EventTitles, *, confirming: bool, today: date) -> dict[str, Any]:
    count = len(plan.notifications)
    emails = "email" if count == 1 else "emails"
    return {
        "confirming": confirming,
        "title": "Check and confirm" if confirming else f"Review {plan.review.reference} opened",
        "facts": review_facts(plan.review, titles) + _stage(plan.review, confirming) + _in_force(plan),
        "eligibility": _eligibility(plan),
        "independence": _independence(plan, confirming),
        "emails_heading": (f"{count} {emails} will be sent when you confirm" if confirming
                           else f"{count} {emails} queued for sending"),
        "emails": email_rows(plan.notifications),
        "confirm_title": f"Open the review and send {count} {emails}",
        "next_steps": [] if confirming else [
            {"text": step.text, "paragraphs": step.paragraphs.text}
            # Just queued, so none of its emails can have failed yet: they show as being sent.
            for step in next_steps(plan.review, today, failed_emails=())
        ],
        "review_id": "" if confirming else plan.review.id,
        "refused": "",  # why confirming was refused, when it was (the dialog says)
    }
