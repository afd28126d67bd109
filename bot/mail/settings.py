"""Mail configuration from the environment.

With no Graph variables at all the bot writes `.eml` files under `DATA_DIR/outbox/`, so it works
out of the box; as soon as any Graph credential variable is set, the whole Graph configuration
must be complete, because a half-configured production bot silently writing files instead of
emailing people would be the worst outcome.

Documents that emails carry are kept under `DATA_DIR/documents/`, each at most
MAIL_MAX_ATTACHMENT_MB (default 25): Exchange Online refuses messages over 35 MB unless an
administrator raises that, and Graph attaches nothing over 150 MB.

MAIL_LEASE_SECONDS (default 300) is how long an instance's claim on an email lasts: if the
instance dies mid-send, another takes the email over once the claim has lapsed (and, the send
being idempotent, sends it at most once). Each attempt gets at most 40% of it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.config import SettingsError
from bot.documents.store import MEGABYTE

DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
LOCAL_DEFAULT_SENDER = "scr-assistant@localhost"
DEFAULT_MAX_ATTACHMENT_MB = 25
# Graph's own ceiling for one attachment, through an upload session.
GRAPH_MAX_ATTACHMENT_MB = 150
DEFAULT_LEASE_SECONDS = 300
# Shorter, and a slow mailbox would see its attempts cut off (a lease of 5 s allows 2 s each).
MIN_LEASE_SECONDS = 5

# Setting any of these (or GRAPH_USE_MANAGED_IDENTITY=true) means "use Graph"; GRAPH_BASE_URL or
# MAIL_SENDER alone do not.
_GRAPH_SWITCHES = ("GRAPH_TENANT_ID", "GRAPH_CLIENT_ID", "GRAPH_CLIENT_SECRET", "GRAPH_CERTIFICATE_PATH")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
# kiota sends tokens over plain http only to these hosts (the local fake Graph in tests).
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class GraphSettings:
    tenant_id: str
    client_id: str
    client_secret: str
    certificate_path: Path | None
    use_managed_identity: bool
    base_url: str


@dataclass(frozen=True)
class MailSettings:
    sender: str
    outbox_dir: Path
    graph: GraphSettings | None
    documents_dir: Path
    max_attachment_bytes: int
    lease_seconds: int

    @classmethod
    def from_env(cls, env: Mapping[str, str], data_dir: Path) -> "MailSettings":
        def value(name: str) -> str:
            return env.get(name, "").strip()

        sender = value("MAIL_SENDER")
        if sender and not _looks_like_address(sender):
            raise SettingsError(f"MAIL_SENDER must be an email address, not {sender!r}")
        outbox_dir = data_dir / "outbox"
        documents = (data_dir / "documents", _max_attachment_bytes(value("MAIL_MAX_ATTACHMENT_MB")),
                     _lease_seconds(value("MAIL_LEASE_SECONDS")))
        use_managed_identity = _flag("GRAPH_USE_MANAGED_IDENTITY", value("GRAPH_USE_MANAGED_IDENTITY"))
        if not use_managed_identity and not any(value(name) for name in _GRAPH_SWITCHES):
            return cls(sender or LOCAL_DEFAULT_SENDER, outbox_dir, None, *documents)

        credential_kinds = [
            name
            for name, chosen in (
                ("GRAPH_CLIENT_SECRET", bool(value("GRAPH_CLIENT_SECRET"))),
                ("GRAPH_CERTIFICATE_PATH", bool(value("GRAPH_CERTIFICATE_PATH"))),
                ("GRAPH_USE_MANAGED_IDENTITY", use_managed_identity),
            )
            if chosen
        ]
        if len(credential_kinds) > 1:
            raise SettingsError(
                f"Set only one of {', '.join(credential_kinds)} to choose how to sign in to Graph"
            )
        if not credential_kinds:
            raise SettingsError(
                "Graph is partly configured: set GRAPH_CLIENT_SECRET, GRAPH_CERTIFICATE_PATH "
                "or GRAPH_USE_MANAGED_IDENTITY=true"
            )
        required = ["MAIL_SENDER"]
        if not use_managed_identity:
            # A user-assigned managed identity may name GRAPH_CLIENT_ID; the others always need both.
            required += ["GRAPH_TENANT_ID", "GRAPH_CLIENT_ID"]
        missing = [name for name in required if not value(name)]
        if missing:
            raise SettingsError(f"Graph is partly configured: {', '.join(missing)} is not set")

        certificate_path = Path(value("GRAPH_CERTIFICATE_PATH")) if value("GRAPH_CERTIFICATE_PATH") else None
        if certificate_path is not None and not certificate_path.is_file():
            raise SettingsError(f"GRAPH_CERTIFICATE_PATH: no file at {certificate_path}")
        graph = GraphSettings(
            tenant_id=value("GRAPH_TENANT_ID"),
            client_id=value("GRAPH_CLIENT_ID"),
            client_secret=value("GRAPH_CLIENT_SECRET"),
            certificate_path=certificate_path,
            use_managed_identity=use_managed_identity,
            base_url=_base_url(value("GRAPH_BASE_URL") or DEFAULT_GRAPH_BASE_URL),
        )
        return cls(sender, outbox_dir, graph, *documents)


def _flag(name: str, raw: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _looks_like_address(value: str) -> bool:
    local, _, domain = value.partition("@")
    if not local or any(character.isspace() for character in value):
        return False
    return domain == "localhost" or "." in domain.strip(".")


def _max_attachment_bytes(raw: str) -> int:
    megabytes = raw or str(DEFAULT_MAX_ATTACHMENT_MB)
    if not megabytes.isdigit() or not 1 <= int(megabytes) <= GRAPH_MAX_ATTACHMENT_MB:
        raise SettingsError(
            f"MAIL_MAX_ATTACHMENT_MB must be a whole number of MB from 1 to {GRAPH_MAX_ATTACHMENT_MB}, not {raw!r}"
        )
    return int(megabytes) * MEGABYTE


def _lease_seconds(raw: str) -> int:
    seconds = raw or str(DEFAULT_LEASE_SECONDS)
    if not seconds.isdigit() or int(seconds) < MIN_LEASE_SECONDS:
        raise SettingsError(f"MAIL_LEASE_SECONDS must be a whole number of seconds, at least {MIN_LEASE_SECONDS}, "
                            f"not {raw!r}")
    return int(seconds)


def is_secure_url(url: str) -> bool:
    """https, or plain http to this machine (the local fake Graph in tests)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS)


def _base_url(raw: str) -> str:
    if not is_secure_url(raw):
        raise SettingsError(f"GRAPH_BASE_URL must be an https URL, not {raw!r}")
    return raw.rstrip("/")
