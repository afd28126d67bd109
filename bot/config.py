"""Settings from environment variables (and an optional `.env`), with embedded local defaults.

Bot Framework's usual names are kept (`MicrosoftAppId` …) so an existing Azure Bot registration
can be pointed at this app without translation.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values


class SettingsError(ValueError):
    """A setting is present but unusable; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    app_id: str
    app_password: str
    app_type: str
    app_tenant_id: str
    host: str
    port: int
    data_dir: Path
    env: Mapping[str, str]

    @property
    def is_local(self) -> bool:
        """With no app id the bot accepts unauthenticated local clients (Agents Playground)."""
        return not self.app_id

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Settings":
        return cls(
            app_id=env.get("MicrosoftAppId", ""),
            app_password=env.get("MicrosoftAppPassword", ""),
            app_type=env.get("MicrosoftAppType", "MultiTenant"),
            app_tenant_id=env.get("MicrosoftAppTenantId", ""),
            host=env.get("HOST", "localhost"),
            port=_port(env.get("PORT", "3978")),
            data_dir=Path(env.get("DATA_DIR", "./data")),
            env=dict(env),
        )


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, not {raw!r}")
    return int(raw)


def load_settings(env_file: Path = Path(".env")) -> Settings:
    """The process environment wins over `.env`, as in every twelve-factor app."""
    merged = {key: value for key, value in dotenv_values(env_file).items() if value is not None}
    merged.update(os.environ)
    return Settings.from_env(merged)
