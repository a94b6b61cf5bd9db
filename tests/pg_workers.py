"""Processes that write one memory at once, for the load test and ``make bench``: ``python pg_workers.py
URL WORKER N`` makes N imports, each one transaction that reads the shared tally unit, stores it plus one,
and stores 5 units of its own and 5 shared with every other worker (so imports collide on rows)."""

from __future__ import annotations

import sys

from briefgen.memory.store import Memory, Unit

OWN, SHARED = 5, 5


def tally(memory: Memory) -> int:
    unit = memory.lookup("fr", "ru", "Compteur.", None, "tally")
    return int(unit.tgt_text) if unit else 0


def imports(url: str, worker: int, n: int) -> None:
    with Memory(url, read_only=False) as memory:
        for i in range(n):
            def one(m: Memory, i: int = i) -> None:
                count = tally(m)
                units = [Unit("fr", "ru", "Compteur.", str(count + 1), "reviewed", "review:load", "load", "tally")]
                units += [Unit("fr", "ru", f"Phrase {worker}-{i}-{k}.", f"Фраза {worker}-{i}-{k}.", "reviewed",
                               f"review:w{worker}", "load", f"w{worker}.{i}.{k}") for k in range(OWN)]
                units += [Unit("fr", "ar", f"Commune {k}.", f"مشتركة {worker}-{i}-{k}.", "machine", "pseudo:load",
                               "load", f"shared.{k}") for k in range(SHARED)]
                m.store(units)

            memory.atomically(one)


if __name__ == "__main__":
    imports(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
