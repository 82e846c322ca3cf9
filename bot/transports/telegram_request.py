"""python-telegram-bot's HTTP back-end on aiohttp, and what each failure means for a resend.

python-telegram-bot sends through a ``BaseRequest``; its default (``HTTPXRequest``) costs
about 3 ms of CPU per 3 KB digest on our 2-core machine, mostly httpx/httpcore/anyio
bookkeeping and percent-encoding every Vietnamese character of the form body. This
implementation of the same documented interface posts JSON (the Bot API accepts
``application/json`` for every method without files) over an aiohttp session and needs about
half that (see docs/benchmarks.md, "Digest fan-out"). aiohttp never retries a POST by itself.

Failures are raised as python-telegram-bot's own ``NetworkError`` / ``TimedOut`` so the library
(polling loop, rate limiter) treats them as before, in two families the transport tells apart:

- ``NotDelivered``: Telegram certainly did not act on the request: the connection could not be
  made, no pooled connection was free in time, or Telegram answered 5xx. Sending again cannot
  duplicate anything.
- ``FateUnknown``: the request may have arrived: the response did not come in time, or the
  connection broke after the request was written. Sending again may deliver it twice.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

JSON = "application/json"


class NotDelivered(NetworkError):
    """Telegram certainly did not act on the request: safe to send it again."""

    __slots__ = ()


class ConnectFailed(NotDelivered):
    """No connection to the Bot API could be made."""

    __slots__ = ()


class ConnectTimedOut(NotDelivered, TimedOut):
    """Connecting, or waiting for a free pooled connection, took too long."""

    __slots__ = ()


class ServerError(NotDelivered):
    """Telegram answered 5xx: the request was refused, not processed."""

    __slots__ = ()


class FateUnknown(NetworkError):
    """The request may have reached Telegram; sending it again may deliver it twice."""

    __slots__ = ()


class ReadTimedOut(FateUnknown, TimedOut):
    """The request was sent; no answer came within the read timeout."""

    __slots__ = ()


class AiohttpRequest(BaseRequest):
    """A ``BaseRequest`` on one ``aiohttp.ClientSession`` (made in ``initialize``: it needs the
    running loop), keeping at most ``connection_pool_size`` connections open."""

    def __init__(self, *, connection_pool_size: int = 64, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                timeout=aiohttp.ClientTimeout(total=None),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        read = self._read_timeout if _default(read_timeout) else read_timeout
        if files and self._media_timeout is not None:
            read = max(read or 0, self._media_timeout)  # aiohttp has no separate write timeout
        connect = self._connect_timeout if _default(connect_timeout) else connect_timeout
        pool = self._pool_timeout if _default(pool_timeout) else pool_timeout
        timeout = aiohttp.ClientTimeout(
            total=None, sock_read=read, sock_connect=connect,
            connect=None if connect is None or pool is None else connect + pool,
        )
        body, headers = _body(request_data)
        try:
            async with session.request(method, url, data=body, headers=headers,
                                       timeout=timeout) as response:
                payload = await response.read()
                status = response.status
        except aiohttp.ConnectionTimeoutError as error:
            raise ConnectTimedOut(f"connect timed out: {error}") from error
        except aiohttp.ClientConnectorError as error:
            raise ConnectFailed(f"cannot connect: {error}") from error
        except aiohttp.InvalidURL as error:
            raise ConnectFailed(f"invalid URL: {error}") from error
        except (aiohttp.SocketTimeoutError, asyncio.TimeoutError) as error:
            raise ReadTimedOut("timed out waiting for Telegram's answer") from error
        except (aiohttp.ClientError, OSError) as error:
            raise FateUnknown(f"connection lost: aiohttp.{type(error).__name__}: {error}") \
                from error
        if status >= 500:
            raise ServerError(_description(payload, status))
        return status, payload


_DEFAULT = type(BaseRequest.DEFAULT_NONE)


def _default(value: object) -> bool:
    """Whether python-telegram-bot left this timeout to the request's own default."""
    return isinstance(value, _DEFAULT)


def _body(request_data: RequestData | None) -> tuple[Any, dict[str, str] | None]:
    """JSON for ordinary calls; multipart form data when files are uploaded."""
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        return request_data.json_payload, {"Content-Type": JSON}
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        filename, content, *mimetype = upload
        form.add_field(name, content, filename=filename,
                       content_type=mimetype[0] if mimetype else None)
    return form, None


def _description(payload: bytes, status: int) -> str:
    """Telegram's own words for a 5xx answer, or the status line."""
    try:
        described = json.loads(payload).get("description")
    except (ValueError, AttributeError):
        described = None
    return f"{described or 'server error'} ({status})"


__all__ = ["AiohttpRequest", "ConnectFailed", "ConnectTimedOut", "FateUnknown", "NotDelivered",
           "ReadTimedOut", "ServerError"]
