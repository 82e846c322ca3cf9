"""The default time zone, named once.

A leaf module (standard library only) so every layer may import it: the papers are written in
Viet Nam, and a reader who never chose a zone sees Vietnamese time.
"""

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
