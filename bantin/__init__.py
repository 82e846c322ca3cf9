"""bantin: Vietnamese news, summarised, on Telegram, Zalo and the console.

This package is the composition root: config, the CLI, app wiring and the scheduler.
"""

__version__ = "0.1.0"
