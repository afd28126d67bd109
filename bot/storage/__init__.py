"""Durable storage: one TinyDB file that a crash mid-write cannot corrupt."""

from bot.storage.store import Store

__all__ = ["Store"]
