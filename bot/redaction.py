"""One rule for secrets in output: a bot token or webhook secret is never printed or logged.

Our own messages and every library's log records (python-telegram-bot writes the Bot API URL,
``…/bot<token>``, at DEBUG; httpx and aiohttp errors quote the URL) pass through ``redact``:

- every secret registered with ``register`` (the configured tokens and webhook secrets) is
  replaced wherever it appears: a token by its bot id before the colon, ``123:<hidden>``, and a
  secret by ``<hidden>``;
- anything shaped like a token after ``bot`` in a URL path (``/bot123:ABC…``) is cut the same
  way, so a token we were never told about (a typo in an environment variable) is hidden too;
- the text of a rejected token as python-telegram-bot quotes it (``The token `…` was
  rejected``) is hidden whatever it looks like.

``SecretFilter`` applies the rule to log records; ``install`` puts it on the root logger's
handlers, so every logger that propagates there is covered.
"""

from __future__ import annotations

import logging
import re
import threading

HIDDEN = "<hidden>"
MIN_SEARCHED = 4  # a shorter secret cannot be searched for without mangling ordinary text
_URL_TOKEN = re.compile(r"(/bot)([^/\s:]*):[^/\s'\"`]+")
_QUOTED_TOKEN = re.compile(r"(token `)([^`]*)(`)", re.IGNORECASE)

_lock = threading.Lock()
_secrets: dict[str, str] = {}


def shown_as(secret: str, *, token: bool) -> str:
    """How a secret may appear: a token as its bot id before the colon, anything else hidden."""
    if token and ":" in secret:
        bot_id = secret.split(":", 1)[0]
        if bot_id.isdigit():
            return f"{bot_id}:{HIDDEN}"
    return HIDDEN


def register(secret: str, *, token: bool = True) -> None:
    """Hide ``secret`` from now on (empty strings are ignored)."""
    secret = secret.strip()
    if secret:
        with _lock:
            _secrets[secret] = shown_as(secret, token=token)


def redact(text: str) -> str:
    """``text`` with every secret hidden (see the module docstring)."""
    if not text:
        return text
    with _lock:
        known = sorted(_secrets.items(), key=lambda item: -len(item[0]))
    for secret, shown in known:
        if len(secret) >= MIN_SEARCHED and secret in text:
            text = text.replace(secret, shown)
    text = _URL_TOKEN.sub(lambda m: f"{m[1]}{m[2]}:{HIDDEN}" if m[2] else f"{m[1]}{HIDDEN}",
                          text)
    return _QUOTED_TOKEN.sub(lambda m: f"{m[1]}{_quoted(m[2])}{m[3]}", text)


def _quoted(token: str) -> str:
    return token if HIDDEN in token else shown_as(token, token=True)


class SecretFilter(logging.Filter):
    """Rewrites each record's message, exception and stack text through ``redact``."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw text, hidden all the same
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> SecretFilter:
    """Put one ``SecretFilter`` on every handler of ``logger`` (the root by default)."""
    logger = logger or logging.getLogger()
    secret_filter = SecretFilter()
    for handler in logger.handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(secret_filter)
    logging.captureWarnings(True)  # asyncio and library warnings go through the same handlers
    return secret_filter
