"""Picks the mail adapter the settings ask for, and the documents store it reads attachments from."""

from bot.documents import DocumentStore
from bot.mail.eml_outbox import EmlOutboxSender
from bot.mail.sender import MailSender
from bot.mail.settings import MailSettings


def build_document_store(settings: MailSettings) -> DocumentStore:
    """The store documents are put into (from Teams) and read from (by the sender): both sides
    build it from the same settings, so they share one directory and one size limit."""
    return DocumentStore(settings.documents_dir, settings.max_attachment_bytes)


def build_mail_sender(settings: MailSettings) -> MailSender:
    documents = build_document_store(settings)
    if settings.graph is None:
        return EmlOutboxSender(settings.outbox_dir, settings.sender, documents)
    # Imported here so a bot without Graph never loads msgraph-sdk, which takes a second or more.
    from bot.graph_client import build_credential
    from bot.mail.graph_sender import GraphMailSender

    credential = build_credential(settings.graph)
    return GraphMailSender(settings.sender, credential, base_url=settings.graph.base_url, documents=documents)

