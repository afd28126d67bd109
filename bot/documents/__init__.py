"""Documents the bot emails: stored by content hash under `DATA_DIR/documents/` (see store.py)."""

from bot.documents.store import DocumentError, DocumentRef, DocumentStore, DocumentTooLarge, DocumentUnavailable

__all__ = ["DocumentError", "DocumentRef", "DocumentStore", "DocumentTooLarge", "DocumentUnavailable"]
