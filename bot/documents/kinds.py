"""Which documents the bot accepts, judged by their content as well as their name: a copy of an
IMR or a report is a PDF, a Word document (DOCX or DOC) or an OpenDocument text (ODT)."""

import io
import zipfile

_PDF = "application/pdf"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DOC = "application/msword"
_ODT = "application/vnd.oasis.opendocument.text"
_BY_EXTENSION = {".pdf": _PDF, ".docx": _DOCX, ".doc": _DOC, ".odt": _ODT}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_A_DOCUMENT = "Only PDF, Word (DOCX or DOC) and OpenDocument text (ODT) documents can be sent with the emails."


def document_type(content: bytes, name: str) -> str:
    """The content type of an accepted document, or ValueError saying what is accepted. The name's
    extension and the bytes must agree, so a renamed file is refused, not sent as something else."""
    extension = name[name.rfind("."):].lower() if "." in name else ""
    claimed = _BY_EXTENSION.get(extension)
    if claimed is None or _content_type(content) != claimed:
        raise ValueError(NOT_A_DOCUMENT)
    return claimed


def _content_type(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return _PDF
    if content.startswith(_OLE):
        return _DOC
    if content.startswith(b"PK\x03\x04"):
        return _zipped_type(content)
    return None


def _zipped_type(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT.encode():
                return _ODT
            if "word/document.xml" in names:
                return _DOCX
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None
