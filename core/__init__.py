"""Synopsis engine: headless video summarization (never imports Qt)."""

__version__ = "0.1.0"
