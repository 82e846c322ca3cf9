"""Config loading: the example documents every key, and every mistake is named."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from bantin import __version__
from bantin.config import Config, ConfigError, all_keys, from_mapping, load

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bantin.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_example_config_is_valid_and_equals_the_defaults() -> None:
    data = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    config = from_mapping(data, "config.example.toml")
    assert config == Config(), "config.example.toml shows a value that is not the default"


def test_example_config_documents_every_key() -> None:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for key in all_keys():
        header = "[[sources]]" if key.table == "sources" else f"[{key.table}]"
        assert header in text, header
        prefix = "# " if key.table == "sources" else ""  # the example's sources are comments
        assert re.search(rf"^{prefix}{key.name} = ", text, re.M), f"{header} {key.name}"


def readme_defaults() -> dict[tuple[str, str], str]:
    """The configuration table of README.md: (table, key) → the default it documents."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `\[\[?(\w+)\]\]? (\w+)` \| (.+?) \|", text, re.M)
    return {(table, key): default for table, key, default in rows}


def test_the_readme_documents_every_key_and_only_those() -> None:
    assert set(readme_defaults()) == {(key.table, key.name) for key in all_keys()}


@pytest.mark.parametrize("source", ["empty file", "config.example.toml"])
def test_every_key_loads_with_the_default_the_readme_documents(source: str, tmp_path: Path) -> None:
    """An empty config and the example both give each key the README's default."""
    text = "" if source == "empty file" else (ROOT / "config.example.toml").read_text("utf-8")
    config = load(write(tmp_path, text), environ={})
    objects = {type(o): o for o in (config.store, config.ingest, config.summarizer, config.bot,
                                    config.moderation, config.digest, config.telegram,
                                    config.zalo, config.webhook)}
    keys = {(key.table, key.name): key for key in all_keys()}
    for (table, key), documented in readme_defaults().items():
        if table == "sources":
            assert documented in ("required", '`""`'), key
            continue
        shown = documented.strip("`").replace("<version>", __version__)
        expected = tomllib.loads(f"value = {shown}")["value"]
        value = getattr(objects[keys[table, key].owner], key)
        if table == "store":
            value = Path(value).name  # made relative to the config file
        if isinstance(value, tuple):  # a TOML array, kept as a tuple by frozen settings
            value = list(value)
        same_kind = isinstance(value, bool) == isinstance(expected, bool)  # True == 1 else
        assert value == expected and same_kind, (
            f"[{table}] {key}: loads as {value!r}, the README says {documented}")
    assert config.digest.timezone == config.bot.timezone == "Asia/Ho_Chi_Minh"


def test_defaults_without_any_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load(None, environ={})
    assert config.store.path == "bantin.db"
    assert config.digest.timezone == "Asia/Ho_Chi_Minh"


def test_bantin_toml_in_the_working_folder_is_used(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, "[digest]\nmax_articles = 3\n")
    monkeypatch.chdir(tmp_path)
    assert load(None, environ={}).digest.max_articles == 3


def test_environment_variable_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[summarizer]\nsentences = 3\n")
    assert load(None, environ={"BANTIN_CONFIG": path}).summarizer.sentences == 3


def test_tokens_come_from_the_environment(tmp_path: Path) -> None:
    config = load(None, environ={"BANTIN_TELEGRAM_TOKEN": "1:abc", "BANTIN_ZALO_TOKEN": "2:def",
                                 "BANTIN_CONFIG": write(tmp_path, "")})
    assert (config.telegram.token, config.zalo.token) == ("1:abc", "2:def")
    assert "1:abc" not in repr(config)


def test_sources_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[sources]]\nname = "Báo Hà Tĩnh"\nfeed = "https://baohatinh.vn/rss/home.rss"\n'
        '[[sources]]\nname = "Dân trí"\nfeed = "https://dantri.com.vn/rss/home.rss"\n',
    )
    assert [s.name for s in load(path, environ={}).sources] == ["Báo Hà Tĩnh", "Dân trí"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[digest]\ndefault_time = "25:00"\n',
         '[digest] default_time: "25:00" is not a time of day (HH:MM)'),
        ("[digest]\nmax_articles = 0\n", "[digest] max_articles: 0 must be greater than 0"),
        ('[digest]\ntimezone = "Mars/Olympus"\n', "[digest] timezone: \"Mars/Olympus\" is not a known time zone"),
        ("[store]\npaht = 'x.db'\n", "[store] paht: unknown key"),
        ("[stroe]\npath = 'x.db'\n", "[stroe]: unknown section"),
        ('[ingest]\ninterval_minutes = "15"\n', "[ingest] interval_minutes: '15' is not a whole number"),
        ("[telegram]\nmoderators = [1, 'x']\n", "[telegram] moderators: [1, 'x'] is not a list of whole numbers"),
        ("[telegram]\ntoken = 12345\n", "[telegram] token: <hidden> is not a string"),
        ('[telegram]\nbase_url = "ftp://x"\n', '[telegram] base_url: "ftp://x" is not an http(s) URL'),
        ('[[sources]]\nname = "A"\n', "[[sources]] #1 feed: is required"),
        ('[[sources]]\nname = "A"\nfeed = "https://a.vn/rss"\n[[sources]]\nname = "A"\nfeed = "https://b.vn/rss"\n',
         '[[sources]] name: "A" is used twice'),
        ("[digest\n", "not valid TOML"),
    ],
)
def test_mistakes_are_named_with_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path, environ={})
    assert str(caught.value).startswith(f"config error: {path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load(str(tmp_path / "absent.toml"), environ={})


def test_relative_store_path_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[store]\npath = "data.db"\n')
    assert load(path, environ={}).store.path == str(tmp_path / "data.db")


def test_every_check_a_setting_names_exists() -> None:
    """A layer names its check (``{"check": "positive"}``): a typo must not pass unchecked."""
    from bantin.config import CHECKS

    named = {key.spec.metadata["check"] for key in all_keys() if "check" in key.spec.metadata}
    assert named and named <= set(CHECKS)


def test_the_loader_builds_the_layers_own_settings_objects(tmp_path: Path) -> None:
    from bot.engine.context import BotSettings
    from bot.features.digests.settings import DigestSettings
    from bot.transports.telegram import TelegramSettings
    from bot.transports.zalo import ZaloSettings

    config = load(write(tmp_path, '[telegram]\nrate_limit_per_second = 5\nmoderators = [7]\n'
                                  '[digest]\ntimezone = "Asia/Bangkok"\nmax_articles = 3\n'),
                  environ={"BANTIN_ZALO_TOKEN": "1:z"})
    assert type(config.telegram) is TelegramSettings and config.telegram.rate_limit_per_second == 5
    assert type(config.zalo) is ZaloSettings and config.zalo.token == "1:z"
    assert type(config.bot) is BotSettings and config.bot.moderation.moderators == (7,)
    assert type(config.digest) is DigestSettings and config.digest.max_articles == 3
    assert config.digest.timezone == config.bot.timezone == "Asia/Bangkok"
