import pytest

from bot.documents import DocumentRef
from bot.mail import OutgoingEmail
from bot.mail.message import ATTACHED_MARKER, LINKS_HEADING, Link


def _email(**changes: object) -> OutgoingEmail:
    fields: dict[str, object] = {
        "key": "R1:O1:1",
        "to": ("lead@homeoffice.example",),
        "subject": "Serious Case Review R1: action needed",
        "text": "t",
        "html": "<p>t</p>",
    }
    return OutgoingEmail(**{**fields, **changes})  # type: ignore[arg-type]


def test_every_subject_must_say_serious_case_review() -> None:
    with pytest.raises(ValueError, match=r"1\.8"):
        _email(subject="Action needed")


@pytest.mark.parametrize("key", ["", "R1\r\nBcc: x@y.z", "R1 O1", "x" * 201, "R1'O1"])
def test_keys_cannot_inject_headers_or_break_a_graph_filter(key: str) -> None:
    with pytest.raises(ValueError, match="key"):
        _email(key=key)


@pytest.mark.parametrize("to", [(), ("not-an-address",), ("a@b.c\nBcc: d@e.f",)])
def test_recipients_must_be_addresses(to: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="recipient"):
        _email(to=to)


def test_a_subject_is_one_line() -> None:
    with pytest.raises(ValueError, match="one line"):
        _email(subject="Serious Case Review\nBcc: x@y.z")


REPORT = DocumentRef("a" * 64, "Overview report <final>.pdf", "application/pdf", 2 * 1024 * 1024)
LINK = Link("Executive summary", "https://homeoffice.sharepoint.com/sites/scr/summary.pdf?a=1&b=2")


@pytest.mark.parametrize(
    "body", [{"text": "Attached to this email: the IMR"}, {"html": "<p>attached to this email: the IMR</p>"}]
)
def test_a_body_saying_it_carries_a_document_is_refused(body: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="may not say 'Attached to this email'"):
        _email(**body)
    # Carrying one does not let the caller word the list: it is written from the attachments.
    with pytest.raises(ValueError, match="may not say"):
        _email(attachments=(REPORT,), **body)


def test_what_an_email_carries_is_listed_in_both_bodies() -> None:
    email = _email(attachments=(REPORT,), links=(LINK,))

    assert email.text_body == (
        "t\n\n"
        f"{ATTACHED_MARKER}:\n- Overview report <final>.pdf (2.0 MB)\n\n"
        f"{LINKS_HEADING}:\n- Executive summary: <https://homeoffice.sharepoint.com/sites/scr/summary.pdf?a=1&b=2>"
    )
    assert email.html_body == (
        "<p>t</p>"
        f"<p><strong>{ATTACHED_MARKER}:</strong></p><ul><li>Overview report &lt;final&gt;.pdf (2.0 MB)</li></ul>"
        f"<p><strong>{LINKS_HEADING}:</strong></p><ul><li>"
        '<a href="https://homeoffice.sharepoint.com/sites/scr/summary.pdf?a=1&amp;b=2">Executive summary</a>'
        "</li></ul>"
    )


def test_an_email_carrying_nothing_says_nothing_about_attachments() -> None:
    email = _email()
    assert (email.text_body, email.html_body) == ("t", "<p>t</p>")


@pytest.mark.parametrize(
    "url",
    ["http://homeoffice.sharepoint.com/x", "javascript:alert(1)", "https:///x", "https://a.example/x y", "ftp://a/b"],
)
def test_a_link_is_an_https_url(url: str) -> None:
    with pytest.raises(ValueError, match="https URL"):
        Link("Report", url)


@pytest.mark.parametrize("title", ["", "  ", "Report\nBcc: x@y.z"])
def test_a_link_title_is_one_line(title: str) -> None:
    with pytest.raises(ValueError, match="title"):
        Link(title, "https://homeoffice.sharepoint.com/x")


def test_two_attachments_cannot_share_a_name() -> None:
    with pytest.raises(ValueError, match="same name"):
        _email(attachments=(REPORT, DocumentRef("b" * 64, REPORT.name, "application/pdf", 10)))


@pytest.mark.parametrize("reply_to", [("not-an-address",), ("a@b.c\r\nBcc: d@e.f",)])
def test_reply_to_must_be_addresses(reply_to: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="Reply-To"):
        _email(reply_to=reply_to)
