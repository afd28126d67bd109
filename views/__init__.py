"""What a card shows, computed from the domain: the data each template in cards/ is filled with.

Its own layer, above the domain and below everything that sends a card: the dialogs, the reminder
scheduler, the mail failure notice and the agenda email all use it, and it imports none of them.
"""
