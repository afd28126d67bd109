"""Adaptive Card templates (schema 1.5, the newest Teams renders) and their renderer."""

from cards.render import render_card

__all__ = ["render_card"]
