"""Left-to-right islands in Arabic (and Arabic in Latin text) are isolated, and record text is always escaped."""

from __future__ import annotations

from pathlib import Path

import yaml
from design_support import MINIMAL, RID, minimal_context
from markupsafe import Markup

from briefgen.render.editions import editions
from briefgen.render.html import css_string, isolate, render_html
from briefgen.render.labels import LABELS, item_number, roman


def test_latin_runs_in_arabic_become_left_to_right_islands() -> None:
    out = isolate("إطار مبادرة Next Technology Leaders (NTL) عبر info@mcit.gov.eg", "rtl")
    assert out == ('إطار مبادرة <bdi dir="ltr">Next Technology Leaders</bdi> (<bdi dir="ltr">NTL</bdi>) '
                   'عبر <bdi dir="ltr">info@mcit.gov.eg</bdi>')
    assert isolate("رمز الوثيقة eg-ru-2019-06-09/v1", "rtl").endswith('<bdi dir="ltr">eg-ru-2019-06-09/v1</bdi>')


def test_figures_alone_are_left_to_the_bidi_algorithm() -> None:
    assert isolate("(8-9 يونيو 2019)", "rtl") == "(8-9 يونيو 2019)"


def test_arabic_runs_in_latin_text_become_right_to_left_islands() -> None:
    assert isolate("Délégation : مصر العربية.", "ltr") == (
        'Délégation : <bdi dir="rtl" lang="ar">مصر العربية</bdi>.')


def test_isolation_escapes_every_piece_of_record_text() -> None:
    out = isolate('<script>alert("x")</script> & نص', "rtl")
    assert isinstance(out, Markup)
    assert "<script>" not in out and "&lt;" in out and "&amp;" in out and "&#34;" in out
    text = str(out)   # four Latin runs (script, alert, x, script), each in a tag of ours; no other tag
    assert text.count("<") == text.count('<bdi dir="ltr">') + text.count("</bdi>") == 8
    assert "<img" not in isolate("<img src=x onerror=alert(1)>", "ltr")


def test_css_strings_cannot_leave_their_quotes_or_the_style_element() -> None:
    out = css_string('a"b\\c</style><script>')
    assert out.startswith('"') and out.endswith('"') and out.count('"') == 2
    assert "<" not in out and "\\" in out and "\\22 " in out


def test_record_text_is_escaped_in_brief_and_css(tmp_path: Path) -> None:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    # the loader refuses tags outright (tests/data/bad); what it lets through must still arrive escaped
    evil = '5 < 6 && 7 > 4 "ACME" & Co'

    data["title"] = {"fr": evil, "ru": evil, "ar": "اجتماع " + evil}
    data["classification"] = {"fr": "Secret", "ru": "Секретно", "ar": 'x"; } @page { content: "y'}
    record = tmp_path / "evil.yaml"
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ctx = minimal_context(record=record)
    for ed in [*editions(ctx.record)]:
        html = render_html(ctx, ed)
        assert " < " not in html and " &lt; " in html and "&amp;&amp;" in html and " &gt; " in html, ed.key
    brief = render_html(ctx, next(e for e in editions(ctx.record) if e.lang == "ar"))
    assert 'content: "x\\22 ' in brief   # the classification reaches the running header CSS-escaped


def test_labels_have_the_same_keys_and_placeholders_in_every_language() -> None:
    keys = {lang: set(labels) for lang, labels in LABELS.items()}
    assert keys["fr"] == keys["ru"] == keys["ar"]
    for labels in LABELS.values():
        assert "{who}" in labels["position"] and "{language}" in labels["master"]
        assert "{page}" in labels["page"] and "{pages}" in labels["page"]


def test_agenda_item_numbers() -> None:
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert item_number(2, "ar") == "ثانيا" and item_number(3, "fr") == "III"
    assert item_number(25, "ar") is None   # the view writes figures then


def test_example_arabic_html_isolates_the_latin_initiative_name(example_build: Path) -> None:
    html = (example_build / f"{RID}.eg.ar.html").read_text()
    # the initiative under its Arabic name, its Latin abbreviation isolated; a no-break space keeps "(NTL)."
    # with its word (never alone at the start of a line)
    assert 'مبادرة رواد تكنولوجيا المستقبل\u00a0(<bdi dir="ltr">NTL</bdi>)' in html
    assert '<html lang="ar" dir="rtl">' in html
