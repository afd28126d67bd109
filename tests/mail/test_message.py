import pytest

from bot.mail import OutgoingEmail


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
