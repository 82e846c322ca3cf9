"""Stand-ins for the world outside, all on 127.0.0.1: the Telegram and Zalo Bot APIs, a web
server for feeds and pages, servers that fail the way networks do, and a transport that only
records what the core sends it."""
