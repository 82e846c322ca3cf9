"""Configuration: one TOML file, checked key by key before anything starts.

Where the file comes from: ``--config PATH``, else ``$BANTIN_CONFIG``, else ``./bantin.toml``
when it exists, else the built-in defaults. Secrets may come from the environment instead
(``BANTIN_TELEGRAM_TOKEN``, ``BANTIN_ZALO_TOKEN``, ``BANTIN_TELEGRAM_WEBHOOK_SECRET``,
``BANTIN_ZALO_WEBHOOK_SECRET``). A wrong key or value raises
``ConfigError`` with one line that names the file and the key; tokens never appear in it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from bantin import __version__
from bantin.timezones import DEFAULT_TIMEZONE

DEFAULT_FILE = "bantin.toml"
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
HIDDEN_KEYS = {"token", "webhook_secret"}


class ConfigError(Exception):
    """A config file that cannot be used; the message is the one line shown to the user."""


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _not_negative(value: Any) -> str | None:
    return None if value >= 0 else "must not be negative"


def _time_of_day(value: str) -> str | None:
    return None if _TIME.match(value) else "is not a time of day (HH:MM)"


def _timezone(value: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"is not a known time zone (e.g. {DEFAULT_TIMEZONE})"
    return None


def _http_url(value: str) -> str | None:
    return None if re.match(r"^https?://\S+$", value) else "is not an http(s) URL"


def _http_urls(values: list[str]) -> str | None:
    bad = [value for value in values if _http_url(value)]
    return f'has "{bad[0]}", which is not an http(s) URL' if bad else None


def _https_url_or_empty(value: str) -> str | None:
    if not value or re.match(r"^https://[^/\s]+\S*$", value):
        return None
    return "is not an https:// URL (the platforms deliver webhooks over HTTPS only)"


def _port(value: int) -> str | None:
    return None if 1 <= value <= 65535 else "is not a port number (1-65535)"


def _check(check: Callable[[Any], str | None]) -> dict[str, Any]:
    return {"check": check}


@dataclass
class StoreConfig:
    path: str = "bantin.db"


@dataclass
class IngestConfig:
    interval_minutes: int = field(default=15, metadata=_check(_positive))
    timeout_seconds: float = field(default=20, metadata=_check(_positive))
    user_agent: str = f"bantin/{__version__} (+https://example.org/contact)"
    max_per_host: int = field(default=2, metadata=_check(_positive))
    extract_processes: int = field(default=1, metadata=_check(_not_negative))
    pass_timeout_seconds: float = field(default=600, metadata=_check(_positive))
    allow_private: list[str] = field(default_factory=list, metadata=_check(_http_urls))


@dataclass
class SourceConfig:
    name: str
    feed: str = field(metadata=_check(_http_url))
    category: str = ""


@dataclass
class SummarizerConfig:
    sentences: int = field(default=2, metadata=_check(_positive))
    max_chars: int = field(default=400, metadata=_check(_positive))


@dataclass
class DigestConfig:
    default_time: str = field(default="07:00", metadata=_check(_time_of_day))
    timezone: str = field(default=DEFAULT_TIMEZONE, metadata=_check(_timezone))
    max_articles: int = field(default=8, metadata=_check(_positive))
    catch_up_hours: float = field(default=3, metadata=_check(_not_negative))
    send_when_empty: bool = False


@dataclass
class TelegramConfig:
    token: str = field(default="", repr=False)
    base_url: str = field(default="https://api.telegram.org/bot", metadata=_check(_http_url))
    moderator_chat_id: int = 0
    moderators: list[int] = field(default_factory=list)
    rate_limit_per_second: float = field(default=25, metadata=_check(_positive))
    webhook_url: str = field(default="", metadata=_check(_https_url_or_empty))
    webhook_secret: str = field(default="", repr=False)


@dataclass
class ZaloConfig:
    token: str = field(default="", repr=False)
    base_url: str = field(
        default="https://bot-api.zaloplatforms.com/bot", metadata=_check(_http_url)
    )
    rate_limit_per_second: float = field(default=20, metadata=_check(_positive))
    webhook_url: str = field(default="", metadata=_check(_https_url_or_empty))
    webhook_secret: str = field(default="", repr=False)


@dataclass
class WebhookConfig:
    listen: str = "127.0.0.1"
    port: int = field(default=8080, metadata=_check(_port))
    max_body_bytes: int = field(default=1_048_576, metadata=_check(_positive))


@dataclass
class ModerationConfig:
    feedback_per_hour: int = field(default=5, metadata=_check(_positive))
    max_feedback_chars: int = field(default=2000, metadata=_check(_positive))
    notify_approved: bool = True
    notify_rejected: bool = False


@dataclass
class Config:
    store: StoreConfig = field(default_factory=StoreConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    sources: list[SourceConfig] = field(default_factory=list)
    summarizer: SummarizerConfig = field(default_factory=SummarizerConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    zalo: ZaloConfig = field(default_factory=ZaloConfig)
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    moderation: ModerationConfig = field(default_factory=ModerationConfig)
    origin: str = field(default="built-in defaults", compare=False)


def _type_name(kind: Any) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
    if get_origin(kind) is list:
        return f"a list of {_type_name(get_args(kind)[0]).removeprefix('a ')}s"
    return names.get(kind, str(kind))


def _coerce(kind: Any, value: Any) -> Any:
    """Return ``value`` as ``kind`` or raise ``TypeError``; ints are accepted where floats are."""
    if get_origin(kind) is list:
        if not isinstance(value, list):
            raise TypeError
        return [_coerce(get_args(kind)[0], item) for item in value]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, bool):
        raise TypeError
    if not isinstance(value, kind):
        raise TypeError
    if kind is str:
        return unicodedata.normalize("NFC", value)
    return value


def _build(cls: type, table: Mapping[str, Any], where: str, origin: str) -> Any:
    """Build dataclass ``cls`` from a TOML table, naming the file and key on any error."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"config error: {origin}: {where} must be a table")
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise ConfigError(f"config error: {origin}: {where} {key}: unknown key (known: {known})")
        spec = fields[key]
        try:
            value = _coerce(hints[key], value)
        except TypeError:
            shown = "<hidden>" if key in HIDDEN_KEYS else repr(value)
            raise ConfigError(
                f"config error: {origin}: {where} {key}: {shown} is not {_type_name(hints[key])}"
            ) from None
        problem = spec.metadata.get("check", lambda _v: None)(value)
        if problem:
            shown = "<hidden>" if key in HIDDEN_KEYS else _show(value)
            raise ConfigError(f"config error: {origin}: {where} {key}: {shown} {problem}")
        values[key] = value
    missing = [
        f.name for f in fields.values()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        and f.name not in values
    ]
    if missing:
        raise ConfigError(f"config error: {origin}: {where} {missing[0]}: is required")
    return cls(**values)


def _show(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def from_mapping(data: Mapping[str, Any], origin: str) -> Config:
    """Check and build a ``Config`` from parsed TOML (``origin`` names it in errors)."""
    sections = {
        "store": StoreConfig, "ingest": IngestConfig, "summarizer": SummarizerConfig,
        "digest": DigestConfig, "telegram": TelegramConfig, "zalo": ZaloConfig,
        "webhook": WebhookConfig, "moderation": ModerationConfig,
    }
    built: dict[str, Any] = {}
    for name, value in data.items():
        if name == "sources":
            if not isinstance(value, list):
                raise ConfigError(f"config error: {origin}: sources must be written [[sources]]")
            built["sources"] = [
                _build(SourceConfig, item, f"[[sources]] #{i}", origin)
                for i, item in enumerate(value, start=1)
            ]
        elif name in sections:
            built[name] = _build(sections[name], value, f"[{name}]", origin)
        else:
            known = ", ".join(sorted([*sections, "sources"]))
            raise ConfigError(f"config error: {origin}: [{name}]: unknown section (known: {known})")
    names = [source.name for source in built.get("sources", [])]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ConfigError(
            f'config error: {origin}: [[sources]] name: "{duplicated[0]}" is used twice'
        )
    return Config(**built, origin=origin)


def _with_environment(config: Config, environ: Mapping[str, str]) -> Config:
    if environ.get("BANTIN_TELEGRAM_TOKEN"):
        config.telegram.token = environ["BANTIN_TELEGRAM_TOKEN"].strip()
    if environ.get("BANTIN_ZALO_TOKEN"):
        config.zalo.token = environ["BANTIN_ZALO_TOKEN"].strip()
    if environ.get("BANTIN_TELEGRAM_WEBHOOK_SECRET"):
        config.telegram.webhook_secret = environ["BANTIN_TELEGRAM_WEBHOOK_SECRET"].strip()
    if environ.get("BANTIN_ZALO_WEBHOOK_SECRET"):
        config.zalo.webhook_secret = environ["BANTIN_ZALO_WEBHOOK_SECRET"].strip()
    return config


def check_webhooks(config: Config) -> None:
    """Webhook settings that only make sense together (checked after the environment is read).

    A webhook without a secret would run whatever anyone posts to it, so a URL needs one; each
    platform has its own rules for the secret (Telegram: 1-256 of A-Z a-z 0-9 _ -; Zalo: 8-256
    characters).
    """
    origin = config.origin
    rules = (
        ("telegram", config.telegram.webhook_url, config.telegram.webhook_secret,
         lambda s: bool(_TELEGRAM_SECRET.match(s)),
         "must be 1-256 characters of A-Z, a-z, 0-9, _ and -"),
        ("zalo", config.zalo.webhook_url, config.zalo.webhook_secret,
         lambda s: 8 <= len(s) <= 256, "must be 8-256 characters"),
    )
    for section, url, secret, valid, rule in rules:
        if url and not secret:
            raise ConfigError(
                f"config error: {origin}: [{section}] webhook_secret: is required when "
                f"webhook_url is set (or set BANTIN_{section.upper()}_WEBHOOK_SECRET)")
        if secret and not valid(secret):
            raise ConfigError(
                f"config error: {origin}: [{section}] webhook_secret: <hidden> {rule}")
    paths = [urlsplit(url).path.rstrip("/") or f"/{section}"
             for section, url, *_ in rules if url]
    if len(paths) == 2 and paths[0] == paths[1]:
        raise ConfigError(
            f"config error: {origin}: [zalo] webhook_url: uses the same path as [telegram] "
            "webhook_url; give each platform its own path")


def find_config_file(explicit: str | None, environ: Mapping[str, str]) -> Path | None:
    if explicit:
        return Path(explicit)
    if environ.get("BANTIN_CONFIG"):
        return Path(environ["BANTIN_CONFIG"])
    default = Path(DEFAULT_FILE)
    return default if default.exists() else None


def load(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Load the config the way the CLI does; see the module docstring for the order."""
    environ = os.environ if environ is None else environ
    path = find_config_file(explicit, environ)
    if path is None:
        config = _with_environment(Config(), environ)
        check_webhooks(config)
        return config
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"config error: {path}: no such file") from None
    except OSError as error:
        raise ConfigError(f"config error: {path}: cannot be read ({error.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config error: {path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config error: {path}: not valid TOML ({error})") from None
    config = from_mapping(data, str(path))
    if not Path(config.store.path).is_absolute():
        # A relative store path is relative to the config file, so `--config` works from anywhere.
        config.store.path = str(path.parent / config.store.path)
    config = _with_environment(config, environ)
    check_webhooks(config)
    return config
