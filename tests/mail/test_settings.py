"""Mail settings: out of the box a local outbox; Graph only when fully configured."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bot.config import SettingsError
from bot.directory import build_people_directory
from bot.graph_client import build_credential
from bot.graph_people import GraphPeople
from bot.mail import EmlOutboxSender, MailSettings, RetryPolicy, build_mail_sender
from bot.mail.factory import build_document_store
from bot.mail.graph_sender import GraphMailSender

SECRET_ENV = {
    "GRAPH_TENANT_ID": "00000000-0000-0000-0000-000000000001",
    "GRAPH_CLIENT_ID": "00000000-0000-0000-0000-000000000002",
    "GRAPH_CLIENT_SECRET": "not-a-real-secret",
    "MAIL_SENDER": "scr-notifications@homeoffice.example",
}


async def test_with_no_graph_variables_mail_goes_to_eml_files_under_the_data_dir(tmp_path: Path) -> None:
    settings = MailSettings.from_env({}, tmp_path)

    assert settings.graph is None
    assert settings.outbox_dir == tmp_path / "outbox"
    assert settings.sender == "scr-assistant@localhost"
    sender = build_mail_sender(settings)
    assert isinstance(sender, EmlOutboxSender) and sender.outbox_dir == tmp_path / "outbox"


def test_a_mail_sender_alone_is_used_as_the_local_from(tmp_path: Path) -> None:
    settings = MailSettings.from_env({"MAIL_SENDER": "scr@homeoffice.example"}, tmp_path)
    assert settings.graph is None and settings.sender == "scr@homeoffice.example"


async def test_a_client_secret_configures_graph(tmp_path: Path) -> None:
    settings = MailSettings.from_env(SECRET_ENV, tmp_path)

    assert settings.graph is not None
    assert settings.graph.base_url == "https://graph.microsoft.com/v1.0"
    assert isinstance(build_credential(settings.graph), ClientSecretCredential)
    sender = build_mail_sender(settings)
    assert isinstance(sender, GraphMailSender)
    await sender.close()
    # The organisation's directory signs in as mail does.
    people = build_people_directory(settings.graph)
    assert isinstance(people, GraphPeople)
    await people.close()


def _self_signed_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "scr-assistant-test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private + certificate.public_bytes(serialization.Encoding.PEM)


def test_a_certificate_configures_graph(tmp_path: Path) -> None:
    certificate = tmp_path / "app.pem"
    certificate.write_bytes(_self_signed_pem())
    env = {**SECRET_ENV, "GRAPH_CLIENT_SECRET": "", "GRAPH_CERTIFICATE_PATH": str(certificate)}

    settings = MailSettings.from_env(env, tmp_path)

    assert settings.graph is not None and settings.graph.certificate_path == certificate
    assert isinstance(build_credential(settings.graph), CertificateCredential)


def test_an_unreadable_certificate_fails_at_startup_naming_the_setting(tmp_path: Path) -> None:
    certificate = tmp_path / "app.pem"
    certificate.write_text("-----BEGIN PRIVATE KEY-----\n")
    env = {**SECRET_ENV, "GRAPH_CLIENT_SECRET": "", "GRAPH_CERTIFICATE_PATH": str(certificate)}
    settings = MailSettings.from_env(env, tmp_path)

    with pytest.raises(SettingsError, match="GRAPH_CERTIFICATE_PATH"):
        build_mail_sender(settings)


def test_a_managed_identity_needs_only_the_sender(tmp_path: Path) -> None:
    env = {"GRAPH_USE_MANAGED_IDENTITY": "true", "MAIL_SENDER": "scr@homeoffice.example"}

    settings = MailSettings.from_env(env, tmp_path)

    assert settings.graph is not None and settings.graph.use_managed_identity
    assert isinstance(build_credential(settings.graph), ManagedIdentityCredential)


def test_a_national_cloud_or_local_fake_base_url_is_kept(tmp_path: Path) -> None:
    env = {**SECRET_ENV, "GRAPH_BASE_URL": "https://graph.microsoft.us/v1.0/"}
    assert MailSettings.from_env(env, tmp_path).graph.base_url == "https://graph.microsoft.us/v1.0"  # type: ignore[union-attr]
    env = {**SECRET_ENV, "GRAPH_BASE_URL": "http://127.0.0.1:8123/v1.0"}
    assert MailSettings.from_env(env, tmp_path).graph.base_url == "http://127.0.0.1:8123/v1.0"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**SECRET_ENV, "MAIL_SENDER": ""}, "MAIL_SENDER"),
        ({**SECRET_ENV, "GRAPH_TENANT_ID": ""}, "GRAPH_TENANT_ID"),
        ({**SECRET_ENV, "GRAPH_CLIENT_ID": ""}, "GRAPH_CLIENT_ID"),
        ({"GRAPH_TENANT_ID": "t", "GRAPH_CLIENT_ID": "c"}, "GRAPH_CLIENT_SECRET"),
        ({**SECRET_ENV, "GRAPH_USE_MANAGED_IDENTITY": "true"}, "Set only one of"),
        ({**SECRET_ENV, "GRAPH_USE_MANAGED_IDENTITY": "maybe"}, "GRAPH_USE_MANAGED_IDENTITY"),
        (
            {**SECRET_ENV, "GRAPH_CLIENT_SECRET": "", "GRAPH_CERTIFICATE_PATH": "/nope.pem"},
            "GRAPH_CERTIFICATE_PATH",
        ),
        ({**SECRET_ENV, "GRAPH_BASE_URL": "http://graph.example/v1.0"}, "GRAPH_BASE_URL"),
        ({**SECRET_ENV, "MAIL_SENDER": "scr notifications"}, "MAIL_SENDER"),
    ],
)
def test_partial_or_wrong_config_names_the_variable(tmp_path: Path, env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        MailSettings.from_env(env, tmp_path)


def test_a_bot_without_graph_never_imports_msgraph(tmp_path: Path) -> None:
    # Checked in a fresh interpreter: this test process has long imported it.
    script = (
        "import sys, pathlib\n"
        "from bot.directory import build_people_directory\n"
        "from bot.mail import MailSettings, build_mail_sender\n"
        f"settings = MailSettings.from_env({{}}, pathlib.Path({str(tmp_path)!r}))\n"
        "build_mail_sender(settings)\n"
        "assert build_people_directory(settings.graph) is None\n"
        "assert not [name for name in sys.modules if name.startswith('msgraph')]\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", script], cwd=root, check=True, env={**os.environ, "PYTHONPATH": str(root)}
    )


def test_documents_live_under_the_data_dir_and_are_at_most_25_mb_by_default(tmp_path: Path) -> None:
    settings = MailSettings.from_env({}, tmp_path)

    assert settings.documents_dir == tmp_path / "documents"
    assert settings.max_attachment_bytes == 25 * 1024 * 1024
    documents = build_document_store(settings)
    assert (documents.root, documents.max_bytes) == (settings.documents_dir, settings.max_attachment_bytes)


def test_the_attachment_limit_is_a_setting_for_graph_too(tmp_path: Path) -> None:
    settings = MailSettings.from_env({**SECRET_ENV, "MAIL_MAX_ATTACHMENT_MB": "150"}, tmp_path)
    assert settings.max_attachment_bytes == 150 * 1024 * 1024


@pytest.mark.parametrize("raw", ["0", "151", "2.5", "lots", "-1"])
def test_an_attachment_limit_graph_could_not_send_is_refused(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SettingsError, match="MAIL_MAX_ATTACHMENT_MB must be a whole number of MB from 1 to 150"):
        MailSettings.from_env({"MAIL_MAX_ATTACHMENT_MB": raw}, tmp_path)


def test_an_emails_claim_lasts_300_s_unless_set_and_each_attempt_ends_well_within_it(tmp_path: Path) -> None:
    default = RetryPolicy.with_lease(MailSettings.from_env({}, tmp_path).lease_seconds)
    short = RetryPolicy.with_lease(MailSettings.from_env({"MAIL_LEASE_SECONDS": "10"}, tmp_path).lease_seconds)

    assert (default.lease, default.attempt_timeout) == (300, 120)
    assert (short.lease, short.attempt_timeout) == (10, 4)


@pytest.mark.parametrize("raw", ["4", "0", "2.5", "soon", "-300"])
def test_a_lease_too_short_or_not_whole_seconds_is_refused(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SettingsError, match="MAIL_LEASE_SECONDS must be a whole number of seconds, at least 5"):
        MailSettings.from_env({"MAIL_LEASE_SECONDS": raw}, tmp_path)
