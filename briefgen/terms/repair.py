"""The repair strategy's text side: find a model's own rendering of a concept in its output and put the
glossary's preferred term in its place (``forms.put_term`` gives the form). Needs nothing from the model
but its output, so it works where protecting the term before translation cannot (a script the model does
not read, placeholders it mangles).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .forms import put_term
from .glossary import Glossary
from .morph import keys, tokens


def find_phrase(text: str, phrase: str, lang: str) -> list[tuple[int, int]]:
    """Spans of ``text`` whose words match the words of ``phrase`` one by one, in any inflection
    (Russian lemmas, Arabic stems without clitics, French without plural or elision)."""
    want = [keys(w, lang) for w, _, _ in tokens(phrase)]
    if not want:
        return []
    toks = tokens(text)
    have = [keys(w, lang) for w, _, _ in toks]
    n = len(want)
    spans = []
    i = 0
    while i + n <= len(toks):
        if all(want[j] & have[i + j] for j in range(n)):
            spans.append((toks[i][1], toks[i + n - 1][2]))
            i += n
        else:
            i += 1
    return spans


def replace_rendering(text: str, renderings: Iterable[str], term: str, lang: str, *, limit: int = 1,
                      keep: Sequence[tuple[int, int]] = ()) -> tuple[str, int]:
    """Replace up to ``limit`` occurrences of the longest rendering found in ``text`` by ``term``; spans
    overlapping ``keep`` (where other concepts were found) are left alone. Returns the text and the number
    of replacements."""
    found: list[tuple[int, int, str]] = []
    for rendering in sorted(set(renderings), key=lambda r: -len(tokens(r))):
        spans = [(a, b, rendering) for a, b in find_phrase(text, rendering, lang)
                 if not any(a < k[1] and k[0] < b for k in keep)
                 and not any(a < f[1] and f[0] < b for f in found)]
        found.extend(spans)
        if len(found) >= limit:
            break
    chosen = sorted(found[:limit], reverse=True)
    done = 0
    for start, end, rendering in chosen:
        # the word before may belong to another term ("dans le domaine de" + …): leave it as it is
        after_term = any(k[1] <= start and not text[k[1]:start].strip() for k in keep)
        new = put_term(text, start, end, term, lang, rendering, touch_before=not after_term)
        # put_term leaves the text as it is where the term would lose the rendering's meaning (an Arabic
        # pronoun suffix it cannot carry): not a replacement, unless the rendering already is the term
        done += new != text or bool(find_phrase(text[start:end], term, lang))
        text = new
    return text, done


def avoided_forms(glossary: Glossary, concept_id: str, lang: str) -> list[str]:
    """Target terms of the avoid rows that point to ``concept_id`` (their note reads ``use: <id>; …``)."""
    key = ("avoided-by", len(glossary.layers))
    if key not in glossary.indexes:
        table: dict[str, list] = {}
        for c in glossary.avoided():
            note = c.note.strip()
            if note.startswith("use:"):
                target = note[4:].split(";")[0].strip()
                table.setdefault(target, []).append(c)
        glossary.indexes[key] = table
    return [t for c in glossary.indexes[key].get(concept_id, []) for t in c.terms.get(lang, ())]
