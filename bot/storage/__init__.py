"""Durable storage behind one port (bot.storage.port): TinyDB files, or PostgreSQL."""

from bot.storage.port import Lock, Record, Session, Store
from bot.storage.tinydb_store import TinyDBStore

__all__ = ["Lock", "Record", "Session", "Store", "TinyDBStore"]
