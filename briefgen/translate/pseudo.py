"""``--backend pseudo``: a deterministic stand-in for an opus-mt model, honest about terminology.

It marks each word it translates with the target language (``ru:word``) and copies what a model copies
(digits, punctuation, names in a script it reads). Toward glossary terms it fails the way a Marian pair
model fails (see docs/terminology.md for the evidence):

- it is calibrated per model family, the family of each leg's model in the packaged registry, from what the
  real tokenizer files show (tests/data/tokenizers; docs/terminology.md, "What the real vocabularies read"):
  the transformer-big (tc-big) models and the 2020 base models;
- a word in a script the source language's model has no pieces for (a French or English model reads Latin
  only; a Russian or Arabic one its own script and Latin, which their corpora are full of) comes out as
  ``<unk>`` on a tc-big leg, whose sentencepiece model has no such letters; a base model's has them one by
  one and spells the word out (about 8 pieces a word): it is copied whole in ``SPELLED_COPY`` of the cases,
  else lost;
- placeholder tokens are kept, spaced, re-cased, duplicated, moved, cut or dropped, with the fixed shares in
  ``PLACEHOLDER_FATES``, drawn per sentence from the seed, in the form the leg's model reads (``placeholder_form``:
  ``[t1]`` on tc-big, ``<t1>`` on base); a ``<t1>`` given to a tc-big model reaches it as ``<unk> t 1 >`` and
  only ``t1 >`` comes back: the term is lost, always;
- a glossary term it recognises in an unprotected source comes out as the model's habitual rendering, a
  non-preferred one in the nominative: an admitted variant or an avoid form of the concept, else its own
  word-for-word rendering; the same rendering when the term is translated alone, except in context, where it
  paraphrases in ``PARAPHRASE`` of the occurrences (a rendering nothing can find);
- a target-language term written into the source in a script the model reads is copied in
  ``INLINE_COPY`` of the cases, else translated like any other word;
- it routes fr→ar and ru→ar through English, as the packaged registry does.

The shares are assumptions (no real model runs on the development machines), chosen from the literature's
qualitative accounts, fixed and seeded so that every build is reproducible; what is *read* at all (``<unk>``,
spelled out, whole) is measured on the real vocabularies.
"""

from __future__ import annotations

import hashlib
import random
import re
import tomllib
from functools import cached_property

from ..terms.glossary import Concept, Glossary
from ..terms.layers import base_glossaries, load_glossary
from ..terms.match import index_for, keys_equal
from ..terms.morph import tokens
from ..terms.repair import avoided_forms
from .base import Translator
from .preprocess import DEFAULTS
from .registry import PACKAGED
from .scripts import READS, script
from .typography import restore

PLACEHOLDER_FATES = (("kept", 0.55), ("spaced", 0.15), ("recased", 0.05), ("duplicated", 0.05),
                     ("moved", 0.05), ("cut", 0.05), ("dropped", 0.10))
PARAPHRASE = {1: 0.02, 2: 0.10}      # by words in the term (2: two or more)
INLINE_COPY = 0.8
SPELLED_COPY = 0.3       # a word a base model reads letter by letter, copied whole (an assumption: fewer than
                         # INLINE_COPY, as every one of its ~8 pieces must come back in order)
FORMS = {"tc-big": "[t{n}]", "base": "<t{n}>"}      # the form choose_placeholder picks on each family's files
_PLACEHOLDER = re.compile(r"<t(\d+)>|\[t(\d+)\]")
_MARK = re.compile(r"^[a-z]{2}:")
_MARKED = re.compile(r"(?<![\w:])[a-z]{2}:(?=\S)")


class PseudoTranslator(Translator):
    name = "pseudo"

    def __init__(self, seed: int = 0, glossary: Glossary | None = None) -> None:
        self.seed = seed
        self._glossary = glossary

    @cached_property
    def knowledge(self) -> Glossary:
        """The terms the stand-in model 'learned': the shipped termbase (not the user's overrides)."""
        return self._glossary if self._glossary is not None else load_glossary(base_glossaries())

    @cached_property
    def _directions(self) -> dict[tuple[str, str], dict]:
        with open(PACKAGED, "rb") as fh:
            directions = tomllib.load(fh).get("directions", {})
        return {tuple(d.split("-")): t for d, t in directions.items()}  # type: ignore[misc]

    @cached_property
    def pivots(self) -> dict[tuple[str, str], str]:
        return {d: t["pivot"] for d, t in self._directions.items() if "pivot" in t}

    def pivot(self, src: str, tgt: str) -> str | None:
        return self.pivots.get((src, tgt))

    def family(self, src: str, tgt: str) -> str:
        """The family of the packaged registry's model for this leg: "tc-big" or "base"."""
        return "tc-big" if "tc-big" in self._directions.get((src, tgt), {}).get("hub_id", "") else "base"

    def placeholder_form(self, src: str, tgt: str) -> str | None:
        return FORMS[self.family(src, tgt)]

    def signature(self, src: str, tgt: str) -> str:
        return f"pseudo:4;seed={self.seed}"   # 4: typographic apostrophes draw as straight ones

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        via = self.pivot(src, tgt)
        if via:
            return self.translate(self.translate(texts, src, via), via, tgt)
        # the double reads what a Marian model reads and gives the reader the typography back, as the neural path does
        pre = DEFAULTS["marian"]
        return [restore(self._text(pre.apply(t, src), src, tgt), tgt) for t in texts]

    # --- one text ----------------------------------------------------------------------------------------

    def _text(self, text: str, src: str, tgt: str) -> str:
        text = _MARKED.sub("", text)                    # a pivot's middle text: read the words, not the marks
        # seeded by the text as read, typography aside: a typographic apostrophe (l’information) draws what
        # the straight one draws, so setting a record's French typographically does not reshuffle the fates
        read = text.replace("\u2019", "'")
        rng = random.Random(hashlib.sha256(f"{self.seed}|{src}|{tgt}|{read}".encode()).digest())
        spans: list[tuple[int, int, str]] = []          # (start, end, output) for terms
        if self.knowledge.concepts:
            for m in index_for(self.knowledge, tgt).find(text, sense=False):
                # a target term written into the source (inline); a concept sharing its words is within it
                if _readable(m.text, src) and not m.checked_only:
                    copied = rng.random() < INLINE_COPY
                    spans.append((m.start, m.end, m.text if copied else _marked(m.text, tgt)))
            for m in index_for(self.knowledge, src).find(text, sense=False):
                if m.checked_only or any(m.start < e and s < m.end for s, e, _ in spans):
                    continue   # an elided concept's words (profond) are words like any to a model
                alone = _alone(text, m.start, m.end)
                spans.append((m.start, m.end, self._rendering(m.concept, m.text, src, tgt, alone, rng)))
        spans.sort()
        out: list[str] = []
        moved: list[str] = []
        pos = 0
        for start, end, rendering in [*spans, (len(text), len(text), "")]:
            out.extend(self._words(text[pos:start], src, tgt, rng, moved))
            if rendering:
                out.append(rendering)
            pos = end
        text_out = " ".join(w for w in [*out, *moved] if w)
        return re.sub(r" ([,.;:!?)»])(?=\s|$)", r"\1", text_out)   # punctuation stays on its word

    def _words(self, chunk: str, src: str, tgt: str, rng: random.Random, moved: list[str]) -> list[str]:
        words = []
        family = self.family(src, tgt)
        for word in chunk.split():
            placeholder = _PLACEHOLDER.fullmatch(word.strip(".,;:!?()«»\"'"))
            if placeholder:
                words.append(self._mangle(word, placeholder.group(0), rng, moved, family))
            elif word == "<unk>":
                continue
            elif script(word) is None:
                words.append(word)
            elif script(word) not in READS.get(src, ("Latn",)):
                # tc-big: no piece for this script; base: spelled letter by letter, now and then copied whole
                words.append(word if family == "base" and rng.random() < SPELLED_COPY else "<unk>")
            elif script(word) == "Latn" and src in ("ru", "ar"):
                words.append(word)                         # a name or an acronym: copied
            else:                                          # an opening quote stays before the word
                lead = len(word) - len(word.lstrip('"(«'))
                words.append(f"{word[:lead]}{tgt}:{_MARK.sub('', word[lead:])}")
        return words

    def _mangle(self, word: str, token: str, rng: random.Random, moved: list[str], family: str) -> str:
        opening, n, closing = token[0], token[2:-1], token[-1]
        if opening == "<" and family == "tc-big":
            return word.replace(token, f"t{n} >")           # read as <unk> t 1 >: only the rest comes back
        fate = rng.choices([f for f, _ in PLACEHOLDER_FATES], [w for _, w in PLACEHOLDER_FATES])[0]
        if fate == "kept":
            return word
        if fate == "spaced":
            return word.replace(token, f"{opening} t{n} {closing}")
        if fate == "recased":
            return word.replace(token, f"{opening}T{n}{closing}")
        if fate == "duplicated":
            return f"{word} {token}"
        if fate == "moved":
            moved.append(token)
            return word.replace(token, "")
        if fate == "cut":
            return word.replace(token, f"{opening}t{n}")
        return word.replace(token, "")

    def _rendering(self, concept: Concept, written: str, src: str, tgt: str, alone: bool,
                   rng: random.Random) -> str:
        """The model's own rendering of a concept: habitual, non-preferred, nominative."""
        others = [*concept.terms.get(tgt, ())[1:], *avoided_forms(self.knowledge, concept.id, tgt)]
        words = [w for w, _, _ in tokens(written)]
        if not alone and rng.random() < PARAPHRASE[min(len(words), 2)]:
            return f"{tgt}:{'-'.join(reversed(words))}~"  # a paraphrase: no glossary form, not findable
        if others:
            pick = int(hashlib.sha256(f"{self.seed}|{concept.id}|{tgt}".encode()).hexdigest(), 16) % len(others)
            return others[pick]
        # its own word-for-word rendering, the same however the source word was inflected
        lemma = next((v for v in concept.terms.get(src, ()) if keys_equal(v, written, src)), written)
        return _marked(lemma, tgt)


def _marked(text: str, tgt: str) -> str:
    return " ".join(f"{tgt}:{w}" for w in text.split())


def _readable(text: str, src: str) -> bool:
    return all(script(w) in (None, *READS.get(src, ())) for w in text.split())


def _alone(text: str, start: int, end: int) -> bool:
    """The term is the whole clause it stands in (translated alone, or an item of a list)."""
    before = re.split(r"[;:,.!?\n]", text[:start])[-1]
    after = re.split(r"[;:,.!?\n]", text[end:])[0]
    return not any(ch.isalnum() for ch in before + after)
