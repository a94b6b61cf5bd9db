"""The packaged registry covers the six directions with openly licensed models; users override per direction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.config import LANGUAGES
from briefgen.errors import InputError, ModelError
from briefgen.translate.registry import PACKAGED, load_registry, parse_direction


def test_every_direction_among_french_russian_and_arabic_has_a_model_or_a_pivot(tmp_path: Path) -> None:
    reg = load_registry(tmp_path)
    assert sorted(reg.directions(LANGUAGES)) == sorted(
        f"{s}-{t}" for s in LANGUAGES for t in LANGUAGES if s != t)
    for direction in reg.directions(LANGUAGES):
        route = reg.routes[direction]
        assert route.score and route.licence, direction
        for leg in reg.legs(route.src, route.tgt):
            assert leg.family in ("marian", "m2m100", "nllb")
            assert leg.revision == "main" or re.fullmatch(r"[0-9a-f]{40}", leg.revision), leg.hub_id


def test_defaults_avoid_non_commercial_models_but_list_nllb_as_an_alternative(tmp_path: Path) -> None:
    reg = load_registry(tmp_path)
    defaults = reg.models_for(reg.directions(LANGUAGES))
    assert all("NC" not in m.licence for m in defaults)
    assert all(m.family != "nllb" for m in defaults)
    nllb = [a for a in reg.alternatives if a.family == "nllb"]
    assert nllb and all("NC" in a.licence for a in nllb)
    assert {a.tgt_token for a in nllb if a.direction == "fr-ar"} == {"arb_Arab"}


def test_multi_target_opus_models_carry_their_target_token_and_m2m100_its_language_tokens(tmp_path: Path) -> None:
    reg = load_registry(tmp_path)
    assert reg.routes["en-ar"].model is not None and reg.routes["en-ar"].model.prefix == ">>ara<<"
    m2m = [a for a in reg.alternatives if a.family == "m2m100" and a.direction == "ru-ar"]
    assert m2m and (m2m[0].src_token, m2m[0].tgt_token) == ("__ru__", "__ar__")


def test_french_to_arabic_pivots_through_english_with_two_models(tmp_path: Path) -> None:
    legs = load_registry(tmp_path).legs("fr", "ar")
    assert [leg.direction for leg in legs] == ["fr-en", "en-ar"]


def test_a_user_file_replaces_whole_direction_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "registry.toml").write_text(
        '[directions.fr-ar]\nfamily = "m2m100"\nhub_id = "facebook/m2m100_418M"\n', encoding="utf-8")
    reg = load_registry(tmp_path)
    entry = reg.routes["fr-ar"].model
    assert entry is not None and (entry.hub_id, entry.tgt_token, entry.prefix) == (
        "facebook/m2m100_418M", "__ar__", None)
    assert reg.sources == [PACKAGED, tmp_path / "registry.toml"]
    other = tmp_path / "elsewhere.toml"
    other.write_text('[directions.fr-ru]\npivot = "en"\n[directions.en-ru]\nfamily = "marian"\n'
                     'hub_id = "Helsinki-NLP/opus-mt-en-ru"\n', encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_REGISTRY", str(other))
    assert [leg.hub_id for leg in load_registry(tmp_path).legs("fr", "ru")] == [
        "Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-en-ru"]


@pytest.mark.parametrize(("text", "message"), [
    ("[directions.fr-ar]\nfamily = \"fairseq\"\nhub_id = \"x/y\"\n", "family 'fairseq'"),
    ("[directions.fr-ar]\nhub_id = \"x/y\"\n", "'family' is required"),
    ("[directions.fr-ar]\nfamily = \"marian\"\nhub_id = \"x/y\"\nrevison = \"main\"\n", "unknown field"),
    ("[directions.french-arabic]\nfamily = \"marian\"\nhub_id = \"x/y\"\n", "not a translation direction"),
    ("[directions.fr-ar]\npivot = \"de\"\n", "no model is registered for fr→de"),
    ("[directions.fr-ar\n", "not valid TOML"),
])
def test_a_broken_user_registry_is_reported_with_its_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "registry.toml").write_text(text, encoding="utf-8")
    with pytest.raises((InputError, ModelError), match=re.escape(message)):
        load_registry(tmp_path)


def test_directions_are_written_source_dash_target() -> None:
    assert parse_direction("FR-ar") == ("fr", "ar")
    for bad in ("fr", "fr_ar", "fr-fr", "fr-ar-en"):
        with pytest.raises(InputError):
            parse_direction(bad)
