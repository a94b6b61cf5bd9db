"""Print what the real opus-mt tokenizer files in tests/data/tokenizers read: the figures behind
docs/terminology.md ("What the real vocabularies read") and the honest double's calibration.

    PYTHONPATH=. python scripts/vocab_figures.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from briefgen.record.load import load_record
from briefgen.record.segments import segments
from briefgen.translate.preprocess import DEFAULTS
from briefgen.translate.sentences import split_texts
from briefgen.translate.vocab import UNK, Vocabulary, choose_placeholder

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("opus-mt-tc-big-fr-en", "opus-mt-tc-big-en-pt", "opus-mt-ar-fr", "opus-mt-fr-pl")
CHARS = ("<", "–", "—", "«", "»", "€", "\u2010")
HARD = {"fr": "Le plan « Égypte numérique » 2019–2024 — 5 € — e‑administration.",
        "ar": "خطة « مصر الرقمية » 2019–2024 — 5 €."}
RECORDS = {"fr": ROOT / "meetings" / "eg-ru-2019-06-09.yaml",
           "ar": ROOT / "tests" / "data" / "records" / "eg-ru-sn-2024-11-20.yaml",
           "ru": ROOT / "tests" / "data" / "records" / "ru-dz-2024-05-14.yaml"}


def glossary_words(lang: str) -> list[str]:
    with open(ROOT / "glossaries" / "ict.tsv", encoding="utf-8") as fh:
        return [w for row in csv.DictReader(fh, delimiter="\t") for term in row[lang].split("|") for w in term.split()]


def per_word(vocab: Vocabulary, words: list[str]) -> str:
    pieces = [vocab.encode(w) for w in words]
    unk = sum(UNK in p for p in pieces) / len(words)
    mean = sum(len([x for x in p if x != "\u2581"]) for p in pieces) / len(words)
    return f"{mean:.1f}" + (f" ({unk:.0%} <unk>)" if unk else "")


def record_sentences(lang: str) -> list[str]:
    rec = load_record(RECORDS[lang]).record
    return split_texts([s.source for s in segments(rec)], lang).sentences


def main() -> None:
    words = {lang: glossary_words(lang) for lang in ("en", "fr", "ru", "ar")}
    print("| tokenizer (source side) | " + " | ".join(f"`{c}`" for c in CHARS)
          + " | placeholder | pieces/word en | fr | ru | ar |")
    print("|---" * (len(CHARS) + 6) + "|")
    for name in FOLDERS:
        vocab = Vocabulary.load(ROOT / "tests" / "data" / "tokenizers" / name)
        cells = ["<unk>" if UNK in vocab.encode(f"a{c}b") else "read" for c in CHARS]
        form = choose_placeholder(vocab)
        print(f"| {name} | " + " | ".join(cells) + f" | {form.format(n=1) if form else 'none'} | "
              + " | ".join(per_word(vocab, words[lang]) for lang in ("en", "fr", "ru", "ar")) + " |")
    print()
    print("| record → tokenizer | <unk> share as written | after preprocessing |")
    print("|---|---|---|")
    for lang, name in (("fr", "opus-mt-tc-big-fr-en"), ("fr", "opus-mt-fr-pl"), ("ar", "opus-mt-ar-fr")):
        vocab = Vocabulary.load(ROOT / "tests" / "data" / "tokenizers" / name)
        raw = [*record_sentences(lang), HARD[lang]]
        for label, sentences in (("raw", raw), ("pre", DEFAULTS["marian"].apply_all(raw, lang))):
            unk, total, chars = vocab.unknown(sentences)
            if label == "raw":
                before = f"{unk / total:.2%} ({' '.join(chars)})"
            else:
                print(f"| {RECORDS[lang].stem} + one hard sentence → {name} | {before} | {unk / total:.2%} |")


if __name__ == "__main__":
    main()
