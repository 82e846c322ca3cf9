"""The bot's one bounded cache: what it forgets first."""

from bot.lru import LRU


def test_the_least_recently_used_entry_is_dropped_first():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_peek_does_not_count_as_a_use_and_pop_forgets():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.peek("a") == 1
    cache.put("c", 3)  # "a" was only peeked at: it goes first
    assert cache.peek("a") is None
    assert cache.pop("b") == 2 and cache.peek("b") is None
    assert cache.pop("missing") is None
