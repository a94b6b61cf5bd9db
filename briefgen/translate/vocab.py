"""What a model's vocabulary can read and write, from its tokenizer files alone (no weights needed).

An opus-mt model reads a sentence as its ``source.spm`` cuts it, each piece looked up in ``vocab.json``; a piece
missing from that file is ``<unk>``, and what it stood for is lost. It writes only the pieces its training
targets had (``target.spm``). The real files differ by family (docs/terminology.md, "What the real vocabularies
read"): the transformer-big (tc-big) models have no ``<`` at all, so a ``<t1>`` placeholder reaches them as
``<unk> t 1 >`` and can never come back; the 2020 base models spell Cyrillic and Arabic letter by letter.

So the placeholder form is chosen per model from its vocabulary (``choose_placeholder``), when it is installed
and again when it is loaded, and ``briefgen models vocab-check`` reports what a model will lose before anyone
installs it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

UNK = "<unk>"
# Candidate placeholder forms, first choice first. ``<t1>`` stays where the model reads it (the 2020 base
# models): what the double and the protection were first built on. ``[t1]`` is read and written by every
# opus-mt vocabulary checked (tc-big French, English; base Arabic, French).
PLACEHOLDER_FORMS = ("<t{n}>", "[t{n}]")
# Placeholders are numbered from 1 and, on retries, from 11 and 21 (glossed.py): every number up to 40 must pass.
PROBE_NUMBERS = range(1, 41)
# One word per language to try inline protection with: a term as the glossary writes it.
INLINE_SAMPLES = {"fr": "la cybersécurité", "en": "cybersecurity", "ru": "кибербезопасность",
                  "ar": "الأمن السيبراني"}
# More pieces per word than this and the word is spelled out, not read: a model copies it whole rarely
# (the base French source model cuts a Cyrillic or Arabic word into about 8 single letters).
MAX_PIECES_PER_WORD = 4
LANG_CODES = {"fr": "fra", "en": "eng", "ru": "rus", "ar": "ara", "pt": "por"}
_TARGET_TOKEN = re.compile(r"^>>[a-z]{3}(?:_[A-Za-z]+)?<<$")


@dataclass
class Vocabulary:
    """A model's tokenizer: ``source`` (and ``target``) sentencepiece processors and, when the folder has one,
    the piece list the model's embedding rows stand for (vocab.json, or CTranslate2's vocabulary files)."""

    source: Any
    target: Any | None = None
    pieces: frozenset[str] | None = None
    tokens: tuple[str, ...] = field(default=())        # >>xxx<< target-language tokens

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        import sentencepiece

        def spm(name: str) -> Any | None:
            path = folder / name
            return sentencepiece.SentencePieceProcessor(model_file=str(path)) if path.is_file() else None

        source = spm("source.spm") or spm("sentencepiece.bpe.model")
        if source is None:
            raise InputError(f"{folder}: no source.spm (nor sentencepiece.bpe.model): not a tokenizer folder")
        pieces: set[str] | None = None
        if (folder / "vocab.json").is_file():
            pieces = set(_json(folder / "vocab.json"))
        else:
            for name in ("shared_vocabulary.json", "source_vocabulary.json", "target_vocabulary.json"):
                if (folder / name).is_file():                  # an installed CTranslate2 folder
                    pieces = (pieces or set()) | set(_json(folder / name))
        tokens = tuple(sorted(p for p in pieces or () if _TARGET_TOKEN.match(p)))
        return cls(source, spm("target.spm"), frozenset(pieces) if pieces is not None else None, tokens)

    # --- reading ----------------------------------------------------------------------------------------

    def encode(self, text: str) -> list[str]:
        """The source pieces the model reads, each unknown one as ``<unk>``."""
        return [p if self._known(p, self.source) else UNK for p in self.source.encode(text, out_type=str)]

    def unknown(self, sentences: Iterable[str]) -> tuple[int, int, list[str]]:
        """(unknown pieces, all pieces, the characters the model cannot read) over ``sentences``."""
        unk = total = 0
        chars: dict[str, None] = {}
        for sentence in sentences:
            for piece in self.source.encode(sentence, out_type=str):
                total += 1
                if not self._known(piece, self.source):
                    unk += 1
                    chars.update(dict.fromkeys(ch for ch in piece if ch != "\u2581" and not ch.isspace()))
        return unk, total, sorted(chars)

    def _known(self, piece: str, sp: Any) -> bool:
        """A piece the sentencepiece model has *and* the vocabulary has a row for. A joint vocab.json (the
        Hugging Face ports) gives a source piece an id when only the target side had it (tc-big English and
        « »): Marian itself, which trained on the sentencepiece vocabularies, read it as <unk>."""
        return sp.piece_to_id(piece) != sp.unk_id() and (self.pieces is None or piece in self.pieces)

    # --- protection -------------------------------------------------------------------------------------

    def survives(self, form: str) -> bool:
        """Whether a placeholder of this form reaches the model whole and the model can write it back: read
        without ``<unk>`` by the source side, and cut by the target side into pieces it has and that decode to
        the same text, for every number a build uses."""
        for n in PROBE_NUMBERS:
            text = f"x {form.format(n=n)} y"
            if UNK in self.encode(text):
                return False
            target = self.target or self.source
            pieces = target.encode(text, out_type=str)
            if not all(self._known(p, target) for p in pieces) or target.decode(pieces) != text:
                return False
        return True

    def reads_inline(self, lang: str) -> bool:
        """Whether a term written in ``lang`` into the source is read as words, not lost or spelled out."""
        sample = INLINE_SAMPLES.get(lang)
        if sample is None:
            return False
        pieces = self.encode(sample)
        words = len(sample.split())
        return UNK not in pieces and len([p for p in pieces if p != "\u2581"]) <= MAX_PIECES_PER_WORD * words

    def target_token(self, lang: str | None) -> str | None:
        """The token that selects the target language, when the vocabulary has such tokens."""
        if not self.tokens:
            return None
        wanted = f">>{LANG_CODES.get(lang or '', lang or '')}<<"
        if wanted in self.tokens:
            return wanted
        return self.tokens[0] if len(self.tokens) == 1 else None


def choose_placeholder(vocab: Vocabulary) -> str | None:
    """The first placeholder form the model reads and writes whole; None when none does (then the
    placeholder strategy cannot work with this model)."""
    return next((form for form in PLACEHOLDER_FORMS if vocab.survives(form)), None)


def placeholder_report(vocab: Vocabulary) -> tuple[str | None, str]:
    """(the form chosen, why), in words for ``models check``."""
    chosen = choose_placeholder(vocab)
    refused = [f.format(n=1) for f in PLACEHOLDER_FORMS[:PLACEHOLDER_FORMS.index(chosen) if chosen else None]]
    if chosen is None:
        return None, f"no placeholder form survives ({', '.join(refused)} reach the model as <unk>)"
    why = f"{chosen.format(n=1)} is read and written whole"
    if refused:
        why += f"; {', '.join(refused)} would reach it with <unk> pieces"
    return chosen, why


def check_vocabulary(folder: Path, sentences: Sequence[str], tgt: str | None,
                     src: str | None = None) -> dict[str, Any]:
    """What briefgen will lose with the model whose tokenizer files are in ``folder``: the JSON of
    ``briefgen models vocab-check`` (README, Models)."""
    vocab = Vocabulary.load(folder)
    unk, total, chars = vocab.unknown(sentences)
    chosen = choose_placeholder(vocab)
    form = chosen or PLACEHOLDER_FORMS[0]
    protection: dict[str, dict[str, Any]] = {"placeholder": {"form": form.format(n=1), "survives": chosen is not None}}
    if tgt in INLINE_SAMPLES and tgt != src:
        protection["inline"] = {"form": INLINE_SAMPLES[tgt], "survives": vocab.reads_inline(tgt)}
    return {"unk_share": round(unk / total, 4) if total else 0.0, "unknown_chars": chars,
            "protection": protection, "target_token": vocab.target_token(tgt)}


def tokenizer_languages(folder: Path) -> tuple[str | None, str | None]:
    """(source, target) as the folder's tokenizer_config.json names them, when it does."""
    path = folder / "tokenizer_config.json"
    if not path.is_file():
        return None, None
    data = _json(path)
    return data.get("source_lang"), data.get("target_lang")


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable ({exc})") from exc


def checked_placeholder(folder: Path, manifest: dict[str, Any], name: str) -> tuple[Vocabulary, str | None]:
    """An installed model's vocabulary and the placeholder form to give it: the one recorded at install
    (``manifest["placeholder"]``) when it still survives the vocabulary as installed, else the one chosen now,
    with a warning (a manifest edited, or a model installed before forms were chosen: then info only)."""
    import logging

    log = logging.getLogger(__name__)
    vocab = Vocabulary.load(folder / "ct2")
    if "placeholder" not in manifest:
        chosen = choose_placeholder(vocab)
        log.info("%s: installed before placeholder forms were chosen; using %s", name, chosen)
        return vocab, chosen
    recorded = manifest["placeholder"]
    if recorded is None or (recorded in PLACEHOLDER_FORMS and vocab.survives(recorded)):
        return vocab, recorded
    chosen = choose_placeholder(vocab)
    log.warning("%s: the placeholder form recorded at install, %s does not survive the model's vocabulary; "
                "using %s", name, str(recorded).format(n=1),
                chosen.format(n=1) if chosen else "none (no placeholder protection for this model)")
    return vocab, chosen


def strategies(folder: Path, src: str, tgt: str) -> str:
    """Which protection strategies the installed src→tgt model can use and why, for ``models check``."""
    vocab = Vocabulary.load(folder / "ct2")
    chosen, why = placeholder_report(vocab)
    if src == tgt or tgt not in INLINE_SAMPLES:
        inline = "inline no (no sample for the target language)"
    elif vocab.reads_inline(tgt):
        inline = f"inline yes (its source side reads {tgt} terms as words)"
    else:
        pieces = vocab.encode(INLINE_SAMPLES[tgt])
        how = "as <unk>" if UNK in pieces else f"spelled out in {len(pieces)} pieces"
        inline = f"inline no ({tgt} terms reach it {how})"
    placeholder = f"placeholder {chosen.format(n=1)} ({why})" if chosen else f"placeholder no ({why})"
    return f"repair yes; {inline}; {placeholder}"
