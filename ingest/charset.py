"""Bytes → text for every document bantin reads, from the network or from a saved file.

One rule for both paths, so a page saved to disk reads exactly as it did over HTTP: a byte-order
mark wins; then the charset the server sent; then what the document declares (an XML
declaration, or a ``<meta charset>`` anywhere in the head, even after non-ASCII text such as a
Vietnamese ``<title>``); then valid UTF-8; then charset-normalizer's detection. The result is
NFC, the form every Vietnamese comparison in bantin expects.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

_LATIN = {"iso-8859-1", "latin-1", "latin1", "l1", "windows-1252", "cp1252", "us-ascii", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.I)
# Without a </head>, look this far for a <meta charset>: heads with inline scripts run long.
HEAD_SCAN_BYTES = 64 * 1024
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def bom_encoding(content: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces and the mark's length, or ``None``."""
    for bom, encoding in BOMS:
        if content.startswith(bom):
            return encoding, len(bom)
    return None


def looks_utf8(content: bytes) -> bool:
    """True when ``content`` has non-ASCII bytes and all of them form valid UTF-8."""
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _usable(charset: str | None, content: bytes) -> str | None:
    if not charset:
        return None
    charset = charset.strip().strip("\"'").lower()
    if charset in _LATIN and looks_utf8(content):
        # Declared latin-1 but valid UTF-8: Vietnamese cannot be written in latin-1 at all, so
        # the declaration is the mistake (a common misconfigured server default).
        return "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        return None
    return charset


def declared_charset(content: bytes) -> str | None:
    """The charset the document itself declares: XML declaration, else ``<meta>`` in the head."""
    xml = _XML_ENCODING.search(content[:1024])
    if xml:
        return xml.group(1).decode("ascii", "ignore")
    end = _HEAD_END.search(content, 0, HEAD_SCAN_BYTES * 4)
    head = content[: end.start() if end else HEAD_SCAN_BYTES]
    meta = _META_CHARSET.search(head)
    return meta.group(1).decode("ascii", "ignore") if meta else None


def _decode_raw(content: bytes, header_charset: str | None) -> str:
    bom = bom_encoding(content)
    if bom:
        encoding, length = bom
        return content[length:].decode(encoding, errors="replace")
    for charset in (_usable(header_charset, content),
                    _usable(declared_charset(content), content)):
        if charset and charset.replace("_", "-") not in ("utf-16", "utf-32"):
            try:
                return content.decode(charset)
            except UnicodeDecodeError:
                continue
    if looks_utf8(content) or content.isascii():
        return content.decode("utf-8")
    best = charset_normalizer.from_bytes(content).best()
    return str(best) if best is not None else content.decode("utf-8", errors="replace")


def decode(content: bytes, header_charset: str | None = None) -> str:
    """Bytes → NFC text: byte-order mark, header charset, declared charset, UTF-8, detection.

    A declared ``utf-16`` without a byte-order mark is ignored (a page that says so in ASCII
    bytes is not UTF-16); detection decides instead.
    """
    return unicodedata.normalize("NFC", _decode_raw(content, header_charset))
