"""Stage 3, the translation memory: the SQLite store, what a record's segments already have, and the exchange
formats translators use (TMX, XLIFF import)."""
