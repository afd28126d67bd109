"""Settings: clear errors naming the variable, and no unauthenticated bot on the network."""

import socket
from pathlib import Path

import pytest

from bot.config import Settings, SettingsError
from tests.app_process import start_and_stop


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


def _free_port() -> int:
    """A port nothing listens on (a DATA_DIR error must be reached, so the app must be able to bind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(("env", "message"), [
    ({"HOST": " 127.0.0.1"}, "Configuration error: HOST must be a host name or an IP address, not ' 127.0.0.1'"),
    ({"HOST": "192.0.2.1", "MicrosoftAppId": "11111111-2222-3333-4444-555555555555"},
     "Configuration error: cannot listen on HOST=192.0.2.1"),
    ({}, "Configuration error: cannot listen on HOST=127.0.0.1"),  # the port is taken
    ({"PORT": "eighty"}, "Configuration error: PORT must be a number"),
    ({"DATA_DIR": "/proc/no-such-dir", "PORT": str(_free_port())}, "Configuration error: DATA_DIR"),
    ({"MicrosoftAppId": "11111111-2222-3333-4444-555555555555", "MicrosoftAppPassword": "x",
      "MicrosoftAppType": "SingleTenant"},
     "Configuration error: MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId"),
    ({"MicrosoftAppId": "11111111-2222-3333-4444-555555555555", "MicrosoftAppType": "Foo"},
     "Configuration error: MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, not 'Foo'"),
    ({"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": "contoso.onmicrosoft.com"},
     "Configuration error: MicrosoftAppType=UserAssignedMSI needs MicrosoftAppId"),
], ids=["host-with-a-space", "host-not-here", "port-taken", "port-not-a-number", "data-dir-unusable",
        "single-tenant-without-tenant", "unknown-app-type", "managed-identity-without-app-id"])
def test_a_configuration_error_at_start_up_is_one_plain_message_never_a_traceback(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    done = start_and_stop(tmp_path, **env)

    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_copy_that_cannot_listen_starts_nothing(tmp_path: Path) -> None:
    """Its port taken by another copy, the app stops before it opens the store, so its reminder
    loop and mail worker never run (they would send before it died)."""
    done = start_and_stop(tmp_path)

    assert "cannot listen" in done.stderr
    assert not (tmp_path / "data").exists()
