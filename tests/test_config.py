"""Settings: clear errors naming the variable, and no unauthenticated bot on the network."""

import pytest

from bot.config import Settings, SettingsError


@pytest.mark.parametrize(("env", "message"), [
    ({"PORT": "eighty"}, "PORT must be a number"),
    ({"HOST": "0.0.0.0"}, "HOST=0.0.0.0 with no MicrosoftAppId"),
    ({"ADDRESS_BOOK_FILE": "/nonexistent/book.json"}, "ADDRESS_BOOK_FILE: cannot read"),
])
def test_unusable_settings_are_refused_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env).address_book()


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.2", "::1", "[::1]"])
def test_local_mode_accepts_any_loopback_address(host: str) -> None:
    assert Settings.from_env({"HOST": host}).is_local


def test_a_registered_bot_may_listen_on_every_interface() -> None:
    settings = Settings.from_env({"HOST": "0.0.0.0", "MicrosoftAppId": "11111111-2222-3333-4444-555555555555"})
    assert not settings.is_local
