"""The documents store: content-hash names, owner-only files, whole files or none."""

import hashlib
import os
import stat
from pathlib import Path

import pytest

from bot.documents import DocumentRef, DocumentStore, DocumentTooLarge, DocumentUnavailable
from bot.documents.store import MEGABYTE

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture
def documents(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "data" / "documents", 25 * MEGABYTE)


def test_a_document_is_named_by_its_content_hash_and_read_back_whole(documents: DocumentStore) -> None:
    ref = documents.put(PDF, "IMR final.pdf", "application/pdf")

    digest = hashlib.sha256(PDF).hexdigest()
    assert ref == DocumentRef(digest, "IMR final.pdf", "application/pdf", len(PDF))
    assert [path.name for path in documents.root.iterdir()] == [digest]
    assert documents.read(ref) == PDF


def test_only_the_bots_user_may_read_documents(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    root.mkdir(mode=0o755)  # left open by someone else: tightened on the next write
    documents = DocumentStore(root, MEGABYTE)

    ref = documents.put(PDF, "IMR.pdf", "application/pdf")

    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / ref.sha256).stat().st_mode) == 0o600


def test_the_same_content_twice_is_one_file(documents: DocumentStore) -> None:
    first = documents.put(PDF, "IMR.pdf", "application/pdf")
    inode = (documents.root / first.sha256).stat().st_ino

    second = documents.put(PDF, "IMR copy.pdf", "application/pdf")

    assert second.sha256 == first.sha256 and second.name == "IMR copy.pdf"
    assert len(list(documents.root.iterdir())) == 1
    assert (documents.root / first.sha256).stat().st_ino == inode


def test_a_write_that_fails_half_way_leaves_no_file_and_no_temporary(
    documents: DocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def power_cut(_: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "fsync", power_cut)

    with pytest.raises(OSError, match="disk gone"):
        documents.put(PDF, "IMR.pdf", "application/pdf")

    assert list(documents.root.iterdir()) == []


def test_delete_removes_the_file_and_is_quiet_when_it_is_gone(documents: DocumentStore) -> None:
    ref = documents.put(PDF, "IMR.pdf", "application/pdf")

    documents.delete(ref)
    documents.delete(ref)

    assert list(documents.root.iterdir()) == []
    with pytest.raises(DocumentUnavailable, match="no longer stored"):
        documents.read(ref)


def test_a_damaged_file_is_never_read_as_the_document(documents: DocumentStore) -> None:
    ref = documents.put(PDF, "IMR.pdf", "application/pdf")
    path = documents.root / ref.sha256
    path.write_bytes(PDF[:-1] + b"!")

    with pytest.raises(DocumentUnavailable, match="damaged"):
        documents.read(ref)


def test_over_the_limit_is_refused_naming_the_limit_and_nothing_is_stored(tmp_path: Path) -> None:
    documents = DocumentStore(tmp_path / "documents", 2 * MEGABYTE)

    with pytest.raises(DocumentTooLarge, match="at most 2 MB") as raised:
        documents.put(b"x" * (2 * MEGABYTE + 1), "IMR.pdf", "application/pdf")

    assert raised.value.limit_bytes == 2 * MEGABYTE
    assert not documents.root.exists()
    assert documents.put(b"x" * 2 * MEGABYTE, "IMR.pdf", "application/pdf").size == 2 * MEGABYTE


@pytest.mark.parametrize(
    ("content", "name", "content_type", "problem"),
    [
        (b"", "IMR.pdf", "application/pdf", "empty"),
        (PDF, "../IMR.pdf", "application/pdf", "path separator"),
        (PDF, "IMR\r\nBcc: x@y.z.pdf", "application/pdf", "control character"),
        (PDF, "", "application/pdf", "1-255 characters"),
        (PDF, "IMR.pdf", "application/pdf; name=x", "type/subtype"),
    ],
)
def test_bad_documents_are_refused(
    documents: DocumentStore, content: bytes, name: str, content_type: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        documents.put(content, name, content_type)


def test_a_reference_must_name_a_hash() -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        DocumentRef("../../etc/passwd", "IMR.pdf", "application/pdf", 10)


@pytest.mark.parametrize(("size", "label"), [(1, "1 KB"), (340 * 1024, "340 KB"), (int(1.25 * MEGABYTE), "1.2 MB")])
def test_sizes_read_as_people_expect(size: int, label: str) -> None:
    assert DocumentRef("0" * 64, "IMR.pdf", "application/pdf", size).size_label == label
