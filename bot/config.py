"""Settings from environment variables (and an optional `.env`), with embedded local defaults.

Bot Framework's usual names are kept (`MicrosoftAppId` …) so an existing Azure Bot registration
can be pointed at this app without translation.
"""

import ipaddress
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.review import AddressBook, AddressBookError, ReviewSettings
from bot.review.people import is_guid

# Without configuration the bot runs on the example address book (example.gov.uk mailboxes),
# so a first run works end to end and every email lands, harmlessly, in the local outbox.
EXAMPLE_ADDRESS_BOOK = Path(__file__).parents[1] / "config" / "address_book.example.json"
# Dot-separated labels of letters, digits and inner hyphens (RFC 1123).
_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*")


class SettingsError(ValueError):
    """A setting is present but unusable; the message names the variable."""


# The Bot Framework's kinds of app registration, as its configuration reads them (any case).
_APP_TYPES = ("multitenant", "singletenant", "userassignedmsi")


@dataclass(frozen=True)
class Settings:
    app_id: str
    app_password: str
    app_type: str
    app_tenant_id: str
    host: str
    port: int
    data_dir: Path
    address_book_file: Path
    review_settings_file: Path | None
    env: Mapping[str, str]
    allowed_tenant_ids: frozenset[str] = frozenset()
    # Hosts a Teams upload address (a person's OneDrive, for an exported history) may name.
    file_upload_hosts: tuple[str, ...] = ("sharepoint.com",)

    @property
    def is_local(self) -> bool:
        """With no app id the bot accepts unauthenticated local clients (Agents Playground)."""
        return not self.app_id

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        settings = cls._read(env)
        settings._check_app_type()
        if settings.is_local and not _is_loopback(settings.host):
            raise SettingsError(
                f"HOST={settings.host} with no MicrosoftAppId would let anyone on the network act as "
                "anyone: set MicrosoftAppId (and its password), or listen on localhost"
            )
        return settings

    def _check_app_type(self) -> None:
        """What the Bot Framework needs for each kind of app registration, checked here so a wrong
        setting stops the bot with one line naming it, not with the SDK's traceback on first use."""
        kind = self.app_type.lower()
        if kind not in _APP_TYPES:
            raise SettingsError(f"MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, "
                                f"not {self.app_type!r}")
        needed = {"MicrosoftAppId": self.app_id, "MicrosoftAppTenantId": self.app_tenant_id}
        if kind == "singletenant":
            needed["MicrosoftAppPassword"] = self.app_password
        if kind != "multitenant" and (missing := [name for name, value in needed.items() if not value.strip()]):
            raise SettingsError(f"MicrosoftAppType={self.app_type} needs {' and '.join(missing)}")

    @classmethod
    def _read(cls, env: Mapping[str, str]) -> "Settings":
        return cls(
            app_id=env.get("MicrosoftAppId", ""),
            app_password=env.get("MicrosoftAppPassword", ""),
            app_type=env.get("MicrosoftAppType", "MultiTenant"),
            app_tenant_id=env.get("MicrosoftAppTenantId", ""),
            host=_host(env.get("HOST", "localhost")),
            port=_port(env.get("PORT", "3978")),
            data_dir=Path(env.get("DATA_DIR", "./data")),
            address_book_file=Path(env.get("ADDRESS_BOOK_FILE") or EXAMPLE_ADDRESS_BOOK),
            review_settings_file=_optional_path(env.get("REVIEW_SETTINGS_FILE")),
            env=dict(env),
            allowed_tenant_ids=_tenant_ids(env.get("ALLOWED_TENANT_IDS", "")),
            file_upload_hosts=tuple(host.strip().lower() for host in
                                    env.get("FILE_UPLOAD_HOSTS", "sharepoint.com").split(",") if host.strip()),
        )

    @property
    def uses_example_address_book(self) -> bool:
        return self.address_book_file == EXAMPLE_ADDRESS_BOOK

    def address_book(self) -> AddressBook:
        try:
            return AddressBook.from_dict(_json_file(self.address_book_file, "ADDRESS_BOOK_FILE"))
        except AddressBookError as error:
            raise SettingsError(f"ADDRESS_BOOK_FILE {self.address_book_file}: {error}") from None

    def review_settings(self) -> ReviewSettings:
        if self.review_settings_file is None:
            return ReviewSettings()
        try:
            return ReviewSettings.from_dict(_json_file(self.review_settings_file, "REVIEW_SETTINGS_FILE"))
        except (TypeError, ValueError) as error:
            raise SettingsError(f"REVIEW_SETTINGS_FILE {self.review_settings_file}: {error}") from None


def _json_file(path: Path, variable: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"{variable}: cannot read {path} ({error.strerror})") from None
    except ValueError as error:
        raise SettingsError(f"{variable}: {path} is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{variable}: {path} must hold a JSON object")
    return data


def _is_loopback(host: str) -> bool:
    """Local mode has no authentication, so it must only ever be reachable from this machine."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host(raw: str) -> str:
    """An IP address or a DNS name, exactly: " 127.0.0.1" would otherwise pass the loopback check
    and then fail to resolve when the server starts."""
    name = raw[1:-1] if raw.startswith("[") and raw.endswith("]") else raw
    try:
        ipaddress.ip_address(name)
    except ValueError:
        if not _HOST_NAME.fullmatch(name):
            raise SettingsError(f"HOST must be a host name or an IP address, not {raw!r}") from None
    return name  # "[::1]" is how a URL writes an IPv6 address; the server binds "::1"


def _optional_path(raw: str | None) -> Path | None:
    return Path(raw) if raw else None


def _tenant_ids(raw: str) -> frozenset[str]:
    """Comma-separated Entra tenant ids (GUIDs); empty means any tenant."""
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    wrong = [tenant for tenant in ids if not is_guid(tenant)]
    if wrong:
        raise SettingsError(f"ALLOWED_TENANT_IDS must be tenant ids (GUIDs) separated by commas, not {wrong[0]!r}")
    return frozenset(tenant.lower() for tenant in ids)


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, not {raw!r}")
    return int(raw)


def load_settings(env_file: Path = Path(".env")) -> Settings:
    """The process environment wins over `.env`, as in every twelve-factor app."""
    merged = {key: value for key, value in dotenv_values(env_file).items() if value is not None}
    merged.update(os.environ)
    return Settings.from_env(merged)
