"""Picks the mail adapter the settings ask for."""

from bot.mail.eml_outbox import EmlOutboxSender
from bot.mail.sender import MailSender
from bot.mail.settings import MailSettings


def build_mail_sender(settings: MailSettings) -> MailSender:
    if settings.graph is None:
        return EmlOutboxSender(settings.outbox_dir, settings.sender)
    # Imported here so a bot without Graph never loads msgraph-sdk, which takes a second or more.
    from bot.mail.graph_sender import GraphMailSender, build_credential

    credential = build_credential(settings.graph)
    return GraphMailSender(settings.sender, credential, base_url=settings.graph.base_url)
