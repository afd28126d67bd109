"""The address book config (RULES.md "People and places") and the configurable defaults."""

import copy
import json
from pathlib import Path

import pytest

from bot.review import AddressBook, AddressBookError, BusinessArea, ReviewSettings
from bot.review.address_book import normalise_email
from tests.review.helpers import BOOK, BOOK_DATA


def test_example_config_loads_lower_cased() -> None:
    assert BOOK.psu == "psu.mailbox@example.gov.uk"
    assert BOOK.areas[BusinessArea.BORDER_FORCE].scs_childrens_lead == "bf.childrens.lead@example.gov.uk"
    assert BOOK.allowed_domains == ("example.gov.uk",)


def _without(path: str) -> dict:
    data = copy.deepcopy(BOOK_DATA)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    del target[last]
    return data


@pytest.mark.parametrize(
    "missing",
    [
        "mailboxes.psu",
        "mailboxes.occ",
        "mailboxes.lessons_learned",
        "business_areas.ukvi",
        "business_areas.border_force.scs_lead",
        "business_areas.immigration_enforcement.scs_childrens_lead",
        "mailboxes",
        "business_areas",
    ],
)
def test_missing_keys_are_named(missing: str) -> None:
    with pytest.raises(AddressBookError, match=f"missing required key {missing}"):
        AddressBook.from_dict(_without(missing))


def test_bad_email_is_named() -> None:
    data = copy.deepcopy(BOOK_DATA)
    data["mailboxes"]["occ"] = "not an email"
    with pytest.raises(AddressBookError, match=r"mailboxes.occ: 'not an email' is not an email"):
        AddressBook.from_dict(data)


def test_addresses_outside_the_allowed_domains_are_refused() -> None:
    data = copy.deepcopy(BOOK_DATA)
    data["mailboxes"]["psu"] = "psu@gmail.com"
    with pytest.raises(AddressBookError, match="not in an allowed domain"):
        AddressBook.from_dict(data)
    assert BOOK.normalise("Someone@Sub.Example.gov.uk", "x") == "someone@sub.example.gov.uk"


def test_para_9_1_copy_imr_to_scs_leads_defaults_on_and_must_be_boolean() -> None:
    data = _without("copy_imr_to_scs_leads")
    assert AddressBook.from_dict(data).copy_imr_to_scs_leads is True
    data["copy_imr_to_scs_leads"] = "yes"
    with pytest.raises(AddressBookError, match="true or false"):
        AddressBook.from_dict(data)


def test_unknown_business_area_is_refused() -> None:
    data = copy.deepcopy(BOOK_DATA)
    data["business_areas"]["hmpo"] = data["business_areas"]["ukvi"]
    with pytest.raises(AddressBookError, match="unknown area"):
        AddressBook.from_dict(data)


def test_review_settings_example_and_validation() -> None:
    path = Path(__file__).parents[2] / "config" / "review_settings.example.json"
    assert ReviewSettings.from_dict(json.loads(path.read_text())) == ReviewSettings()
    with pytest.raises(ValueError, match="unknown review setting"):
        ReviewSettings.from_dict({"promptly": 2})
    with pytest.raises(ValueError, match="whole number"):
        ReviewSettings(promptly_working_days=-1)
    with pytest.raises(ValueError, match="OFFICIAL-SENSITIVE"):
        ReviewSettings(marking="official\nBcc: x")


def test_an_address_outside_the_allowed_domains_is_refused_in_plain_words() -> None:
    with pytest.raises(AddressBookError) as refused:
        normalise_email("someone@gmail.com", "Your work email", ("example.gov.uk", "homeoffice.gov.uk"))
    assert str(refused.value) == ("Your work email: someone@gmail.com is not in an allowed domain "
                                  "(example.gov.uk, homeoffice.gov.uk)")
