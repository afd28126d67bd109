"""Conversation flows: what the bot asks, in what order, and what it does with the answers."""
