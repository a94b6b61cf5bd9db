"""The benchmark's workload: a French meeting record of a chosen size, written from seeded sentence parts.

The sentences read like the ICT-diplomacy records briefgen is for (the example record's themes, the
glossary's terms, figures and dates), every one distinct, none in any translation memory. The same seed
gives the same record, so runs and machines compare.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUBJECTS_PLURAL = (
    "Les deux parties", "Les deux ministres", "Les délégations", "Les experts des deux ministères",
    "Les représentants des régulateurs nationaux", "Les deux gouvernements", "Les ministères concernés",
    "Les groupes de travail techniques", "Les chefs des délégations", "Les opérateurs publics des deux pays",
)
VERBS_PLURAL = (
    "ont examiné", "ont passé en revue", "ont évoqué", "ont salué les progrès accomplis concernant",
    "ont décidé {de} renforcer", "ont réaffirmé leur volonté {de} développer", "ont souligné la nécessité {de} "
    "soutenir", "ont proposé {de} étendre", "étudieront", "examineront", "soutiendront", "évalueront",
    "prépareront un rapport sur", "élaboreront une feuille de route pour", "s'engagent à promouvoir",
    "entendent approfondir", "souhaitent intensifier", "prévoient {de} accélérer", "ont fait le point sur",
)
SUBJECTS_SINGULAR = (
    "La partie russe", "La partie égyptienne", "Le ministère du Développement numérique",
    "Le ministère des Communications et des Technologies de l'information", "Le régulateur national",
    "L'Agence nationale de sécurité des systèmes d'information", "Le groupe de travail conjoint",
    "Le vice-ministre", "Le secrétariat de la commission intergouvernementale",
)
VERBS_SINGULAR = (
    "a présenté son expérience concernant", "a rappelé les engagements pris concernant",
    "propose {de} organiser un séminaire sur", "a annoncé un programme pilote pour", "soutient",
    "a fait part de son intérêt pour", "coordonnera", "évaluera", "a transmis une note technique sur",
    "préparera un projet d'accord sur", "suit avec attention", "souhaite élargir",
)
OBJECTS = (
    "la coopération bilatérale dans le domaine de la cybersécurité",
    "la protection des données personnelles et de la vie privée",
    "le développement des infrastructures numériques dans les zones rurales",
    "la formation de spécialistes en intelligence artificielle",
    "l'interopérabilité des systèmes d'administration électronique",
    "la sécurité des réseaux de télécommunications de nouvelle génération",
    "les échanges d'expérience entre les équipes nationales d'intervention en cas d'incident informatique",
    "la création d'un centre d'excellence pour la cybersécurité",
    "le déploiement de la fibre optique et des réseaux mobiles de cinquième génération",
    "la lutte contre la cybercriminalité et l'utilisation des technologies à des fins criminelles",
    "la numérisation des services publics et des procédures administratives",
    "l'accès des petites et moyennes entreprises aux marchés numériques",
    "l'hébergement des données et l'informatique en nuage",
    "la gouvernance internationale de l'internet",
    "les normes techniques élaborées au sein de l'Union internationale des télécommunications",
    "la recherche conjointe sur les semi-conducteurs et la microélectronique",
    "la production locale de composants électroniques",
    "les programmes de mobilité pour les étudiants et les chercheurs",
    "la protection des infrastructures critiques de l'information",
    "les paiements électroniques et l'identité numérique",
    "l'inclusion numérique des femmes et des jeunes",
    "le transfert de technologies et la protection de la propriété intellectuelle",
    "la coopération entre les parcs technologiques des deux pays",
    "la gestion du spectre radioélectrique",
    "la sécurité des applications d'intelligence artificielle",
    "les centres de données et la résilience des réseaux",
    "la certification des produits de sécurité informatique",
    "l'éducation numérique dans les écoles et les universités",
    "les systèmes de navigation par satellite et leurs applications civiles",
    "la médecine à distance et les services de santé en ligne",
)
COMPLEMENTS = (
    "d'ici la fin de l'année {year}", "dans le cadre du mémorandum d'entente signé au Caire en {year0}",
    "avec le soutien des organismes de normalisation des deux pays",
    "conformément aux recommandations de l'Union internationale des télécommunications",
    "en tenant compte des priorités nationales de chaque partie", "au cours des {n} prochains mois",
    "sur la base des conclusions du groupe de travail conjoint",
    "en coopération avec le secteur privé et les universités",
    "dans le respect de la législation nationale en vigueur",
    "lors de la prochaine session de la commission intergouvernementale",
    "pour un budget estimé à {money} millions de dollars", "avant le {day} {month} {year}",
    "en associant les autorités régionales et les collectivités locales",
    "selon un calendrier que les experts arrêteront ensemble",
)
FACTS = (
    "Selon les données du ministère, le nombre d'abonnés à l'internet à haut débit a augmenté de {pct} % en "
    "{year0}.",
    "Le secteur des technologies de l'information représente désormais {pct} % du produit intérieur brut.",
    "Plus de {k} spécialistes ont été formés depuis le lancement du programme en {year0}.",
    "La couverture des réseaux mobiles atteint {pct} % du territoire habité.",
    "Les exportations de services informatiques ont dépassé {money} millions de dollars l'an dernier.",
    "Quelque {k} incidents de sécurité informatique ont été signalés au cours du dernier exercice.",
    "Le nombre de services publics accessibles en ligne a été porté à {k}.",
)
TOPICS = (
    ("cybersecurity", "Coopération dans le domaine de la cybersécurité"),
    ("data-protection", "Protection des données personnelles"),
    ("infrastructure", "Infrastructures numériques et connectivité"),
    ("artificial-intelligence", "Intelligence artificielle"),
    ("e-government", "Administration électronique et services publics en ligne"),
    ("electronics", "Conception et fabrication de produits électroniques"),
    ("capacity-building", "Renforcement des capacités et formation"),
    ("internet-governance", "Gouvernance de l'internet et coopération multilatérale"),
    ("spectrum", "Gestion du spectre et réseaux de nouvelle génération"),
    ("cybercrime", "Lutte contre la cybercriminalité"),
    ("digital-economy", "Économie numérique et petites et moyennes entreprises"),
    ("research", "Recherche scientifique et parcs technologiques"),
)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre",
          "décembre")
_VOWEL = re.compile(r"^[aeéèêiouyh]", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[’'-]\w+)*")


@dataclass(frozen=True)
class Workload:
    record: Path          # the record as first built
    edited: Path          # the same record with one paragraph rewritten
    words: int            # source words in translatable text
    directions: list[str]
    edited_segment: str


class Writer:
    """Seeded sentences, each one new."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def _fill(self, text: str) -> str:
        r = self.rng
        year = r.choice((2024, 2025, 2026))
        return text.format(year=year, year0=year - r.randint(2, 6), n=r.choice((6, 9, 12, 18, 24)),
                           money=r.randint(3, 90), day=r.randint(2, 28), month=r.choice(MONTHS),
                           pct=r.randint(4, 78), k=r.randint(12, 950) * 10, de="{de}")

    def sentence(self) -> str:
        while True:
            r = self.rng
            if r.random() < 0.15:
                text = self._fill(r.choice(FACTS))
            else:
                plural = r.random() < 0.6
                subject = r.choice(SUBJECTS_PLURAL if plural else SUBJECTS_SINGULAR)
                verb = self._fill(r.choice(VERBS_PLURAL if plural else VERBS_SINGULAR))
                obj = r.choice(OBJECTS)
                if r.random() < 0.35:
                    obj += " et " + r.choice([o for o in OBJECTS if o != obj])
                verb = elide(verb)
                text = f"{subject} {verb} {obj}"
                if r.random() < 0.8:
                    text += " " + self._fill(r.choice(COMPLEMENTS))
                text += "."
            if text not in self.seen:
                self.seen.add(text)
                return text

    def paragraph(self, low: int = 1, high: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def short(self) -> str:
        """An agenda point: an infinitive clause."""
        while True:
            verb = self.rng.choice(("Promouvoir", "Examiner", "Renforcer", "Soutenir", "Évaluer", "Développer",
                                    "Encourager", "Faciliter"))
            text = f"{verb} {self.rng.choice(OBJECTS)} {self._fill(self.rng.choice(COMPLEMENTS))}."
            if text not in self.seen:
                self.seen.add(text)
                return text


def elide(verb: str) -> str:
    """``{de}`` before a verb: ``de`` or ``d'`` as French writes it."""
    head, _, rest = verb.partition("{de} ")
    if not rest:
        return verb
    return f"{head}d'{rest}" if _VOWEL.match(rest) else f"{head}de {rest}"


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


DELEGATIONS = {
    "ru": {"id": "ru", "country": "RU", "lang": "ru",
           "head": {"name": {"fr": "Maxime Chadaïev", "ru": "Максут Шадаев", "ar": "ماكسوت شادايف"},
                    "title": "Ministre du Développement numérique, des Communications et des Médias de masse"},
           "members": [{"name": {"fr": "Alexandre Chouvalov", "ru": "Александр Шувалов", "ar": "ألكسندر شوفالوف"},
                        "title": "Directeur du département de la coopération internationale"}]},
    "ar": {"id": "eg", "country": "EG", "lang": "ar", "locale": "ar_EG",
           "head": {"name": {"fr": "Amr Talaat", "ru": "Амр Талаат", "ar": "عمرو طلعت"},
                    "title": "Ministre des Communications et des Technologies de l'information"},
           "members": [{"name": {"fr": "Ahmed Hassan", "ru": "Ахмед Хассан", "ar": "أحمد حسن"},
                        "title": "Conseiller du ministre pour la cybersécurité"}]},
}


def make_record(words: int, langs: tuple[str, ...], seed: int = 2019) -> tuple[dict[str, Any], int]:
    """A record with about ``words`` source words, one delegation per target language."""
    w = Writer(seed)
    delegations = [dict(DELEGATIONS[lang]) for lang in langs]
    ids = [d["id"] for d in delegations]
    record: dict[str, Any] = {
        "id": f"bench-{words}w-{'-'.join(langs)}", "version": 1, "source_lang": "fr",
        "title": "Consultations bilatérales sur la coopération dans le domaine des technologies de "
                 "l'information et de la communication",
        "date": "2025-06-09", "venue": "Le Caire, Égypte", "country": "EG",
        "occasion": "En marge du Forum régional sur l'économie numérique",
        "classification": "Usage officiel",
        "host": "Ministère des Communications et des Technologies de l'information de la République arabe "
                "d'Égypte",
        "purpose": [w.paragraph(1, 2), w.paragraph(1, 2)],
        "delegations": delegations, "agenda": [],
        "previous_contacts": [{"date": "2024-03", "text": w.sentence()}],
    }
    total = lambda: count_words(" ".join(_strings(record)))  # noqa: E731 - counted as the record grows
    topics = list(TOPICS)
    i = 0
    while total() < words:
        key, title = topics[i % len(topics)]
        item: dict[str, Any] = {"id": key if i < len(topics) else f"{key}-{i // len(topics) + 1}",
                                "title": title if i < len(topics) else f"{title} (suite {i // len(topics) + 1})",
                                "background": [w.paragraph(2, 3), w.paragraph(1, 3)],
                                # each delegation's own talking points: translated into its language only
                                "points": {d: [w.short(), w.short()] for d in ids},
                                "positions": {ids[j % len(ids)]: [w.paragraph(1, 2)] for j in range(len(ids))},
                                "outcomes": [w.paragraph(1, 2)],
                                "actions": [{"text": w.short(), "owner": ids[i % len(ids)],
                                             "due": f"2025-{9 + i % 3:02d}-{10 + i % 15:02d}"}]}
        record["agenda"].append(item)
        i += 1
        if total() > words * 1.02:                   # trim the last item to land near the mark
            item["background"] = item["background"][:1]
            item.pop("positions")
            if total() > words * 1.02 and len(record["agenda"]) == 1:
                item.pop("outcomes")
    return record, total()


def _strings(value: Any) -> list[str]:
    """The translatable texts: plain strings of the record, without ids, codes, dates and given names."""
    skip = {"id", "version", "source_lang", "date", "country", "lang", "locale", "owner", "due"}
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        if set(value) <= {"fr", "ru", "ar"}:
            return []                         # a name given in every language: not translated
        return [s for k, v in value.items() if k not in skip for s in _strings(v)]
    return []


def write_workload(folder: Path, words: int, langs: tuple[str, ...], seed: int = 2019) -> Workload:
    """The record and its one-paragraph edit, as YAML files in ``folder``."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    record, n = make_record(words, langs, seed)
    path = folder / f"{record['id']}.yaml"
    _dump(record, path)
    item = record["agenda"][min(2, len(record["agenda"]) - 1)]
    item["background"][0] = Writer(seed + 1).paragraph(2, 2)     # new text: the memory has not seen it
    edited = folder / "edited" / path.name                        # same record id, its own folder
    edited.parent.mkdir(exist_ok=True)
    _dump(record, edited)
    assert yaml.safe_load(edited.read_text(encoding="utf-8"))["id"] == record["id"]
    return Workload(path, edited, n, [f"fr-{lang}" for lang in langs], f"agenda.{item['id']}.background.1")


def _dump(record: dict[str, Any], path: Path) -> None:
    import yaml

    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text("# Generated by bench/workload.py: benchmark input, not a real meeting.\n" + text,
                    encoding="utf-8")


def french_corpus(sentences: int, seed: int = 7) -> str:
    """Text for training the benchmark model's source sentencepiece (other seeds than the record's)."""
    w = Writer(seed)
    return "\n".join([*(w.sentence() for _ in range(sentences)), *(w.short() for _ in range(sentences // 5))])
