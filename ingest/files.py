"""What a saved file is, read once: the one detection ``ingest --file``, ``extract`` and
``summarize`` share.

The kind comes from the content, not the name: a page saved as ``.txt`` is still a page, and a
feed saved as ``.html`` is still a feed. Text is decoded by ``ingest.charset`` exactly as the
network path decodes a response, so lxml never guesses an encoding from raw bytes. Files that
cannot be an article (binary, empty, unreadable, a folder) come back with the reason a person
needs, never an exception.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ingest.charset import bom_encoding, decode

FileKind = Literal["html", "feed", "text", "jsonl", "binary", "empty", "unreadable",
                   "directory", "missing"]
READABLE: tuple[FileKind, ...] = ("html", "feed", "text", "jsonl")
MAX_FILE_BYTES = 50 * 1024 * 1024

_BINARY_MAGIC = (
    b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"BZh",
    b"\xfd7zXZ", b"SQLite format 3", b"\x7fELF", b"RIFF", b"OggS", b"ID3", b"7z\xbc\xaf",
)
_LEADING_NOISE = re.compile(r"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.I | re.S)
_FEED_ROOT = re.compile(r"^<(?:rss|feed|rdf:RDF|rdf)[\s>]", re.I)
_HTML_START = re.compile(
    r"^<(?:html|head|body|meta|title|link|div|article|main|section|header|p|h1|script|style)"
    r"[\s>/]", re.I)
_DOCTYPE_HTML = re.compile(r"<!DOCTYPE\s+html", re.I)


@dataclass
class SavedFile:
    """A file as bantin reads it: its kind, its decoded text (readable kinds) or the reason
    (a predicate: "is empty", "does not exist", so that "PATH reason" reads as a sentence)."""

    path: Path
    kind: FileKind
    text: str = ""
    reason: str = ""

    @property
    def readable(self) -> bool:
        return self.kind in READABLE


def looks_binary(content: bytes) -> bool:
    """Bytes that are no text document: a known file signature, or NUL and control bytes."""
    if bom_encoding(content):
        return False  # UTF-16/32 text has NUL bytes, and announces itself with a BOM
    if content.startswith(_BINARY_MAGIC):
        return True
    sample = content[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls > len(sample) // 100


def text_kind(text: str) -> FileKind:
    """A decoded document's kind: an RSS/Atom feed, an HTML page, a JSONL batch, or plain text."""
    start = _LEADING_NOISE.sub("", text[:4096], count=1)
    if _FEED_ROOT.match(start):
        return "feed"
    if _HTML_START.match(start) or _DOCTYPE_HTML.search(text[:1024]):
        return "html"
    if start.startswith("{") and _first_line_is_object(text):
        return "jsonl"
    return "text"


def _first_line_is_object(text: str) -> bool:
    for line in text.splitlines():
        if line.strip():
            try:
                return isinstance(json.loads(line), dict)
            except ValueError:
                return False
    return False


def read_saved_file(path: str | Path) -> SavedFile:
    """Read and classify ``path``; never raises for a bad file, the reason says what is wrong."""
    path = Path(path)
    if path.is_dir():
        return SavedFile(path, "directory", reason="is a folder, not a file")
    if not path.exists():
        return SavedFile(path, "missing", reason="does not exist")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return SavedFile(path, "unreadable",
                             reason=f"is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
        content = path.read_bytes()
    except OSError as error:
        return SavedFile(path, "unreadable", reason=f"cannot be read ({error.strerror or error})")
    return classify_bytes(content, path)


def classify_bytes(content: bytes, path: str | Path = "-") -> SavedFile:
    """Classify and decode bytes already read (a file, or standard input as ``-``)."""
    path = Path(path)
    if not content.strip():
        return SavedFile(path, "empty", reason="is empty")
    if looks_binary(content):
        return SavedFile(path, "binary", reason="is a binary file, not text, HTML or a feed")
    text = decode(content)
    if not text.strip(" \t\r\n\ufeff"):
        return SavedFile(path, "empty", reason="is empty")
    return SavedFile(path, text_kind(text), text=text)
