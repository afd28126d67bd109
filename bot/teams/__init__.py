"""The thin shell around the Bot Framework SDK. Most of what imports botbuilder lives here; the
README ("Dependencies") lists the other files, which a port to the Microsoft 365 Agents SDK touches."""
