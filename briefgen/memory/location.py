"""Where the translation memory is: an SQLite file on this machine (a path, the default) or a department's
PostgreSQL database (a ``postgresql://`` URL, the libpq form). Both are accepted wherever a memory is named
(``BRIEFGEN_MEMORY``, ``memory copy``, ``memory init``).

A URL is shown only with its password masked (:func:`shown`): addresses appear in messages and logs, and a
password belongs in ``~/.pgpass`` (``PGPASSFILE``) or a service file (``PGSERVICE``), which libpq reads.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ..config import MEMORY_URL_SCHEMES as SCHEMES

Location = Path | str      # a path: SQLite; a str: a PostgreSQL URL (kept as text: Path would fold its "//")

MASK = "***"
_SECRET_KEYS = {"password", "sslpassword"}


def parse(value: str | Path) -> Location:
    """A memory as the user named it: a PostgreSQL URL stays text, anything else is a file path."""
    if isinstance(value, str) and is_url(value):
        return value
    return Path(value)


def is_url(location: Location | None) -> bool:
    return isinstance(location, str) and location.lower().startswith(SCHEMES)


def shown(location: Location) -> str:
    """The location as it may be printed or logged: a URL's password (in the address or its query) masked."""
    if not is_url(location):
        return str(location)
    try:
        parts = urlsplit(str(location))
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hosts = netloc.rpartition("@")
            if ":" in userinfo:
                userinfo = userinfo.split(":", 1)[0] + ":" + MASK
            netloc = f"{userinfo}@{hosts}"
        query = urlencode([(k, MASK if k.lower() in _SECRET_KEYS else v)
                           for k, v in parse_qsl(parts.query, keep_blank_values=True)], safe="*/")
        # urlunsplit would drop the empty host of postgresql:///db (the local socket)
        return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")
    except ValueError:        # an address urllib cannot split: mask anything after a colon before an @
        return re.sub(r"(//[^:/@]*:)[^@]*@", rf"\1{MASK}@", str(location))


def mask(text: str, location: Location) -> str:
    """``text`` (an error message, say) with the location's password, if it has one, masked wherever it appears."""
    if not is_url(location):
        return text
    try:
        parts = urlsplit(str(location))
        secrets = [parts.password or ""] + [v for k, v in parse_qsl(parts.query) if k.lower() in _SECRET_KEYS]
    except ValueError:
        return text
    for secret in secrets:
        for form in (secret, unquote(secret)):
            if form:
                text = text.replace(form, MASK)
    return text
