"""Numbered schema migrations, applied in order at start-up.

The schema version lives in SQLite's ``user_version``. Each migration runs in one transaction
with the version bump, so a crash leaves the database at the old version or the new one.
Add a migration by appending to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import sqlite_utils

from bantin.text import fold
from store.errors import StoreError
from store.rows import query

Migration = Callable[[sqlite3.Connection], None]


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the caller's transaction.

    ``executescript`` would commit first, which breaks the one-transaction-per-migration rule.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement.strip()[:60]}")


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The table's column names: migrations that add a column check first, so they re-run."""
    return {row["name"] for row in query(conn, f"PRAGMA table_info({table})")}


def _m001_initial(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE sources (
            name TEXT PRIMARY KEY,
            feed TEXT,
            etag TEXT,
            last_modified TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_attempt_at TEXT,
            last_success_at TEXT,
            next_attempt_at TEXT
        );

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            lead TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            author TEXT,
            published_at TEXT,
            fetched_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            sort_at TEXT NOT NULL,
            category TEXT,
            content_hash TEXT NOT NULL,
            simhash INTEGER,
            summary TEXT NOT NULL DEFAULT '',
            extraction_note TEXT,
            search_key INTEGER
        );
        CREATE INDEX articles_sort_at ON articles (sort_at DESC, id DESC);
        CREATE INDEX articles_content_hash ON articles (content_hash);
        CREATE INDEX articles_fetched_at ON articles (fetched_at);

        -- Folded title and body (lead + text). The rowid is articles.search_key, which grows
        -- with the article's time, so "newest matches first" is FTS5's own rowid order and a
        -- LIMIT stops early even for words found in most articles.
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, article_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
        );

        CREATE TABLE ingest_failures (
            id INTEGER PRIMARY KEY,
            source TEXT,
            url TEXT,
            reason TEXT NOT NULL,
            detail TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX ingest_failures_created ON ingest_failures (created_at);

        CREATE TABLE chats (
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            display_name TEXT,
            chat_type TEXT NOT NULL DEFAULT 'private',
            timezone TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            inactive_reason TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (platform, chat_id)
        );

        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            time TEXT NOT NULL,
            days TEXT NOT NULL DEFAULT '0123456',
            timezone TEXT NOT NULL,
            topics TEXT NOT NULL DEFAULT '[]',
            active INTEGER NOT NULL DEFAULT 1,
            starts_on TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (platform, chat_id)
        );

        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
            local_date TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            article_ids TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (subscription_id, local_date)
        );
        CREATE INDEX deliveries_status ON deliveries (status);

        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            display_name TEXT,
            article_id INTEGER REFERENCES articles (id),
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            created_at TEXT NOT NULL,
            decided_at TEXT,
            moderator_id TEXT,
            queue_message_id TEXT,
            reply_text TEXT,
            replied_at TEXT
        );
        CREATE INDEX feedback_status ON feedback (status, created_at);
        CREATE INDEX feedback_article ON feedback (article_id, status);
        CREATE INDEX feedback_reader ON feedback (platform, chat_id, created_at);

        CREATE TABLE moderation_log (
            id INTEGER PRIMARY KEY,
            feedback_id INTEGER REFERENCES feedback (id),
            moderator_id TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT,
            created_at TEXT NOT NULL
        );
        """
    )


def _m002_sent_messages(conn: sqlite3.Connection) -> None:
    """Bot message → articles it showed, so a reply to an article message finds its article."""
    _run_script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS sent_messages (
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (platform, chat_id, message_id, position)
        );
        CREATE INDEX IF NOT EXISTS sent_messages_created ON sent_messages (created_at);
        """,
    )


def _m003_titles_index(conn: sqlite3.Connection) -> None:
    """A search index of titles alone, under the same keys as ``articles_fts``.

    Title matches rank first; looking them up in ``articles_fts`` with a column filter still
    reads every body position of common words, while this index holds only short titles.
    """
    _run_script(
        conn,
        """
        CREATE VIRTUAL TABLE titles_fts USING fts5(
            title, article_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO titles_fts (rowid, title, article_id)
            SELECT rowid, title, article_id FROM articles_fts;
        """,
    )


def _m004_moderation(conn: sqlite3.Connection) -> None:
    """Moderation: who decided and who answered, every queue message, blocked readers.

    ``moderation_messages`` ties each message posted in the moderators' chat to its feedback, so
    a moderator's reply finds the reader and a decision edits every copy (the first one and
    those ``/pending`` posted again).
    """
    present = _columns(conn, "feedback")
    for column in ("moderator_name", "replied_by", "replied_by_name"):
        if column not in present:  # re-runnable, like the CREATE … IF NOT EXISTS below
            conn.execute(f"ALTER TABLE feedback ADD COLUMN {column} TEXT")
    _run_script(
        conn,
        """
        CREATE INDEX IF NOT EXISTS feedback_user ON feedback (platform, user_id, created_at);
        CREATE INDEX IF NOT EXISTS feedback_unforwarded ON feedback (created_at)
            WHERE status = 'pending' AND queue_message_id IS NULL;

        CREATE TABLE IF NOT EXISTS moderation_messages (
            chat_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            feedback_id INTEGER NOT NULL REFERENCES feedback (id),
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, message_id)
        );
        CREATE INDEX IF NOT EXISTS moderation_messages_feedback
            ON moderation_messages (feedback_id);

        CREATE TABLE IF NOT EXISTS blocked_readers (
            platform TEXT NOT NULL,
            reader_id TEXT NOT NULL,
            display_name TEXT,
            blocked_by TEXT NOT NULL,
            feedback_id INTEGER REFERENCES feedback (id),
            created_at TEXT NOT NULL,
            PRIMARY KEY (platform, reader_id)
        );

        CREATE INDEX IF NOT EXISTS moderation_log_feedback ON moderation_log (feedback_id);
        CREATE INDEX IF NOT EXISTS moderation_log_created ON moderation_log (created_at);
        """,
    )


def _m005_digest_schedule(conn: sqlite3.Connection) -> None:
    """The digest schedule lives in the database: each subscription's next due instant (UTC).

    The digest tick reads ``next_due_at <= now`` through the partial index, so a minute with
    nothing due costs one index probe whatever the number of readers. ``deliveries.due_at`` is
    the occurrence a delivery is for (catch-up decisions after a restart need it);
    ``deliveries.sent_at`` is when its last message was confirmed. Re-runnable.
    """
    for table, column in (("subscriptions", "next_due_at"), ("deliveries", "due_at"),
                          ("deliveries", "sent_at")):
        if column not in _columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS subscriptions_next_due ON subscriptions "
                 "(next_due_at) WHERE active = 1")


def _m006_article_links(conn: sqlite3.Connection) -> None:
    """Each article's own link, apart from its dedup key ``url``.

    ``url`` stays the (normalised) dedup key; ``link`` is the publisher's address that readers
    open. Existing web addresses become their row's link (what readers were shown so far). Keys
    are https from now on, local and IP hosts included (they alone were kept as http), so those
    rows get an https key and keep their http link; a key that would collide stays as it was.
    Re-runnable.
    """
    articles = sqlite_utils.Database(conn).table("articles")
    if "link" not in articles.columns_dict:
        articles.add_column("link", str)
    conn.execute("UPDATE articles SET link = url WHERE link IS NULL "
                 "AND (url LIKE 'http://%' OR url LIKE 'https://%')")
    conn.execute("UPDATE OR IGNORE articles SET url = 'https://' || substr(url, 8) "
                 "WHERE url LIKE 'http://%'")


def _m007_exact_search(conn: sqlite3.Connection) -> None:
    """Search indexes that keep diacritics, beside the folded ones.

    A reader who types "bão" means a storm, not "bao", "bảo" or "bào": ``exact_titles_fts``
    (titles, with positions, for phrases) and ``exact_fts`` (title, lead, text; which words an
    article holds, without positions: ``detail = none`` costs a fraction of a full index to
    build) are lower-cased but keep every mark, so those matches can rank first. A phrase in
    the text is found in the folded index and checked against ``exact_fts`` for its words.
    Both read their text from ``articles`` (external content, rowid = ``articles.search_key``)
    rather than storing a second copy, and keep no column sizes (those serve bm25 only).
    Existing articles are indexed here; rows without a search key (never indexed) are left out
    as before.

    The folded indexes become contentless (``content = ''``): search reads only their keys and
    finds the article by ``articles.search_key`` (now a unique index), so storing a second,
    folded copy of every text there only slowed saving. They are rebuilt from ``articles``
    (folded as ``store.articles`` folds them, which its 'delete' commands rely on). Re-runnable.
    """
    _contentless_folded_indexes(conn)
    options = ("content = 'articles', content_rowid = 'search_key', columnsize = 0, "
               "tokenize = 'unicode61 remove_diacritics 0'")
    conn.execute("DROP TABLE IF EXISTS exact_fts")
    conn.execute("DROP TABLE IF EXISTS exact_titles_fts")
    conn.execute(f"CREATE VIRTUAL TABLE exact_fts USING fts5(title, lead, text, {options}, "
                 "detail = none)")
    conn.execute(f"CREATE VIRTUAL TABLE exact_titles_fts USING fts5(title, {options})")
    conn.execute("INSERT INTO exact_fts (rowid, title, lead, text) SELECT search_key, title, "
                 "lead, text FROM articles WHERE search_key IS NOT NULL")
    conn.execute("INSERT INTO exact_titles_fts (rowid, title) SELECT search_key, title "
                 "FROM articles WHERE search_key IS NOT NULL")


def _unique_search_keys(conn: sqlite3.Connection) -> None:
    """Give every article but the first holding a repeated search key a free key below it."""
    repeated = conn.execute(
        "SELECT a.id, a.search_key FROM articles AS a JOIN (SELECT search_key, min(id) AS first "
        "FROM articles WHERE search_key IS NOT NULL GROUP BY search_key HAVING count(*) > 1) "
        "AS r ON a.search_key = r.search_key AND a.id > r.first ORDER BY a.id"
    ).fetchall()
    for article_id, key in repeated:
        while conn.execute("SELECT 1 FROM articles WHERE search_key = ?", (key,)).fetchone():
            key -= 1
        conn.execute("UPDATE articles SET search_key = ? WHERE id = ?", (key, article_id))


def _contentless_folded_indexes(conn: sqlite3.Connection) -> None:
    """Rebuild ``articles_fts`` and ``titles_fts`` contentless, keyed by a unique search key.

    Keys were unique as the rowids of ``articles_fts``; a database edited by hand might still
    hold a repeated one, which is given the next free key below it (as saving does) rather than
    making the migration fail.
    """
    _unique_search_keys(conn)
    conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS articles_search_key ON articles (search_key)")
    conn.execute("DROP TABLE IF EXISTS articles_fts")
    conn.execute("DROP TABLE IF EXISTS titles_fts")
    tokenize = "tokenize = 'unicode61 remove_diacritics 2'"
    conn.execute(f"CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content = '', "
                 f"{tokenize})")
    conn.execute(f"CREATE VIRTUAL TABLE titles_fts USING fts5(title, content = '', "
                 f"columnsize = 0, {tokenize})")
    rows = conn.execute("SELECT search_key, title, lead, text FROM articles "
                        "WHERE search_key IS NOT NULL")
    for key, title, lead, text in rows:
        folded_title = fold(title)
        conn.execute("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                     (key, folded_title, fold(lead + "\n" + text)))
        conn.execute("INSERT INTO titles_fts (rowid, title) VALUES (?, ?)", (key, folded_title))


def _m008_stories(conn: sqlite3.Connection) -> None:
    """Stories: every article in exactly one, grouped once here for an existing database.

    ``stories`` keeps a story's headline, times, size and summary (with the article count the
    summary was made from); ``articles.story_id`` says where each article belongs;
    ``story_keys`` (key, time, article) finds the recent articles sharing a title word pair, a
    name or a number with a new one; ``story_signatures`` keeps what they are compared on.
    Existing articles are grouped in time order, as if they had arrived one by one; nothing
    else changes. Re-runnable.
    """
    from store.grouping import group_all  # the grouping code is shared with `bantin regroup`

    _run_script(
        conn,
        """
        CREATE TABLE IF NOT EXISTS stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            summary_count INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL,
            last_updated TEXT NOT NULL,
            article_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS stories_last_updated ON stories (last_updated);

        CREATE TABLE IF NOT EXISTS story_keys (
            key TEXT NOT NULL,
            at TEXT NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (key, at, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS story_keys_article ON story_keys (article_id);

        CREATE TABLE IF NOT EXISTS story_signatures (
            article_id INTEGER PRIMARY KEY,
            signature TEXT NOT NULL
        );
        """,
    )
    present = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    if "story_id" not in present:
        conn.execute("ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories (id)")
    conn.execute("CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id, sort_at)")
    grouping_version_table(conn)
    group_all(conn)


def _m009_moderators_outbox(conn: sqlite3.Connection) -> None:
    """The moderators' outbox: feedback waiting to be posted to the moderators' chat.

    A row is ``queued``, then ``sending`` (committed before the post leaves), then ``posted``
    (its own queue message), ``batched`` (listed in a batch message) or ``skipped`` (decided
    before its turn). Pending feedback never posted so far is queued here, so nothing waiting
    is lost by the upgrade. Re-runnable.
    """
    conn.execute("""
        CREATE TABLE IF NOT EXISTS moderators_outbox (
            feedback_id INTEGER PRIMARY KEY REFERENCES feedback(id),
            state TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'posted', 'batched', 'skipped')),
            queued_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            done_at TEXT
        )""")
    conn.execute("CREATE INDEX IF NOT EXISTS moderators_outbox_waiting ON moderators_outbox "
                 "(state) WHERE state IN ('queued', 'sending')")
    conn.execute("INSERT OR IGNORE INTO moderators_outbox (feedback_id, queued_at) "
                 "SELECT id, created_at FROM feedback "
                 "WHERE status = 'pending' AND queue_message_id IS NULL")


def _m010_digest_stories(conn: sqlite3.Connection) -> None:
    """Which stories each chat's digests carried (``store.digest_stories``), so a story is not
    sent to a reader twice unless it grew. Starts empty: for an existing database the first
    digest after the upgrade may repeat a story of the day before, never mark one updated
    wrongly. Re-runnable.
    """
    conn.execute("""
        CREATE TABLE IF NOT EXISTS digest_stories (
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            story_id INTEGER NOT NULL,
            article_count INTEGER NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (platform, chat_id, story_id)
        ) WITHOUT ROWID""")
    conn.execute("CREATE INDEX IF NOT EXISTS digest_stories_sent ON digest_stories (sent_at)")


def _m011_story_key_seconds(conn: sqlite3.Connection) -> None:
    """``story_keys.at`` in whole seconds since 1970 (UTC) instead of ISO text.

    Every save writes about sixteen keys and reads as many ranges of this table: an integer
    time makes each row (and its entry in ``story_keys_article``) less than half as long, so
    the table and its index take fewer pages and every insert and range read touches fewer.
    The times stored were whole seconds in UTC, so the conversion is exact and keeps their
    order; every row is kept. Re-runnable.
    """
    story_keys_in_seconds(conn)


def story_keys_in_seconds(conn: sqlite3.Connection) -> None:
    """Rebuild ``story_keys`` with integer times unless it has them (migration 11; migration
    12 drops the table)."""
    types = {row["name"]: row["type"] for row in query(conn, "PRAGMA table_info(story_keys)")}
    if not types or types.get("at") == "INTEGER":  # gone (migration 12) or converted
        return
    _run_script(
        conn,
        """
        CREATE TABLE story_keys_seconds (
            key TEXT NOT NULL,
            at INTEGER NOT NULL,
            article_id INTEGER NOT NULL,
            PRIMARY KEY (key, at, article_id)
        ) WITHOUT ROWID;
        INSERT INTO story_keys_seconds (key, at, article_id)
            SELECT key, CAST(strftime('%s', at) AS INTEGER), article_id FROM story_keys;
        DROP TABLE story_keys;
        ALTER TABLE story_keys_seconds RENAME TO story_keys;
        CREATE INDEX story_keys_article ON story_keys (article_id);
        """,
    )


def _m012_story_keys_in_memory(conn: sqlite3.Connection) -> None:
    """Drop ``story_keys``: grouping now finds an article's candidates in memory
    (``store.story_window``), from the signatures in ``story_signatures``, which stay. Writing
    and reading about twenty key rows per save cost more than the rest of the save. Stories
    and every article are kept as they are. Re-runnable."""
    conn.execute("DROP INDEX IF EXISTS story_keys_article")
    conn.execute("DROP TABLE IF EXISTS story_keys")
    grouping_version_table(conn)


def grouping_version_table(conn: sqlite3.Connection) -> None:
    """``grouping_version``: one row counting grouping's writes, by which each connection's
    window of recent articles (``store.story_window``) knows another has grouped since.
    Migration 8 groups an older database through that window, so it makes the table too."""
    conn.execute("CREATE TABLE IF NOT EXISTS grouping_version ("
                 "id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO grouping_version (id, version) VALUES (1, 0)")


FTS_TABLES = ("articles_fts", "titles_fts", "exact_fts", "exact_titles_fts")
FTS_AUTOMERGE = 8


def _m013_fts_automerge(conn: sqlite3.Connection) -> None:
    """Let the search indexes merge their segments eight at a time instead of four.

    Every transaction that saves articles adds a segment to each index, and FTS5 merges them as
    they pile up; merging eight at a time rewrites each entry fewer times over its life (saving
    is about a tenth cheaper, measured in bench/search.py), while a search reads at most a few
    more segments. The setting is kept in each index. Re-runnable."""
    for table in FTS_TABLES:
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', {FTS_AUTOMERGE})")


MIGRATIONS: list[Migration] = [
    _m001_initial, _m002_sent_messages, _m003_titles_index, _m004_moderation,
    _m005_digest_schedule, _m006_article_links, _m007_exact_search, _m008_stories,
    _m009_moderators_outbox, _m010_digest_stories, _m011_story_key_seconds,
    _m012_story_keys_in_memory, _m013_fts_automerge,
]
LATEST = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    return int(query(conn, "PRAGMA user_version").fetchone()["user_version"])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to ``LATEST``; return the number of migrations applied.

    A database written by a newer bantin is refused rather than touched.
    """
    version = current_version(conn)
    if version > LATEST:
        raise StoreError(
            f"the database has schema version {version}, newer than this bantin supports "
            f"({LATEST}); upgrade bantin"
        )
    applied = 0
    for number in range(version + 1, LATEST + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if current_version(conn) >= number:
                conn.execute("ROLLBACK")
                continue
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied += 1
    return applied
