"""The desk's guard, over plain HTTP (Starlette's test client on the real application): the token, the Host,
CSRF and Origin checks, the size cap, no path from the client to the disk, escaped content, the stale-save
refusal without JavaScript, and the command's refusals."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from desk_support import example_missing, tmx_text
from starlette.testclient import TestClient

from briefgen.cli import main
from briefgen.config import Settings
from briefgen.desk.app import MAX_BODY, DeskConfig, create_app
from briefgen.memory.review import ReviewEdit, save_review
from briefgen.memory.store import Memory, Unit

FIRST = "agenda.cybersecurity.outcomes.1"
SOURCE = "Accord de principe des deux ministres sur une coopération dans le domaine de la cybersécurité."
TOKEN = "t0ken-for-tests"
HOST = "127.0.0.1:9999"


@pytest.fixture()
def record(tmp_path: Path) -> Path:
    return example_missing(tmp_path / "rec", (FIRST,))


def _client(record: Path, tmp_path: Path, *, with_token: bool = True) -> TestClient:
    app = create_app(DeskConfig(record, Settings(out_dir=tmp_path / "out"), TOKEN, frozenset({HOST}), "ar"))
    client = TestClient(app, base_url=f"http://{HOST}", follow_redirects=False)
    if with_token:
        response = client.get(f"/ar?token={TOKEN}")
        assert response.status_code == 303 and response.headers["location"] == "/ar"
        assert "samesite=strict" in response.headers["set-cookie"].lower()
    return client


def _form(client: TestClient, path: str = "/ar") -> dict[str, str]:
    page = client.get(path).text
    csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
    version = re.search(rf'<input type="hidden" name="seg" value="{re.escape(FIRST)}">\s*'
                        r'<input type="hidden" name="version" value="([^"]+)">', page).group(1)
    return {"csrf": csrf, "seg": FIRST, "version": version, "reviewer": "Tester", "show": ""}


def test_a_request_without_the_token_is_refused(record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path, with_token=False)
    for path in ("/", "/ar", "/ar/preview.pdf", "/static/desk.css"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "needs the address with its token" in response.text
    assert client.get("/ar?token=wrong").status_code == 403
    assert client.post("/ar/save", data={"seg": FIRST, "text": "x"}).status_code == 403
    client.cookies.set("briefgen_desk", "wrong")
    assert client.get("/ar").status_code == 403


def test_the_page_holds_every_text_in_order_readable_without_javascript(record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    page = client.get("/ar")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    ids = re.findall(r'<article class="seg status-(\w+)" id="row-([^"]+)"', page.text)
    assert ids[0] == ("reviewed", "title") and ids[-1] == ("reviewed", "previous.1")
    assert ("missing", FIRST) in ids
    assert ("given", "delegations.eg.head.name") in ids
    assert all("points.ru" not in seg for _, seg in ids)         # the other side's own lines never reach ar
    assert "Accord de principe des deux ministres sur une coopération dans le domaine de la cybersécurité." in page.text
    missing = client.get("/ar?show=missing").text
    assert re.findall(r'id="row-([^"]+)"', missing) == [FIRST]
    assert "Item 1 · Coopération dans le domaine de la cybersécurité — Outcomes" in missing
    assert 'href="/ar?show=missing" aria-current="page"' in missing
    # the glossary term that applies, in its preferred Arabic form
    assert "cybersécurité</span> → <strong lang=\"ar\" dir=\"rtl\">الأمن السيبراني</strong>" in missing


def test_saving_without_javascript_redirects_to_the_next_text_and_a_stale_one_shows_both(
        record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    form = _form(client)
    response = client.post("/ar/save", data={**form, "text": "النص الأول."})
    assert response.status_code == 303
    assert response.headers["location"] == "/ar#row-agenda.cybersecurity.outcomes.2"
    assert tmx_text(record.with_suffix(".tmx"), FIRST, "ar") == ("النص الأول.", "review:Tester")
    with Memory(Settings().memory, read_only=True) as memory:      # and into the memory, as review import does
        unit = memory.lookup("fr", "ar", SOURCE, None, FIRST)
    assert (unit.tgt_text, unit.status, unit.signature, unit.record_id) == ("النص الأول.", "reviewed",
                                                                           "review:Tester", "eg-ru-2019-06-09")
    # the same form again: its version is the one before the save, so it is refused and both are shown
    stale = client.post("/ar/save", data={**form, "text": "نص متأخر."})
    assert stale.status_code == 409
    assert 'data-role="theirs">النص الأول.</p>' in stale.text and 'data-role="mine">نص متأخر.</p>' in stale.text
    assert tmx_text(record.with_suffix(".tmx"), FIRST, "ar") == ("النص الأول.", "review:Tester")


def test_forms_from_elsewhere_wrong_hosts_and_big_bodies_are_refused(record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    form = _form(client)
    assert client.post("/ar/save", data={**form, "csrf": "forged", "text": "x"}).status_code == 403
    assert client.post("/ar/save", data={k: v for k, v in form.items() if k != "csrf"}).status_code == 403
    evil = client.post("/ar/save", data={**form, "text": "x"}, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "cross-site" in evil.text
    assert client.post("/ar/save", json={**form, "text": "x"}).status_code == 403     # only form encoding
    assert client.get("/ar", headers={"Host": "evil.example:9999"}).status_code == 400   # DNS rebinding
    big = client.post("/ar/save", data={**form, "text": "ا" * MAX_BODY})
    assert big.status_code == 413
    assert tmx_text(record.with_suffix(".tmx"), FIRST, "ar") is None        # nothing of these was saved


def test_no_client_path_reaches_the_disk_and_record_text_is_escaped(record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    for path in ("/static/..%2f..%2f..%2fpyproject.toml", "/static/desk.css%00", "/static/app.py",
                 "/..%2fpyproject.toml", "/ar/preview.pdf?edition=..%2f..%2fetc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "[project]" not in response.text
    assert client.get("/static/desk.css").status_code == 200
    # a translation is untrusted text: markup is refused as review import refuses it, the rest shown escaped
    form = _form(client)
    refused = client.post("/ar/save", data={**form, "text": "<script>alert(1)</script> «نص»"})
    assert refused.status_code == 422 and "<script>" not in refused.text
    assert "text contains markup &#39;&lt;script&gt;&#39;" in refused.text
    assert tmx_text(record.with_suffix(".tmx"), FIRST, "ar") is None
    hostile = 'نص 1 < 2 & "x" > 0 \'y\''
    assert client.post("/ar/save", data={**form, "text": hostile}).status_code == 303
    page = client.get("/ar").text
    assert "نص 1 &lt; 2 &amp; &#34;x&#34; &gt; 0 &#39;y&#39;</textarea>" in page


def test_the_check_endpoint_runs_the_builds_checks_on_the_typed_text(record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    csrf = _form(client)["csrf"]
    checks = client.post("/ar/check", data={"csrf": csrf, "seg": "occasion",
                                            "text": "على هامش اجتماع مجموعة العشرين ⟦1⟧ (٨-١٠ يونيو ٢٠١٩)"},
                         headers={"Accept": "application/json"}).json()["checks"]
    codes = {c["code"]: c["message"] for c in checks}
    assert codes["placeholder"] == "placeholder or tokenizer remnant '⟦'"
    assert codes["number"] == "numbers differ from the source: missing 9; unexpected 1, 10"
    name = client.post("/ar/check", data={"csrf": csrf, "seg": "delegations.eg.head.title",
                                          "text": "وزير الاتصالات"}, headers={"Accept": "application/json"})
    assert name.status_code == 200
    unknown = client.post("/ar/check", data={"csrf": csrf, "seg": "agenda.cybersecurity.points.ru.1", "text": "x"})
    assert unknown.status_code == 404        # another delegation's own line is no text of the Arabic page


def test_a_stale_edit_is_refused_by_the_library_whoever_calls_it(record: Path, tmp_path: Path) -> None:
    source = SOURCE
    save_review(record, "ar", [ReviewEdit(FIRST, source, "أول.", expected="")], Settings(), reviewer="a")
    from briefgen.memory.review import StaleEditError

    with pytest.raises(StaleEditError) as caught:
        save_review(record, "ar", [ReviewEdit(FIRST, source, "ثان.", expected="")], Settings(), reviewer="b")
    assert caught.value.current == "أول."
    assert tmx_text(record.with_suffix(".tmx"), FIRST, "ar") == ("أول.", "review:a")


def test_serve_refuses_another_host_without_the_flag_and_a_language_the_record_lacks(record: Path) -> None:
    err = io.StringIO()
    assert main(["review", "serve", str(record), "--host", "0.0.0.0"], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith("briefgen: error: --host 0.0.0.0: the desk listens on 127.0.0.1 only unless "
                                     "--allow-remote is given")
    err = io.StringIO()
    assert main(["review", "serve", str(record), "--lang", "fr"], stdout=io.StringIO(), stderr=err) == 2
    assert "--lang fr:" in err.getvalue() and "(it has: ar, ru)" in err.getvalue()


def test_the_last_builds_qa_findings_are_shown_and_filtered(tmp_path: Path) -> None:
    from lxml import etree

    record = example_missing(tmp_path / "rec", ())
    tmx = record.with_suffix(".tmx")
    tree = etree.parse(str(tmx))     # a reviewed Arabic occasion with the wrong dates: the build's QA finds it
    tu = tree.find(".//tu[@tuid='occasion']")
    tuv = next(t for t in tu.findall("tuv") if t.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar")
    tuv.find("seg").text = "على هامش الاجتماع الوزاري لمجموعة العشرين (٨-١٠ يونيو ٢٠١٩)"
    tree.write(str(tmx), encoding="UTF-8", xml_declaration=True)
    # the error is the point: the build accepts it so that its qa.tsv is there for the desk to show
    assert main(["build", str(record), "--out", str(tmp_path / "out"), "--accept-qa-errors"], stdout=io.StringIO(),
                stderr=io.StringIO()) == 0
    client = _client(record, tmp_path)
    page = client.get("/ar?show=qa").text
    assert re.findall(r'id="row-([^"]+)"', page) == ["occasion"]
    assert "<strong>last build · error</strong> numbers differ from the source: missing 9; unexpected 10" in page
    assert "QA findings from the last build: " in page


def test_a_text_whose_source_changed_since_review_shows_the_previous_translation(tmp_path: Path) -> None:
    record = example_missing(tmp_path / "rec", ())
    client = _client(record, tmp_path)
    assert client.get("/ar").status_code == 200        # the reviewed translations as they were, read once
    old = ("Faire le point sur la coopération dans le domaine des technologies de l’information et de la "
           "communication (TIC) depuis la visite du ministre russe en Égypte")
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, "Dresser le bilan de la coopération dans le domaine des TIC depuis la visite "
                                        "du ministre russe en Égypte"), encoding="utf-8")
    page = client.get("/ar?show=changed").text
    assert re.findall(r'id="row-([^"]+)"', page) == ["purpose.2"]
    assert "Changed since reviewed" in page
    assert f"<del>{old} en mars 2019.</del>" in page
    previous = re.search(r'data-role="previous">([^<]+)</p>', page).group(1)
    assert previous == ("استعراض مستجدات التعاون في مجال تكنولوجيا المعلومات والاتصالات منذ زيارة الوزير الروسي "
                        "إلى مصر في مارس 2019.")


def test_a_reviewed_translation_reused_from_another_record_awaits_confirmation(record: Path, tmp_path: Path) -> None:
    with Memory(Settings().memory, read_only=False) as memory:
        memory.store([Unit("fr", "ar", SOURCE, "ترجمة من محضر آخر.", "reviewed", "review:someone", "other-record",
                           FIRST)])
    client = _client(record, tmp_path)
    page = client.get("/ar?show=machine").text
    assert re.findall(r'id="row-([^"]+)"', page) == [FIRST]
    assert "Reused from another record" in page and "ترجمة من محضر آخر.</textarea>" in page
    # none is missing, but one text is printed that nobody confirmed for this record: the page says so
    assert '<span data-role="finish">None is missing; 1 text awaits confirmation.</span>' in page
    # confirmed as it is, it becomes the record's own: into its .tmx
    assert client.post("/ar/save", data={**_form(client), "text": "ترجمة من محضر آخر."}).status_code == 303
    assert tmx_text(record.with_suffix(".tmx"), FIRST, "ar") == ("ترجمة من محضر آخر.", "review:Tester")
    page = client.get("/ar").text
    assert 'class="seg status-reviewed" id="row-agenda.cybersecurity.outcomes.1"' in page
    assert re.search(r'<span data-role="finish">✓ All \d+ texts reviewed: none is missing.</span>', page)


def test_a_record_gone_while_the_desk_runs_is_one_line_on_the_page(record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    record.rename(record.with_suffix(".moved"))
    page = client.get("/ar")
    assert page.status_code == 422
    assert "cannot read the record any more (No such file or directory); put it back, or restart the desk" in page.text
    assert "Traceback" not in page.text


def test_a_save_answers_with_the_counts_and_a_warning_confirmed_anyway_stays_findable(
        record: Path, tmp_path: Path) -> None:
    client = _client(record, tmp_path)
    page = client.get("/ar").text
    assert '<span class="n" data-count="missing">1</span>' in page
    assert re.search(r'<p class="done" id="done"[^>]* hidden>', page)          # one text still missing
    assert "Warnings" in page and '<span class="n" data-count="warnings">0</span>' in page
    # confirmed without the glossary's «الأمن السيبراني» for «cybersécurité»: a warning, saved anyway
    answer = client.post("/ar/save", data={**_form(client), "text": "اتفق الوزيران على التعاون."},
                         headers={"Accept": "application/json"}).json()
    assert {c["severity"] for c in answer["checks"]} == {"warning"}
    assert "term" in {c["code"] for c in answer["checks"]}
    assert answer["counts"]["missing"] == 0 and answer["counts"]["reviewed"] == answer["counts"]["editable"]
    assert answer["done"] is True and answer["finish"].startswith("✓ All ")
    page = client.get("/ar?show=warnings").text
    assert re.findall(r'id="row-([^"]+)"', page) == [FIRST]
    assert '<span class="n" data-count="warnings">1</span>' in page
    assert re.search(r'<p class="done" id="done" tabindex="-1" role="status"><span data-role="finish">✓ All \d+ '
                     r'texts reviewed: none is missing.</span>', page)
    # a clean text says so, rather than leave its findings empty
    page = client.get("/ar").text
    clean = page.split('id="row-occasion"', 1)[1].split("</article>", 1)[0]
    assert '<p class="pass" data-role="pass">✓ Checks pass</p>' in clean
    warned = page.split(f'id="row-{FIRST}"', 1)[1].split("</article>", 1)[0]
    assert '<p class="pass" data-role="pass" hidden>' in warned


def test_a_glossary_the_build_refuses_stops_the_desk_naming_every_row_at_fault(record: Path) -> None:
    glossary = record.with_suffix(".glossary.tsv")
    rows = [("sc", "comité de pilotage", "руководящий комитет", "لجنة القيادة"),
            ("sc-2", "comité de pilotage", "управляющий комитет", "لجنة التوجيه"),
            ("pa", "agent public", "государственный служащий", "الموظف العمومي"),
            ("cs", "agent public", "гражданский служащий", "الموظف الحكومي")]
    glossary.write_text("id\tdomain\tfr\tru\tar\ten\tstatus\tnote\n" + "".join(
        f"{i}\tgov\t{fr}\t{ru}\t{ar}\t{i}\tpreferred\t\n" for i, fr, ru, ar in rows), encoding="utf-8")
    err = io.StringIO()      # the build refuses it: the desk, which prints what a build would, does too
    assert main(["build", str(record), "--out", str(record.parent / "out"), "--no-memory"],
                stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith(f"briefgen: error: {glossary}:3: fr: 'comité de pilotage' of sc-2")
    err = io.StringIO()
    assert main(["review", "serve", str(record)], stdout=io.StringIO(), stderr=err) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"briefgen: error: {glossary}:3: 2 errors, and `briefgen build` refuses this "
                               "glossary too: line 3: fr: 'comité de pilotage' of sc-2 also belongs to sc ")
    assert " · line 5: fr: 'agent public' of cs also belongs to pa " in lines[0]
    assert lines[0].endswith("fix each row (whoever keeps the glossary chooses the translation that stays), then "
                             "start the desk again")
    assert "Traceback" not in err.getvalue()
