"""The thin shell around the Bot Framework SDK: everything that imports botbuilder lives here
(and in dialogs/), so a later port to the Microsoft 365 Agents SDK touches few files."""
