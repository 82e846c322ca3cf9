"""Configuration: one TOML file, checked key by key before anything starts.

Where the file comes from: ``--config PATH``, else ``$BANTIN_CONFIG``, else ``./bantin.toml``
when it exists, else the built-in defaults. Secrets may come from the environment instead
(``BANTIN_TELEGRAM_TOKEN``, ``BANTIN_ZALO_TOKEN``, ``BANTIN_TELEGRAM_WEBHOOK_SECRET``,
``BANTIN_ZALO_WEBHOOK_SECRET``). A wrong key or value raises
``ConfigError`` with one line that names the file and the key; tokens never appear in it.

Each setting is declared once, in the dataclass of the layer that uses it (``Config`` lists
them): a field is a config key when its metadata names the TOML table it is written in
(``{"table": "telegram"}``), optionally with the name of a check from ``CHECKS``
(``{"check": "positive"}``); a field with ``repr=False`` is a secret, shown as ``<hidden>`` in
errors. Other fields are the layer's own knobs, not configurable. The loader builds those very
objects, so ``Config.telegram`` is the ``TelegramSettings`` the transport runs with.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from bantin import __version__
from bantin.timezones import DEFAULT_TIMEZONE
from bot.engine.context import BotSettings, ModerationSettings
from bot.features.digests.settings import DigestSettings
from bot.transports.telegram import TelegramSettings
from bot.transports.webhook import WebhookSettings
from bot.transports.zalo import ZaloSettings
from ingest.fetch import FetchPolicy

DEFAULT_FILE = "bantin.toml"
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


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


# The checks a setting may name in its metadata (``{"check": "positive"}``): the layers name
# them rather than import them, since a layer must not import ``bantin``.
CHECKS: dict[str, Callable[[Any], str | None]] = {
    "positive": _positive, "not_negative": _not_negative, "time_of_day": _time_of_day,
    "timezone": _timezone, "http_url": _http_url, "http_urls": _http_urls,
    "https_url_or_empty": _https_url_or_empty, "port": _port,
}


@dataclass
class StoreConfig:
    """``[store]``: where the database is (``bantin.context`` opens it)."""

    path: str = field(default="bantin.db", metadata={"table": "store"})
    """The SQLite file; a relative path is relative to the config file."""


@dataclass
class IngestConfig:
    """``[ingest]``: how the pipeline (``bantin.pipeline``, ``bantin.scheduler``) fetches.

    ``timeout_seconds`` and ``max_per_host`` default to ``ingest.fetch.FetchPolicy``'s own
    values, which ``bantin.pipeline.fetch_policy`` hands them to."""

    interval_minutes: int = field(default=15, metadata={"table": "ingest", "check": "positive"})
    """Minutes between two ingest passes over all sources (``bantin run``)."""
    timeout_seconds: float = field(default=FetchPolicy.timeout,
                                   metadata={"table": "ingest", "check": "positive"})
    """One overall deadline per HTTP request (connect, headers and body)."""
    user_agent: str = field(default=f"bantin/{__version__} (+https://example.org/contact)",
                            metadata={"table": "ingest"})
    """Sent with every request; names an address where publishers can reach the operator."""
    max_per_host: int = field(default=FetchPolicy.max_per_host,
                              metadata={"table": "ingest", "check": "positive"})
    """Requests at once to one host."""
    extract_processes: int = field(default=1,
                                   metadata={"table": "ingest", "check": "not_negative"})
    """Worker processes that parse pages; 0 parses in bantin's own ingest thread."""
    pass_timeout_seconds: float = field(default=600,
                                        metadata={"table": "ingest", "check": "positive"})
    """What one whole ingest pass may spend fetching (never more than the interval)."""
    allow_private: list[str] = field(default_factory=list,
                                     metadata={"table": "ingest", "check": "http_urls"})
    """Further origins that may be on a private address, besides each feed's own."""


@dataclass
class SourceConfig:
    """One ``[[sources]]`` table: a feed the pipeline reads."""

    name: str = field(metadata={"table": "sources"})
    """The outlet's name, shown to readers as the article's source."""
    feed: str = field(metadata={"table": "sources", "check": "http_url"})
    """The RSS 2.0 or Atom feed's http(s) address."""
    category: str = field(default="", metadata={"table": "sources"})
    """A category for every item of this feed (digest topics match it)."""


@dataclass
class SummarizerConfig:
    """``[summarizer]``: the length of the summaries ``bantin.summaries`` asks for."""

    sentences: int = field(default=2, metadata={"table": "summarizer", "check": "positive"})
    """Sentences in each article's summary."""
    max_chars: int = field(default=400, metadata={"table": "summarizer", "check": "positive"})
    """Longest summary in characters; lower-ranked sentences are dropped to fit."""


@dataclass
class Config:
    """Every setting, each object the one its layer runs with (see the module docstring)."""

    store: StoreConfig = field(default_factory=StoreConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    sources: list[SourceConfig] = field(default_factory=list)
    summarizer: SummarizerConfig = field(default_factory=SummarizerConfig)
    bot: BotSettings = field(default_factory=BotSettings)  # [digest], [moderation], moderators
    digest: DigestSettings = field(default_factory=DigestSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    zalo: ZaloSettings = field(default_factory=ZaloSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)
    origin: str = field(default="built-in defaults", compare=False)

    def __post_init__(self) -> None:
        # The digests use the readers' time zone, ``[digest] timezone``, declared once (in
        # ``BotSettings``); ``DigestSettings.timezone`` is its copy for the digest sender.
        self.digest = dataclasses.replace(self.digest, timezone=self.bot.timezone)

    @property
    def moderation(self) -> ModerationSettings:
        """``[moderation]`` and the ``[telegram]`` moderators: part of the bot's settings."""
        return self.bot.moderation


SECTIONS = ("store", "ingest", "summarizer", "bot", "digest", "telegram", "zalo", "webhook")
"""The ``Config`` attributes built from the tables (``sources`` is a list, built apart)."""


@dataclass(frozen=True)
class Key:
    """One config key: the field that declares it, and the class it belongs to."""

    table: str
    owner: type
    spec: dataclasses.Field

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def secret(self) -> bool:
        return not self.spec.repr


def _is_settings(kind: Any) -> bool:
    return isinstance(kind, type) and dataclasses.is_dataclass(kind)


def keys_of(cls: type) -> Iterator[Key]:
    """Every config key declared by ``cls`` and the settings dataclasses nested in it."""
    hints = get_type_hints(cls)
    for spec in dataclasses.fields(cls):
        if _is_settings(hints[spec.name]):
            yield from keys_of(hints[spec.name])
        elif "table" in spec.metadata:
            yield Key(spec.metadata["table"], cls, spec)


@functools.cache
def all_keys() -> tuple[Key, ...]:
    """Every key of the config file, in the order of ``Config``'s sections."""
    hints = get_type_hints(Config)
    return tuple(key for section in (*SECTIONS, "sources")
                 for key in keys_of(get_args(hints[section])[0] if section == "sources"
                                    else hints[section]))


def _type_name(kind: Any) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
    if get_origin(kind) in (list, tuple):
        return f"a list of {_type_name(get_args(kind)[0]).removeprefix('a ')}s"
    return names.get(kind, str(kind))


def _coerce(kind: Any, value: Any) -> Any:
    """Return ``value`` as ``kind`` or raise ``TypeError``; ints are accepted where floats are.
    A TOML array is a ``list`` or a ``tuple[X, ...]`` (the frozen settings' lists)."""
    if get_origin(kind) in (list, tuple):
        if not isinstance(value, list):
            raise TypeError
        items = [_coerce(get_args(kind)[0], item) for item in value]
        return tuple(items) if get_origin(kind) is tuple else items
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, bool):
        raise TypeError
    if not isinstance(value, kind):
        raise TypeError
    if kind is str:
        return unicodedata.normalize("NFC", value)
    return value


def _show(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _value(key: Key, kind: Any, value: Any, where: str, origin: str) -> Any:
    """``value`` of ``key`` checked and typed, or ``ConfigError`` naming the file and key."""
    try:
        value = _coerce(kind, value)
    except TypeError:
        shown = "<hidden>" if key.secret else repr(value)
        raise ConfigError(
            f"config error: {origin}: {where} {key.name}: {shown} is not {_type_name(kind)}"
        ) from None
    problem = CHECKS[key.spec.metadata["check"]](value) if "check" in key.spec.metadata else None
    if problem:
        shown = "<hidden>" if key.secret else _show(value)
        raise ConfigError(f"config error: {origin}: {where} {key.name}: {shown} {problem}")
    return value


def _build(cls: type, tables: Mapping[str, Mapping[str, Any]], origin: str,
           where: str | None = None) -> Any:
    """Build settings dataclass ``cls`` from the tables its keys are written in (already known
    to hold no unknown key); ``where`` names a ``[[sources]]`` entry in errors."""
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(cls):
        kind = hints[spec.name]
        if _is_settings(kind):
            values[spec.name] = _build(kind, tables, origin)
            continue
        table = spec.metadata.get("table")
        if table is None:
            continue
        here = where or f"[{table}]"
        if spec.name in tables.get(table, {}):
            key = Key(table, cls, spec)
            values[spec.name] = _value(key, kind, tables[table][spec.name], here, origin)
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise ConfigError(f"config error: {origin}: {here} {spec.name}: is required")
    return cls(**values)


def _check_names(table: Mapping[str, Any], name: str, where: str, origin: str) -> None:
    """An unknown key in table ``name`` is named with the keys that table knows."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"config error: {origin}: {where} must be a table")
    known = sorted(key.name for key in all_keys() if key.table == name)
    for key in table:
        if key not in known:
            raise ConfigError(f"config error: {origin}: {where} {key}: unknown key "
                              f"(known: {', '.join(known)})")


def _sources(value: Any, origin: str) -> list[SourceConfig]:
    if not isinstance(value, list):
        raise ConfigError(f"config error: {origin}: sources must be written [[sources]]")
    sources = []
    for number, item in enumerate(value, start=1):
        where = f"[[sources]] #{number}"
        _check_names(item, "sources", where, origin)
        sources.append(_build(SourceConfig, {"sources": item}, origin, where))
    names = [source.name for source in sources]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ConfigError(
            f'config error: {origin}: [[sources]] name: "{duplicated[0]}" is used twice'
        )
    return sources


def from_mapping(data: Mapping[str, Any], origin: str) -> Config:
    """Check and build a ``Config`` from parsed TOML (``origin`` names it in errors)."""
    tables = {key.table for key in all_keys()} - {"sources"}
    for name, value in data.items():
        if name in tables:
            _check_names(value, name, f"[{name}]", origin)
        elif name != "sources":
            known = ", ".join(sorted([*tables, "sources"]))
            raise ConfigError(f"config error: {origin}: [{name}]: unknown section (known: {known})")
    hints = get_type_hints(Config)
    built = {section: _build(hints[section], data, origin) for section in SECTIONS}
    return Config(**built, sources=_sources(data.get("sources", []), origin), origin=origin)


def _from_environment(environ: Mapping[str, str], name: str, current: str) -> str:
    return environ[name].strip() if environ.get(name) else current


def _with_environment(config: Config, environ: Mapping[str, str]) -> Config:
    """The tokens and webhook secrets the environment sets, over the file's."""
    telegram, zalo = config.telegram, config.zalo
    config.telegram = dataclasses.replace(
        telegram, token=_from_environment(environ, "BANTIN_TELEGRAM_TOKEN", telegram.token),
        webhook_secret=_from_environment(environ, "BANTIN_TELEGRAM_WEBHOOK_SECRET",
                                         telegram.webhook_secret))
    config.zalo = dataclasses.replace(
        zalo, token=_from_environment(environ, "BANTIN_ZALO_TOKEN", zalo.token),
        webhook_secret=_from_environment(environ, "BANTIN_ZALO_WEBHOOK_SECRET",
                                         zalo.webhook_secret))
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
