"""ingest's named exceptions: callers catch these, never httpx's or feedparser's."""


class IngestError(Exception):
    """Something from the outside world could not be turned into an article."""


class FetchError(IngestError):
    """A URL could not be fetched politely: timeout, 5xx after retries, too big, disallowed.

    ``transient`` is true for failures worth retrying later (timeouts, 5xx, connection errors).
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 transient: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient


class FeedError(IngestError):
    """A feed that cannot be read at all (not RSS/Atom, or unparseable with no items)."""


class NotAnArticle(IngestError):
    """A page that is not an article (a home or section page, or next to no text).

    The message is the reason, stored as an ingest failure.
    """


class TooLittleText(NotAnArticle):
    """Extraction found (next to) no text: a feed item's description can stand in for it."""
