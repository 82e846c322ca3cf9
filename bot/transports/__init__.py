"""The transports: Telegram, Zalo, the console and the webhook server they share."""
