"""Child process for the crash test: writes numbered rows forever, acknowledging each one only
after the store has returned from writing it."""

import sys
from itertools import count
from pathlib import Path

from bot.storage import Store

store = Store(Path(sys.argv[1]))
start = int(sys.argv[2])
for number in count(start):
    with store.transaction():
        store.table("rows").insert({"n": number, "padding": "x" * 2000})
    print(number, flush=True)
