"""Conversations, rendering and transports (transports are thin: see docs/architecture.md)."""
