"""What a card shows, computed from the domain: the data each template in cards/ is filled with."""
