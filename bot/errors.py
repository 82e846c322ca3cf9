"""The bot package's named exceptions: transports raise these, the core and digests catch them."""


class BotError(Exception):
    """Something the bot could not do; the message is for the log, never for readers."""


class InvalidUpdate(BotError):
    """A webhook body that passed the secret check but is not an update of its platform; the
    webhook server answers 400 (the message says why, for the log)."""


class ChatUnreachable(BotError):
    """The reader cannot be sent to any more (blocked the bot, left, chat deleted).

    The chat is marked inactive; it becomes active again when the reader writes.
    """


class DeliveryFailed(BotError):
    """A message could not be delivered after the transport's own retries."""


class DeliveryUnknown(DeliveryFailed):
    """The request may or may not have reached the reader (read timeout, connection lost after
    sending); it was not resent, because a resend could deliver the message twice."""
