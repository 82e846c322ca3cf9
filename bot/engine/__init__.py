"""The engine: the message model, the router, the core that runs handlers, rendering, pacing."""
