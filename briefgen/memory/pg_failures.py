"""What went wrong with a PostgreSQL memory, in one line a user can act on, its password never shown.

The server names most failures by SQLSTATE (42501 no permission, 53100 disk full, 57P01 the server shutting
down); a connection that fails before a session exists has none, only libpq's message, which is matched on
the phrases libpq and the server use (password authentication failed, no password supplied, database …
does not exist, role … does not exist, Connection refused, timeout expired).
"""

from __future__ import annotations

import psycopg

from .location import mask

FIX_ADDRESS = "check the host, port and database in BRIEFGEN_MEMORY (or the service in PGSERVICE)"
FIX_PASSWORD = ("put the password in ~/.pgpass (or the file PGPASSFILE names) or in the service file PGSERVICE "
                "names, never in BRIEFGEN_MEMORY")
FIX_ADMIN = "ask the database administrator (docs/memory-postgresql.md says what to grant)"


def detail(exc: BaseException, location: str) -> str:
    """libpq's message, on one line, without the password."""
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    text = " ".join((lines[0] if lines else type(exc).__name__).split())   # libpq's hint lines add nothing here
    text = text.removeprefix("connection failed: ")
    return mask(text, location)


def connect_message(where: str, exc: psycopg.Error, location: str) -> str:
    """Why a connection could not be made."""
    text = detail(exc, location)
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low or "sasl" in low:
        return f"{where}: authentication failed ({_server_part(text)}); {FIX_PASSWORD}"
    if "role" in low and "does not exist" in low:
        return f"{where}: authentication failed ({_server_part(text)}); check the user name, or {FIX_ADMIN}"
    if "pg_hba.conf" in low or "permission denied" in low:
        return f"{where}: the server refused the connection ({_server_part(text)}); {FIX_ADMIN}"
    if "database" in low and "does not exist" in low:
        return (f"{where}: {_server_part(text)}; {FIX_ADDRESS}, or ask the database administrator to create it "
                "(then `briefgen memory init` creates the memory's tables in it)")
    if "too many" in low and "connections" in low:
        return (f"{where}: the server accepts no more connections ({_server_part(text)}); run again later, or "
                f"{FIX_ADMIN}")
    return (f"{where}: cannot reach the database server ({_server_part(text)}); {FIX_ADDRESS}, and that the "
            "server runs")


def failure_message(where: str, exc: psycopg.Error, location: str) -> str:
    """Why a statement on an open connection failed."""
    state = getattr(exc, "sqlstate", None) or ""
    text = detail(exc, location)
    if state == "42501":
        return f"{where}: no permission ({_server_part(text)}); {FIX_ADMIN}"
    if state == "55P03":
        return (f"{where}: the translation memory stayed locked by another writer past the busy timeout "
                f"({_server_part(text)}); run again (the memory is as it was)")
    if state == "53100":
        return (f"{where}: the database server's disk is full ({_server_part(text)}); {FIX_ADMIN} (the memory is "
                "as it was before this write)")
    if state.startswith("57P") or state.startswith("08") or isinstance(exc, psycopg.OperationalError):
        return (f"{where}: lost the connection to the database server ({_server_part(text)}); every write that "
                "was confirmed is kept, the one under way is not; run again when the server is back")
    return f"{where}: translation memory error ({_server_part(text)}); {FIX_ADMIN}"


def _server_part(text: str) -> str:
    """The useful end of libpq's message: 'connection to server at …, port … failed: FATAL: x' → 'x'."""
    for marker in ("FATAL:", "ERROR:"):
        if marker in text:
            text = text.rsplit(marker, 1)[1]
    if " failed: " in text and text.startswith("connection to server"):
        text = text.rsplit(" failed: ", 1)[1]
    return text.strip().rstrip(".") or "no detail"
