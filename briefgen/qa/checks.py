"""Quality checks on every build, per language and segment, in the spirit of Xbench and eLUNa:
untranslated text, numbers, glossary terms, placeholder remnants, participants' names, inconsistency,
length ratios. Reviewed and given text is checked too; its glossary misses are warnings, not errors."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass

from ..figures import differences, hints_of, identifiers, missing_identifiers, numbers, scan
from ..memory.lookup import Translations
from ..record.schema import Record
from ..record.segments import Segment
from ..terms.glossary import Glossary
from ..terms.match import index_for, matched_term, partner_of, second_opinion
from ..textsafety import unsafe_character

SEVERITIES = ("error", "warning")

_PERCENT = re.compile(r"%|٪|\bpour ?cent\b|процент", re.IGNORECASE)
_REMNANTS = re.compile(r"⟦|⟧|<\s*/?\s*[tT]\s*\d+\s*>|\[\s*[tT]\s*\d+\s*\]|\{\{|\}\}|<unk>|▁")


@dataclass(frozen=True)
class Issue:
    severity: str
    lang: str
    segment_id: str
    para: int | None
    code: str
    message: str
    source: str
    target: str
    origin: str       # given | reviewed | reused | machine (provenance.py), printed (rendered-text checks)

    def row(self) -> dict[str, str]:
        return {k: "" if v is None else str(v) for k, v in asdict(self).items()}


def check(record: Record, segs: list[Segment], texts: dict[str, dict[str, str]],
          origin: dict[str, dict[str, str]], glossary: Glossary) -> list[Issue]:
    src = record.source_lang
    names = _names(record)
    issues: list[Issue] = []
    for lang in sorted(texts):
        if lang == src:
            continue
        tgt_index = index_for(glossary, lang) if glossary.concepts else None
        avoid_index = index_for(glossary, lang, avoid=True) if glossary.concepts else None
        src_index = index_for(glossary, src) if glossary.concepts else None
        seen: dict[str, tuple[str, str]] = {}
        for s in segs:
            if not s.needed_in(lang):    # another delegation's own paragraph: not translated into this language
                continue
            target = texts[lang].get(s.id, "")
            how = origin.get(lang, {}).get(s.id, "machine")

            def add(severity: str, code: str, message: str, s: Segment = s, target: str = target,
                    how: str = how, lang: str = lang) -> None:
                issues.append(Issue(severity, lang, s.id, s.para, code, message, s.source, target, how))

            if how == "given":
                continue   # a person supplied this version in the record itself
            if not target.strip():
                add("error", "untranslated", "the translation is empty")
                continue
            if target.strip() == s.source.strip() and re.search(r"[^\W\d_]{3,}", s.source):
                add("error", "untranslated", "the translation is identical to the source")
            unsafe = unsafe_character(target)
            if unsafe:
                add("error", "hidden-character", f"the translation contains {unsafe}")
            if _REMNANTS.search(target):
                add("error", "placeholder", f"placeholder or tokenizer remnant '{_REMNANTS.search(target).group()}'")
            # numbers compared as values, each read in its own language's conventions ("1 250,5" = "1,250.5");
            # an ambiguous one in the translation ("1,250") is read as the source has it
            a = numbers(s.source, src)
            b = numbers(target, lang, hints_of(s.source, src))
            lost, extra = differences(a, b)
            if lost or extra:
                detail = "; ".join(x for x in (f"missing {', '.join(lost)}" if lost else "",
                                               f"unexpected {', '.join(extra)}" if extra else "") if x)
                add("error", "number", f"numbers differ from the source: {detail}")
            unclear = [f.raw for f in scan(target, lang, hints_of(s.source, src)) if f.kind == "ambiguous"]
            if unclear:
                add("warning", "ambiguous-number", f"«{unclear[0]}» can be read as thousands or as a decimal; it is "
                    "printed as written: write it as the language groups thousands (1 250) or decimals (1,25)")
            for key in missing_identifiers(identifiers(s.source, src), target):
                add("error", "identifier", f"«{key}» must appear in the translation exactly as in the source")
            if len(_PERCENT.findall(s.source)) != len(_PERCENT.findall(target)):
                add("error", "percent", "a percentage in the source is not a percentage in the translation")
            for source_name, target_name in names.get(lang, {}).items():
                if source_name in s.source and target_name not in target:
                    add("error", "name", f"the name «{source_name}» should appear as «{target_name}»")
            if tgt_index is not None and src_index is not None and avoid_index is not None:
                present = tgt_index.present(target)
                reading = src_index.read(s.source)   # the segment is the passage, as translation decides it
                for d in reading.unenforced:
                    # a miss the translator sees is cheap, a wrong term the minister reads is not: say so
                    add("warning", "term-sense", d.message())
                # a term with other senses that a machine draft renders as nothing the termbase knows was
                # declined by the translator (glossed.py: the model's reading as a second opinion)
                declined = second_opinion(reading) if how == "machine" else set()
                for m in reading.matches:
                    if m.concept.terms.get(lang) and \
                            not tgt_index.renders(target, m, partner_of(m, reading.matches), present):
                        if m.concept.id in declined:
                            add("warning", "term-sense", f"«{m.text}» ({m.concept.id}) not enforced: the model's "
                                f"draft renders it otherwise, and the text may use this word in another sense; if "
                                f"it is meant here, write «{m.concept.preferred(lang)}» in review")
                            continue
                        # checked, not enforced: its words are another term's, which a translation may share too
                        if m.shared:
                            add("warning", "term", f"«{m.text}» ({m.concept.id}), which overlaps «{m.partner}», is "
                                f"not rendered: say it with that term, merged as the sentence needs (base term "
                                f"«{m.concept.preferred(lang)}»)")
                            continue
                        if m.elided:   # named by its own term: «protection» alone does not tell which is missing
                            add("warning", "term", f"«{matched_term(m, src)}» ({m.concept.id}), said in the source "
                                f"by «{m.text}» coordinated with «{m.partner}», is not rendered: let the shared "
                                f"words cover both, as the source does, or write «{m.concept.preferred(lang)}»")
                            continue
                        add("error" if how == "machine" else "warning", "term",
                            f"glossary term «{m.text}» should be rendered «{m.concept.preferred(lang)}» "
                            f"({m.concept.id})")
                for m in avoid_index.find(target):
                    add("error", "avoid-term", f"«{m.text}» is to be avoided: {m.concept.note or m.concept.id}")
            if len(s.source) >= 20:
                ratio = len(target) / len(s.source)
                if not 0.4 <= ratio <= 2.5:
                    add("warning", "length", f"translation is {ratio:.1f}× the length of the source")
            key = " ".join(s.source.split()).casefold()
            if key in seen and seen[key][1] != target:
                add("warning", "inconsistent", f"the same source is translated differently in {seen[key][0]}")
            seen.setdefault(key, (s.id, target))
    return issues


def rendered(record: Record, segs: list[Segment], texts: dict[str, dict[str, str]],
             printed: list[dict]) -> list[Issue]:
    """What each PDF actually prints against what its texts say: every number (as a value) and identifier of a
    paragraph must be found in the text read back at that paragraph's anchor, and no text may leave the page.

    ``printed``: one entry per PDF, {"file", "lang", "rtl", "paragraphs": {segment id: {"text", "runs"} as
    printed, in reading order}, "off_page": [(page, text)]} (the pipeline reads the PDFs; QA compares).
    Right-to-left figures are drawn mirrored as a whole ("٢٠٢٥–٢٠٢٤" is the range 2024–2025 read from the
    right); they are read back in reading order."""
    src = record.source_lang
    by_id = {s.id: s for s in segs}
    issues: list[Issue] = []
    for pdf in printed:
        lang, name = pdf["lang"], pdf["file"]
        for seg_id, printed_at in pdf["paragraphs"].items():
            shown = in_reading_order(printed_at["text"], bool(pdf.get("rtl")))
            s = by_id.get(seg_id)
            if s is None or seg_id not in texts.get(lang, {}):
                continue
            target = texts[lang][seg_id]
            hints = hints_of(s.source, src) if lang != src else frozenset()
            expected = numbers(target, lang, hints)
            values = {v for k in expected for v in _values(k)}
            found = numbers(shown, lang, values)
            if pdf.get("parallel_with"):
                # a parallel edition's lines join the source's column and the translation's, each read left to
                # right, so an Arabic figure comes out after its visual-order full stop (".٢٠١٩") and a French
                # date in Arabic conventions reads as a name with its number: the figures are read run by run
                # and in the source's conventions too. The source column prints the same values; the
                # delegation's own brief checks the translation's figures strictly.
                found |= numbers(shown, pdf["parallel_with"], values)
                for run in printed_at["runs"]:
                    found |= numbers(run, lang, values)
            lost, _ = differences(expected, found)
            if lost:
                issues.append(Issue("error", lang, seg_id, s.para, "printed-number",
                                    f"{name}: {', '.join(lost)} not printed as a number where the text has it "
                                    f"(printed: {shown[:120]})", s.source, target, "printed"))
            gone = missing_identifiers(identifiers(target, lang), shown, printed_at["runs"])
            if pdf.get("parallel_with"):
                # both columns print the identifier, broken across their lines: each line's runs hold a piece
                # of the source column's copy, then of the translation's; the pieces of one copy, in order, are it
                gone = [key for key in gone if not _in_order(key, printed_at["runs"])]
            if gone:
                issues.append(Issue("error", lang, seg_id, s.para, "printed-identifier",
                                    f"{name}: «{gone[0]}» is not printed as written", s.source, target, "printed"))
        issues += _word_spaces(pdf, by_id)
        for page, text in pdf.get("off_page", [])[:1]:
            issues.append(Issue("error", lang, "", None, "off-page",
                                f"{name}: text runs off page {page} ({text[:40]}…)", "", text, "printed"))
    return issues


def _word_spaces(pdf: dict, by_id: dict[str, Segment]) -> list[Issue]:
    """A justified line whose widest word-space is over what its language tolerates (``word_space``, em): the
    renderer sets such a paragraph ragged, so one left is a line the ragged setting did not mend."""
    limit, lang, name = pdf.get("word_space"), pdf["lang"], pdf["file"]
    if limit is None:
        return []
    issues = []
    ragged = set(pdf.get("ragged", []))
    for seg_id in pdf.get("justified", []):
        printed_at = pdf["paragraphs"].get(seg_id)
        if seg_id in ragged or printed_at is None or seg_id not in by_id:
            continue
        loose = [line for line in printed_at.get("lines", []) if line["full"] and line["widest"] > limit]
        if loose:
            s = by_id[seg_id]
            worst = max(loose, key=lambda line: line["widest"])
            issues.append(Issue("error", lang, seg_id, s.para, "word-space",
                                f"{name}: a justified line spaces its words {worst['widest']:.2f} em apart, over "
                                f"the {limit:.2f} em allowed: «{worst['text'][:80]}»", s.source, "", "printed"))
    return issues


def _in_order(key: str, runs: list[str]) -> bool:
    """Whether some of ``runs``, in order, make up ``key`` exactly (spaces aside)."""
    want, at = "".join(key.split()), 0
    for run in runs:
        piece = "".join(run.split())
        if piece and want.startswith(piece, at):
            at += len(piece)
            if at == len(want):
                return True
    return False


def in_reading_order(printed: str, rtl: bool) -> str:
    """A paragraph's text as read back, its right-to-left figures in reading order: a range is drawn mirrored
    as a whole ("٢٠٢٥–٢٠٢٤" is 2024–2025 read from the right)."""
    return _ARABIC_RANGE.sub(r"\3\2\1", printed) if rtl else printed


_ARABIC_RANGE = re.compile("([\u0660-\u0669\u066b\u066c]+)([\u2013])([\u0660-\u0669\u066b\u066c]+)")


def _values(key: str) -> list:
    from decimal import Decimal

    return [Decimal(v) for v in key.split("|")]


def unenforced_terms(segs: list[Segment], tr: Translations, glossary: Glossary) -> list[Issue]:
    """One issue per machine-drafted segment where the glossary could not enforce a term: which term, and
    which strategies were tried (the missing term itself is also an error of the term check above)."""
    by_id = {s.id: s for s in segs}
    issues = []
    for lang, rows in sorted(tr.term_failures.items()):
        for seg_id, concepts, tried in rows:
            s = by_id.get(seg_id)
            if s is None:
                continue
            names = ", ".join(f"«{glossary.concepts[c].preferred(lang) or c}»" if c in glossary.concepts else c
                              for c in concepts)
            issues.append(Issue("warning", lang, s.id, s.para, "term-unenforced",
                                f"the glossary could not enforce {names}: the model's own rendering was not found "
                                f"and {', '.join(t for t in tried if t != 'repair') or 'no protection'} did not "
                                "carry it through; correct the term in review",
                                s.source, tr.texts.get(lang, {}).get(s.id, ""), tr.origin.get(lang, {}).get(s.id, "")))
    return issues


def provenance_issues(segs: list[Segment], tr: Translations) -> list[Issue]:
    """Where a printed text is not the record's own (provenance.py): a reviewed translation the memory holds
    from another record (a warning naming it), and two reviewed translations that disagree (an error naming
    both)."""
    by_id = {s.id: s for s in segs}
    issues = []
    for lang, found in sorted(tr.reused_from.items()):
        for seg_id, where in found.items():
            s = by_id[seg_id]
            issues.append(Issue("warning", lang, seg_id, s.para, "reused",
                                f"not in the record's .tmx: a reviewed translation from {where} is printed; confirm "
                                "it in review (`briefgen review export`, then `import`) to make it the record's own",
                                s.source, tr.texts[lang][seg_id], "reused"))
    for c in tr.conflicts:
        s = by_id[c.segment_id]
        issues.append(Issue("error", c.lang, c.segment_id, s.para, "conflict", c.message(), s.source,
                            tr.texts[c.lang][c.segment_id], tr.origin[c.lang][c.segment_id]))
    return issues


def _names(record: Record) -> dict[str, dict[str, str]]:
    """Participants' names as the record gives them: lang -> source form -> form in that language."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for d in record.delegations:
        for person in [d.head, *d.members]:
            source = person.name.versions.get(record.source_lang)
            for lang, text in person.name.versions.items():
                if source and lang != record.source_lang:
                    out[lang][source] = text
    return out


def summary(issues: list[Issue]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SEVERITIES, 0))
    for i in issues:
        out[i.lang][i.severity] += 1
    return dict(out)


def errors_in(issues: list[Issue], file: dict) -> int:
    """The QA errors of one PDF of the set (a manifest ``files`` entry): those naming it (what it prints, a
    leak into it) and those of a translation it prints (its language, one of its segments)."""
    segs = set(file.get("segments", []))
    return sum(1 for i in issues if i.severity == "error" and (
        i.message.startswith(f"{file['file']}: ") or (i.lang == file["lang"] and i.segment_id in segs
                                                       and i.origin != "printed" and i.code != "leak")))


def fails(issues: list[Issue], level: str | None) -> bool:
    if level is None:
        return False
    worst = SEVERITIES[: SEVERITIES.index(level) + 1]
    return any(i.severity in worst for i in issues)
