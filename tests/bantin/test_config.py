"""Config loading: the example documents every key, and every mistake is named."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

from bantin.config import Config, ConfigError, from_mapping, load

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bantin.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_example_config_is_valid_and_equals_the_defaults() -> None:
    data = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    config = from_mapping(data, "config.example.toml")
    defaults = Config()
    for section in ("store", "ingest", "summarizer", "digest", "telegram", "zalo", "moderation"):
        assert getattr(config, section) == getattr(defaults, section), section


def test_example_config_documents_every_key() -> None:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for section in dataclasses.fields(Config):
        if section.name != "origin":
            header = "[[sources]]" if section.name == "sources" else f"[{section.name}]"
            assert header in text, header
    for cls_field in dataclasses.fields(Config):
        if cls_field.name in ("origin", "sources"):
            continue
        sub = getattr(Config(), cls_field.name)
        for key in dataclasses.fields(sub):
            assert re.search(rf"^{key.name} = ", text, re.M), f"[{cls_field.name}] {key.name}"


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
