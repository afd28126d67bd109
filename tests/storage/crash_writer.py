"""Child process for the crash test: writes numbered rows forever, acknowledging each one only
after the store has returned from writing it."""

import sys
from itertools import count
from pathlib import Path

from bot.storage import Record, TinyDBStore

store = TinyDBStore(Path(sys.argv[1]))
start = int(sys.argv[2])
for number in count(start):
    with store.transaction() as session:
        session.put("rows", Record(str(number), {"n": number, "padding": "x" * 2000}))
    print(number, flush=True)
