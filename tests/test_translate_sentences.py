"""Paragraphs are cut into sentences for the models and rebuilt in order; batches group similar lengths."""

from __future__ import annotations

import pytest

from briefgen.translate.sentences import length_batches, split_sentences, split_texts


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
