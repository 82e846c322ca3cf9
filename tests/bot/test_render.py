"""Rendering rich text for Telegram (HTML) and plain-text platforms, within their limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.messages import Button, Rich, Span, bold, italic, link
from bot.engine.render import measure, render_plain, render_telegram
from bot.transports.telegram import html_to_plain
from tests.fakes.telegram_server import visible_text


def test_everything_from_outside_is_escaped():
    rich = Rich.of([link('<b>Giá</b> & "vàng"', 'https://x.vn/a?b=1&c="2"', bold=True)],
                   ["</a> &amp; <script>"])
    [html] = render_telegram(rich)
    assert html == ('<a href="https://x.vn/a?b=1&amp;c=&quot;2&quot;"><b>&lt;b&gt;Giá&lt;/b&gt; '
                    '&amp; "vàng"</b></a>\n\n&lt;/a&gt; &amp;amp; &lt;script&gt;')
    assert visible_text(html, "HTML") == '<b>Giá</b> & "vàng"\n\n</a> &amp; <script>'


def test_only_web_links_become_links():
    [html] = render_telegram(Rich.of([link("bấm", "javascript:alert(1)")]))
    assert html == "bấm"


def test_long_text_splits_between_paragraphs():
    paragraphs = [[bold(f"Tiêu đề {n}"), Span("\n" + "chữ " * 300)] for n in range(20)]
    messages = render_telegram(Rich.of(*paragraphs))
    assert len(messages) > 1
    for message in messages:
        assert measure(message) <= 4096
        assert message.startswith("<b>Tiêu đề")  # every message starts at a paragraph
        visible_text(message, "HTML")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=3000), st.booleans(), st.booleans()),
                min_size=1, max_size=8),
       st.integers(min_value=40, max_value=4096))
def test_any_text_splits_into_valid_messages_that_keep_every_character(spans, limit):
    rich = Rich.of([Span(text, bold=b, italic=i) for text, b, i in spans])
    messages = render_telegram(rich, limit)
    seen = ""
    for message in messages:
        assert measure(message) <= limit
        seen += visible_text(message, "HTML")  # parses: never cut inside a tag or entity
    squeeze = lambda s: "".join(s.split())  # noqa: E731 - splits may drop edge whitespace
    assert squeeze(seen) == squeeze(rich.plain_text())


def test_emoji_count_twice_like_telegram():
    messages = render_telegram(Rich.of("😀" * 3000))
    assert [measure(m) for m in messages] == [4096, 1904]


def test_plain_text_writes_links_out_and_respects_2000():
    rich = Rich.of([link("Tin A", "https://a.vn/1"), Span(" "), italic("nghiêng")],
                   "x " * 3000)
    messages = render_plain(rich)
    assert messages[0] == "Tin A (https://a.vn/1) nghiêng"
    assert all(len(m) <= 2000 for m in messages)


def test_html_to_plain_undoes_our_markup():
    [html] = render_telegram(Rich.of([link("A & B", "https://a.vn/?x=1&y=2", bold=True)]))
    assert html_to_plain(html) == "A & B (https://a.vn/?x=1&y=2)"


def test_button_data_is_limited_to_64_bytes():
    Button("ok", data="/search " + "a" * 56)
    with pytest.raises(ValueError):
        Button("quá dài", data="/search " + "đ" * 29)
    with pytest.raises(ValueError):
        Button("both", data="/x", url="https://a.vn")


def test_spans_are_nfc():
    decomposed = "Đa\u0300 Na\u0306\u0303ng"
    assert Span(decomposed).text == "Đà Nẵng"


LINKED = dict(url="https://example.vn/tin/1.html", link="http://www.example.vn/tin/1.html?id=1")


def test_digests_and_the_moderation_queue_link_to_the_publishers_address():
    """The dedup key is never what a reader or moderator opens; a ``.txt`` scrape opens nothing."""
    import zoneinfo
    from datetime import UTC, datetime

    from bot.features.digests.render import Story, compose
    from bot.features.moderation_views import queue_message
    from store import Feedback
    from tests.helpers.articles import make_article

    tz = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    now = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)
    linked = make_article(1, id=1, **LINKED)
    scrape = make_article(2, id=2, url="urn:bantin:0123456789abcdef0123")
    digest, _ = compose([Story.of(linked), Story.of(scrape)], now.astimezone(tz), tz,
                        lambda rich: len(render_telegram(rich)))
    feedback = Feedback(id=7, platform="zalo", chat_id="99", user_id=None, display_name="Lan",
                        article_id=1, text="Cảm ơn", status="pending", created_at=now)
    queued = queue_message(feedback, linked, tz)
    for rich in (digest, queued):
        html = "".join(render_telegram(rich))
        assert '<a href="http://www.example.vn/tin/1.html?id=1">' in html
        assert "https://example.vn/tin/1.html" not in html
        assert "(http://www.example.vn/tin/1.html?id=1)" in "".join(render_plain(rich))  # Zalo
    assert "urn:bantin" not in "".join(render_telegram(digest) + render_plain(digest))
