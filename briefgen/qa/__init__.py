"""Stage 5, quality assurance: checks on every translation, the reports, and what translators get back (XLIFF
export with notes, a record's term usage)."""
