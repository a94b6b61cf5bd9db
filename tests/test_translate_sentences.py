"""Paragraphs are cut into sentences for the models and rebuilt in order; batches group similar lengths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.translate.sentences import length_batches, split_sentences, split_texts

SET = Path(__file__).parent / "data" / "sentences"


def labelled(lang: str) -> list[list[str]]:
    """The paragraphs of tests/data/sentences/<lang>.txt, each as its list of sentences (format: README.md)."""
    blocks: list[list[str]] = [[]]
    for line in (SET / f"{lang}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            continue
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def cut_offsets(parts: list[str]) -> set[int]:
    """Where the cuts fall, counted in non-space characters (independent of the spaces around a cut)."""
    offsets, pos = set(), 0
    for part in parts[:-1]:
        pos += len(re.sub(r"\s", "", part))
        offsets.add(pos)
    return offsets


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_the_labelled_set_is_cut_exactly_and_no_character_is_lost(lang: str) -> None:
    paragraphs = labelled(lang)
    assert len(paragraphs) >= 40 and sum(map(len, paragraphs)) >= 60
    wrong, lost, found, expected, right = [], [], 0, 0, 0
    for sentences in paragraphs:
        text = " ".join(sentences)
        got = split_sentences(text, lang)
        if re.sub(r"\s", "", "".join(got)) != re.sub(r"\s", "", text):
            lost.append(text)
        if got != sentences:
            wrong.append((sentences, got))
        g, e = cut_offsets(got), cut_offsets(sentences)
        found, expected, right = found + len(g), expected + len(e), right + len(g & e)
    precision, recall = right / found, right / expected
    assert (lost, wrong) == ([], []), f"{lang}: precision {precision:.3f}, recall {recall:.3f}"
    assert precision == recall == 1.0


def test_a_missing_abbreviation_would_be_caught_by_the_set() -> None:
    """The set is not vacuous: the same text with one table entry removed fails it."""
    from briefgen.translate import sentence_ends

    text = "Conformément à l'art. 12 du mémorandum, les parties se consultent chaque année."
    assert split_sentences(text, "fr") == [text]
    rules = sentence_ends.Rules(keep=sentence_ends.FR.keep - {"art"}, final=sentence_ends.FR.final)
    assert len(sentence_ends.cut_positions(text, rules)) == 1


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("fr", "M. Dupont est arrivé au Caire. Il a ouvert la séance ! Les débats ont suivi.",
     ["M. Dupont est arrivé au Caire.", "Il a ouvert la séance !", "Les débats ont suivi."]),
    ("ru", "Г-н Иванов прибыл в Каир. Встреча состоялась? Да.",
     ["Г-н Иванов прибыл в Каир.", "Встреча состоялась?", "Да."]),
    ("ar", "وصل الوزير إلى القاهرة. هل حضر الاجتماع؟ نعم.",
     ["وصل الوزير إلى القاهرة.", "هل حضر الاجتماع؟", "نعم."]),
])
def test_sentences_are_split_on_each_languages_punctuation_and_keep_abbreviations(
        lang: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected


def test_arabic_commas_colons_and_semicolons_never_end_a_sentence() -> None:
    text = "اتفق الطرفان على ما يلي: تعزيز تبادل الخبراء؛ وإنشاء مركز مشترك، وتنظيم مؤتمر في عام 2025."
    assert split_sentences(text, "ar") == [text]


def test_unknown_language_falls_back_to_a_punctuation_splitter() -> None:
    assert split_sentences("First one. Second one? Third", "xx") == ["First one.", "Second one?", "Third"]


def test_texts_are_rebuilt_from_their_sentences_with_line_breaks_and_blank_texts_kept() -> None:
    texts = ["Une phrase. Une autre.", "  ", "Ligne un.\nLigne deux. Encore.", " Seule. "]
    split = split_texts(texts, "fr")
    assert split.sentences == ["Une phrase.", "Une autre.", "Ligne un.", "Ligne deux.", "Encore.", "Seule."]
    upper = [s.upper() for s in split.sentences]
    assert split.join(upper) == ["UNE PHRASE. UNE AUTRE.", "  ", "LIGNE UN.\nLIGNE DEUX. ENCORE.", " SEULE. "]


def test_join_refuses_a_wrong_number_of_translations() -> None:
    with pytest.raises(ValueError):
        split_texts(["Une phrase. Une autre."], "fr").join(["une"])


def test_batches_hold_similar_lengths_and_cover_every_item_once() -> None:
    items = ["a" * n for n in (5, 50, 1, 30, 7, 49, 2)]
    batches = length_batches(items, 3)
    assert [len(b) for b in batches] == [3, 3, 1]
    assert sorted(i for b in batches for i in b) == list(range(len(items)))
    lengths = [[len(items[i]) for i in b] for b in batches]
    assert lengths == [[50, 49, 30], [7, 5, 2], [1]]
