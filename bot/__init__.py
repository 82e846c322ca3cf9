"""Conversations, rendering and transports (see DESIGN.md: transports are thin)."""
