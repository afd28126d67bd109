"""Reading an email's attachments out of the documents store, for either adapter."""

import asyncio

from bot.documents import DocumentRef, DocumentStore, DocumentUnavailable
from bot.mail.sender import PermanentMailError


async def read_attachment(documents: DocumentStore | None, document: DocumentRef, label: str) -> bytes:
    """The bytes of `document`; `label` ("attachment 1 of 2") names it in reasons, since its file
    name may identify a child. PermanentMailError when it cannot be had: no retry brings back a
    deleted or damaged document."""
    if documents is None:
        raise PermanentMailError(f"The mail sender has no documents store to read {label} from")
    try:
        # A document may be tens of MB; reading and hashing it must not stall the event loop.
        return await asyncio.to_thread(documents.read, document)
    except DocumentUnavailable as error:
        raise PermanentMailError(f"Cannot attach {label}: {error}") from None
