"""Ingest → summarise → store: the pipeline that ``bantin ingest`` and the scheduler run.

``ingest`` returns values, finished for storing (``ingest.articles``: dedup key, outlet and
SimHash chosen there); this module sequences the fetches and saves what ingest returns.
Network waits run on the event loop; every piece of CPU work (feed parsing, extraction,
clean-up, summary, the SQLite write) runs in a small worker pool or the extraction process,
so the loop never stalls. Every item ends as exactly one ``Outcome``: new, updated,
unchanged, rejected (not an article) or failed (with the reason), and rejections and failures
are also stored as ingest failures. One source failing never stops the others;
a source that keeps failing backs off (doubling, up to 6 hours), and that state is stored.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from bantin.config import Config, SourceConfig
from bantin.extractor import Extractor, ExtractorCrashed
from bantin.summaries import STORY_SUMMARY_ARTICLES, story_summary, summarize_article
from ingest import ExtractedArticle, FeedError, FeedItem, FetchError, NotAnArticle
from ingest.addresses import AddressRefused, trusted_origins
from ingest.articles import (article_from_description, article_from_page,
                             article_from_saved, article_from_saved_item, feed_from_answer,
                             feed_from_saved)
from ingest.fetch import Fetched, Fetcher, FetchPolicy
from ingest.files import SavedFile, read_saved_file
from store import Article, NotFound, SourceState, Store

log = logging.getLogger(__name__)

Kind = Literal["new", "updated", "unchanged", "rejected", "failed"]
KINDS: tuple[Kind, ...] = ("new", "updated", "unchanged", "rejected", "failed")
BACKOFF_BASE = timedelta(minutes=5)
BACKOFF_CAP = timedelta(hours=6)
T = TypeVar("T")


@dataclass
class Outcome:
    """What happened to one article (or one source, for a source-level failure)."""

    kind: Kind
    source: str
    url: str | None = None
    title: str = ""
    reason: str | None = None
    article_id: int | None = None


@dataclass
class Report:
    """One ingest pass: every outcome, plus sources skipped or not modified."""

    outcomes: list[Outcome] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = Counter(outcome.kind for outcome in self.outcomes)
        return {kind: counted.get(kind, 0) for kind in KINDS}

    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind in ("rejected", "failed")]

    def summary_line(self) -> str:
        return ", ".join(f"{kind} {count}" for kind, count in self.counts().items())


def fetch_policy(config: Config, *also_trusted: str) -> FetchPolicy:
    """The fetch policy of ``[ingest]``: User-Agent, timeout, requests per host, and the
    origins that may be private (``also_trusted``, each feed's, ``allow_private``)."""
    return FetchPolicy(
        user_agent=config.ingest.user_agent, timeout=config.ingest.timeout_seconds,
        max_per_host=config.ingest.max_per_host,
        trusted=configured_origins(config, *also_trusted),
    )


def configured_origins(config: Config, *also: str) -> frozenset[str]:
    """The origins the operator configured: every feed's own and ``[ingest] allow_private``."""
    return trusted_origins(
        [*(source.feed for source in config.sources), *config.ingest.allow_private, *also]
    )


def backoff_delay(error_count: int, base: timedelta = BACKOFF_BASE,
                  cap: timedelta = BACKOFF_CAP) -> timedelta:
    """How long a source that failed ``error_count`` times in a row is left alone."""
    # Cap the exponent too: after months of failures 2**n would overflow a timedelta.
    return min(cap, base * 2 ** min(max(0, error_count - 1), 30))


class Pipeline:
    """Runs ingest passes against one store. Use ``async with`` or call ``close()``."""

    def __init__(
        self, store: Store, config: Config, *, policy: FetchPolicy | None = None,
        workers: int = 1, progress: Callable[[Outcome], None] | None = None,
        backoff_base: timedelta = BACKOFF_BASE, backoff_cap: timedelta = BACKOFF_CAP,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC), ordered: bool = False,
    ) -> None:
        self.store = store
        # One source, then one item, at a time, in feed order: articles get the same numbers
        # on every run (the demo, whose transcript in the README shows them).
        self.ordered = ordered
        self.config = config
        self.policy = policy or fetch_policy(config)
        self.policy = dataclasses.replace(
            self.policy, trusted=self.policy.trusted | configured_origins(config)
        )
        # A pass never outlasts the interval either, or the next scheduled pass would be skipped.
        self.pass_timeout = min(config.ingest.pass_timeout_seconds,
                                config.ingest.interval_minutes * 60)
        self._deadline: float | None = None  # loop time at which the current pass gives up
        self.progress = progress
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.clock = clock
        # One thread for fetching, feeds, summaries and saving: that work is GIL-bound, so a
        # second thread adds no throughput, only competition with the event loop for the GIL
        # (measured in bench/ingest.py). Pages are parsed in the extractor's process.
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest")
        self._extractor = Extractor(config.ingest.extract_processes, self._executor)

    async def __aenter__(self) -> Pipeline:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._extractor.close()
        self._executor.shutdown(wait=True)

    async def _fetcher(self, *also_trusted: str) -> Fetcher:
        """A new Fetcher, built in a worker: creating httpx's SSL context takes 40-70 ms.

        ``also_trusted``: addresses the operator gave for this run (``--url``), whose origins
        may be private like a configured feed's."""
        policy = dataclasses.replace(
            self.policy, trusted=self.policy.trusted | trusted_origins(also_trusted)
        )
        return await self._cpu(Fetcher, policy)

    async def _cpu(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run CPU work in the worker pool, off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, functools.partial(function, *args, **kwargs)
        )

    def _start_pass(self) -> None:
        """Start the pass clock: fetching stops at ``[ingest] pass_timeout_seconds``, so one
        slow host cannot hold a pass (and with it every later scheduled pass)."""
        self._deadline = asyncio.get_running_loop().time() + self.pass_timeout

    def _out_of_time(self) -> str:
        return (f"the ingest pass ran out of time ({self.pass_timeout:g} s); "
                "tried again next pass")

    def _emit(self, report: Report, outcome: Outcome) -> Outcome:
        report.outcomes.append(outcome)
        if outcome.kind in ("rejected", "failed"):
            log.info("%s %s %s: %s", outcome.kind, outcome.source, outcome.url, outcome.reason)
        if self.progress is not None:
            self.progress(outcome)
        return outcome

    # -- feeds ---------------------------------------------------------------------------

    async def run_sources(self, sources: Iterable[SourceConfig] | None = None, *,
                          respect_backoff: bool = True) -> Report:
        """One pass over the configured sources, concurrently; each is isolated from the rest."""
        sources = list(self.config.sources if sources is None else sources)
        report = Report()
        self._start_pass()
        async with await self._fetcher() as fetcher:
            runs = [self._run_source(fetcher, source, report, respect_backoff)
                    for source in sources]
            results = await self._all(runs, return_exceptions=True)
        for source, result in zip(sources, results, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                log.error("source %s crashed", source.name, exc_info=result)
                await self._record(report, Outcome(
                    "failed", source.name, source.feed, reason=f"internal error: {result!r}"
                ))
        return report

    async def _run_source(self, fetcher: Fetcher, source: SourceConfig, report: Report,
                          respect_backoff: bool) -> None:
        state = await self._cpu(self.store.sources.get, source.name, source.feed)
        now = self.clock()
        if respect_backoff and state.next_attempt_at and state.next_attempt_at > now:
            report.skipped.append(
                f"{source.name}: backing off after {state.error_count} failures, next attempt "
                f"{state.next_attempt_at.isoformat(timespec='minutes')}"
            )
            return
        state.last_attempt_at = now
        try:
            async with asyncio.timeout_at(self._deadline):
                fetched = await fetcher.get(
                    source.feed, etag=state.etag, last_modified=state.last_modified
                )
                if fetched.not_modified:
                    report.not_modified.append(source.name)
                    await self._source_ok(state, fetched)
                    return
                feed = await self._cpu(feed_from_answer, fetched)
        except (FetchError, FeedError, TimeoutError) as error:
            reason = self._out_of_time() if isinstance(error, TimeoutError) else str(error)
            await self._source_failed(state, reason)
            await self._record(report, Outcome("failed", source.name, source.feed, reason=reason))
            return
        if feed.problem:
            report.notes.append(f"{source.name}: {feed.problem} (items still read)")
            await self._cpu(self.store.failures.record, feed.problem, source=source.name,
                            url=source.feed, detail="the feed was recovered; its items were read")
        if not feed.items:
            report.notes.append(f"{source.name}: the feed has no items")
        if feed.duplicates:
            report.notes.append(f"{source.name}: {feed.duplicates} duplicate items ignored")
        await self._all([self._run_item(fetcher, source, item, report) for item in feed.items])
        await self._source_ok(state, fetched)

    async def _all(self, runs: list[Coroutine[Any, Any, Any]],
                   return_exceptions: bool = False) -> list[Any]:
        """Run ``runs`` concurrently, or one after another when ``ordered``."""
        if not self.ordered:
            return await asyncio.gather(*runs, return_exceptions=return_exceptions)
        results: list[Any] = []
        for index, run in enumerate(runs):
            try:
                results.append(await run)
            except Exception as error:
                if not return_exceptions:
                    for waiting in runs[index + 1:]:
                        waiting.close()
                    raise
                results.append(error)
        return results

    async def _source_ok(self, state: SourceState, fetched: Fetched) -> None:
        state.etag = fetched.etag or state.etag
        state.last_modified = fetched.last_modified or state.last_modified
        state.error_count = 0
        state.last_error = None
        state.last_success_at = self.clock()
        state.next_attempt_at = None
        await self._cpu(self.store.sources.save, state)

    async def _source_failed(self, state: SourceState, reason: str) -> None:
        state.error_count += 1
        state.last_error = reason
        state.next_attempt_at = self.clock() + backoff_delay(
            state.error_count, self.backoff_base, self.backoff_cap
        )
        await self._cpu(self.store.sources.save, state)

    async def _run_item(self, fetcher: Fetcher, source: SourceConfig, item: FeedItem,
                        report: Report) -> None:
        try:
            if await self._cpu(self._known_unchanged, item):
                self._emit(report, Outcome("unchanged", source.name, item.url, item.title))
                return
            async with asyncio.timeout_at(self._deadline):
                try:
                    page = await fetcher.get(item.link or item.url)
                except AddressRefused:
                    raise  # an internal address is never stored, not even its description
                except FetchError as error:
                    note = (f"page returned HTTP {error.status}" if error.status
                            else f"page not fetched: {error}")
                    article = await self._cpu(article_from_description, item, note, source.name)
                else:
                    article = await self._extractor.run(article_from_page, item, page, source.name)
            await self._save(report, article, source.category or None)
        except TimeoutError:
            await self._record(report, Outcome("failed", source.name, item.url, item.title,
                                               reason=self._out_of_time()))
        except AddressRefused as error:
            await self._record(report, Outcome("failed", source.name, item.url, item.title,
                                               reason=str(error)))
        except NotAnArticle as error:
            await self._record(report, Outcome("rejected", source.name, item.url, item.title,
                                               reason=str(error)))
        except ExtractorCrashed as error:
            await self._record(report, Outcome("failed", source.name, item.url, item.title,
                                               reason=str(error)))
        except Exception as error:  # one broken item must not stop its feed; logged and stored
            log.exception("item %s of %s failed", item.url, source.name)
            await self._record(report, Outcome("failed", source.name, item.url, item.title,
                                               reason=f"internal error: {error!r}"))

    def _known_unchanged(self, item: FeedItem) -> bool:
        """An item already stored with the same title needs no second page fetch."""
        try:
            stored = self.store.articles.get_by_url(item.url)
        except NotFound:
            return False
        return stored.title == item.title or not item.title

    # -- saving --------------------------------------------------------------------------

    async def _record(self, report: Report, outcome: Outcome) -> None:
        """Store a rejection or failure with its reason, then report it."""
        await self._cpu(self.store.failures.record, outcome.reason or outcome.kind,
                        source=outcome.source or None, url=outcome.url)
        self._emit(report, outcome)

    async def _save(self, report: Report, finished: ExtractedArticle,
                    category: str | None) -> Outcome:
        outcome = await self._cpu(self.save_extracted, finished, category)
        return self._emit(report, outcome)

    def save_extracted(self, finished: ExtractedArticle, category: str | None = None) -> Outcome:
        """Summarise and save one finished article (runs in a worker thread)."""
        article = to_article(finished, category=category, now=self.clock())
        article.summary = summarize_article(
            article.title, article.lead, article.text, self.config.summarizer
        )
        kind, article_id = self.store.articles.save(article)
        if kind != "unchanged":
            self.refresh_story(article_id)
        return Outcome(kind, article.source, article.url, article.title, article_id=article_id,
                       reason=finished.note)

    def refresh_story(self, article_id: int) -> None:
        """Summarise the article's story again when it has grown since its last summary.

        Only the earliest ``STORY_SUMMARY_ARTICLES`` articles count (the earliest facts come
        first anyway), so a story that keeps growing is not summarised again on every save."""
        story = self.store.stories.of_article(article_id, with_articles=False)
        used = min(story.article_count, STORY_SUMMARY_ARTICLES)
        if used > 1 and story.summary_count != used:
            articles = self.store.stories.articles_of(story.id, limit=used)
            self.store.stories.set_summary(
                story.id, story_summary(articles, self.config.summarizer), used)

    # -- files ---------------------------------------------------------------------------

    async def run_files(self, paths: Iterable[str | Path], url: str | None = None, *,
                        source: str | None = None, fetch_pages: bool = False) -> Report:
        """Ingest saved files: text scrapes, HTML pages and RSS/Atom feeds, told apart by
        their content (``ingest.files``). A feed is read from the file itself; its items'
        pages are fetched only with ``fetch_pages``. ``source`` names the outlet; without it
        the name comes from the page, the feed's title or the host."""
        report = Report()
        self._start_pass()
        async with await self._fetcher(*([url] if url else [])) as fetcher:
            for path in map(Path, paths):
                saved = await self._cpu(read_saved_file, path)
                name = source or ""
                try:
                    if not saved.readable:
                        kind: Kind = "failed" if saved.kind in ("unreadable", "missing") \
                            else "rejected"
                        await self._record(report, Outcome(kind, name, str(path),
                                                           reason=saved.reason))
                    elif saved.kind == "jsonl":
                        await self._record(report, Outcome(
                            "rejected", name, str(path),
                            reason="a JSONL batch, not an article: use bantin summarize --in"))
                    elif saved.kind == "feed":
                        await self._run_feed_file(fetcher, saved, url, source, fetch_pages,
                                                  report)
                    else:
                        finished = await self._cpu(article_from_saved, saved, url, source)
                        await self._save(report, finished, None)
                except (NotAnArticle, FeedError) as error:
                    await self._record(report, Outcome("rejected", name, str(path),
                                                       reason=str(error)))
        return report

    async def _run_feed_file(self, fetcher: Fetcher, saved: SavedFile, url: str | None,
                             source: str | None, fetch_pages: bool, report: Report) -> None:
        feed, name = await self._cpu(feed_from_saved, saved, url, source)
        if feed.problem:
            report.notes.append(f"{saved.path}: {feed.problem} (items still read)")
        if not feed.items:
            await self._record(report, Outcome("rejected", name, str(saved.path),
                                               reason="the feed has no items"))
            return
        if fetch_pages:
            config = SourceConfig(name=name, feed=url or saved.path.resolve().as_uri())
            await asyncio.gather(*(self._run_item(fetcher, config, item, report)
                                   for item in feed.items))
            return
        for item in feed.items:
            try:
                finished = await self._cpu(article_from_saved_item, item, name)
                await self._save(report, finished, None)
            except NotAnArticle as error:
                await self._record(report, Outcome("rejected", name, item.url, item.title,
                                                   reason=str(error)))


def to_article(finished: ExtractedArticle, *, category: str | None = None,
               now: datetime | None = None) -> Article:
    """The store's row for an article ingest finished (``ingest.articles.finish``): ``url``
    the dedup key, ``link`` the publisher's address readers open."""
    if finished.url is None or finished.simhash is None:
        raise ValueError("to_article takes a finished article (ingest.articles.finish)")
    return Article(
        url=finished.url, link=finished.link, title=finished.title,
        source=finished.source or "", lead=finished.lead, text=finished.text,
        author=finished.author, published_at=finished.published_at, fetched_at=now,
        category=category, simhash=finished.simhash, extraction_note=finished.note,
    )
