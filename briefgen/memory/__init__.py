"""Stage 3, the translation memory: the SQLite store, the record's dossier (its .tmx), the rule of which
translation is printed (provenance.py: the dossier first, then the memory), and the exchange formats
translators use (TMX, XLIFF import)."""
