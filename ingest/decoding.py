"""Content-Encoding undone a small piece at a time, so a compression bomb cannot fill memory.

A 5 KB answer sent as ``Content-Encoding: gzip, gzip`` can unpack to gigabytes. httpx inflates
each received chunk whole before anyone can look at its size; here every layer inflates at most
``PIECE`` bytes per step and the caller stops as soon as the decoded total passes its cap.
At most ``MAX_LAYERS`` encodings are undone; only gzip and deflate are asked for and accepted.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

PIECE = 64 * 1024
MAX_LAYERS = 2
ACCEPT_ENCODING = "gzip, deflate"


class DecodingError(ValueError):
    """The body cannot be decoded: an unknown or too deep encoding, or corrupt data."""


class _Layer:
    """One gzip or deflate layer, inflated at most ``PIECE`` bytes per step."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # gzip: a gzip header; deflate: zlib-wrapped (auto-detected), raw deflate as a fallback.
        self._inflate = zlib.decompressobj(31 if encoding != "deflate" else 47)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                piece = self._inflate.decompress(data, PIECE)
            except zlib.error as error:
                if self.encoding == "deflate" and not self._started:
                    self._inflate = zlib.decompressobj(-15)
                    self._started = True
                    continue
                raise DecodingError(f"corrupt {self.encoding} data: {error}") from None
            self._started = True
            if piece:
                yield piece
            data = self._inflate.unconsumed_tail
            if not data and len(piece) < PIECE:
                return
            if self._inflate.eof:  # bytes after the end of the stream are ignored
                return


class BodyDecoder:
    """Undo a ``Content-Encoding`` header's layers, piece by piece, outermost first."""

    def __init__(self, content_encoding: str) -> None:
        names = [name.strip().lower() for name in content_encoding.split(",")]
        names = [name for name in names if name and name != "identity"]
        if len(names) > MAX_LAYERS:
            raise DecodingError(f"more than {MAX_LAYERS} content encodings ({content_encoding})")
        unknown = [name for name in names if name not in ("gzip", "x-gzip", "deflate")]
        if unknown:
            raise DecodingError(f"unsupported content encoding {unknown[0]!r}")
        # The header lists encodings in the order they were applied: undo the last first.
        self._layers = [_Layer(name) for name in reversed(names)]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of ``data``; each at most ``PIECE`` bytes when encoded."""
        yield from self._through(data, 0)

    def _through(self, data: bytes, depth: int) -> Iterator[bytes]:
        if depth == len(self._layers):
            if data:
                yield data
            return
        for piece in self._layers[depth].feed(data):
            yield from self._through(piece, depth + 1)
