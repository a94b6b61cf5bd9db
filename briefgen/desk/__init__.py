"""The translators' desk: a local web page to review one record's translations in one language, over the
same functions as the CLI (``memory.review.save_review`` saves, ``qa.checks.check`` checks, the brief's
renderer previews); it has no rule of its own about what is saved or printed."""
