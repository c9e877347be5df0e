"""The settings moved to `core.settings` (one reader for the bot and every `pctby` command);
this name is kept for imports written before the move."""

from core.settings import Settings, describe

__all__ = ["Settings", "describe"]
