"""Stage 2, terminology: glossary layers (TSV, TBX), finding terms in any inflection, protecting them through
translation, scoring and linting."""
