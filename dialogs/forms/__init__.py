"""The card forms the dialogs show, each a FormSpec: what the card shows and how to read it."""
