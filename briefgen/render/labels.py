"""The fixed wording of a brief in each language (headings, cover lines, page furniture).

Every language has the same keys (a test checks it). ``{who}``, ``{language}``, ``{letter}``, ``{page}`` and
``{pages}`` are filled in by the view model; nothing here comes from a record.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "doc_kind": "Note d’information",
        "parallel_kind": "Édition parallèle pour les interprètes",
        "master": "Exemplaire de référence, version originale ({language})\u00a0: éléments de langage et notes "
                  "de toutes les délégations",
        "master_issuer": "Service du protocole",
        "master_marking": "Exemplaire interne — ne pas remettre aux délégations",
        "prepared_for": "Délégation destinataire\u00a0: {who}",
        "prepared_for_named": "À l’intention de la {who}",
        "date": "Date",
        "venue": "Lieu",
        "occasion": "Cadre",
        "host": "Établi par",
        "symbol": "Cote",
        "classification": "Classification",
        "purpose": "Objet de l’entretien",
        "participants": "Participants",
        "title_lead": "",
        "head": "Chef de délégation",
        "delegation": "Délégation",
        "agenda": "Points de l’ordre du jour",
        "background": "Contexte",
        "points": "Éléments de langage",
        "points_of": "Éléments de langage\u00a0: {who}",
        "notes": "Notes à l’intention de la délégation",
        "notes_of": "Notes à l’intention de la délégation\u00a0: {who}",
        "position": "Position attendue de la {who}",
        "outcomes": "Résultats attendus",
        "actions": "Suites à donner proposées",
        "action": "Action",
        "owner": "Responsable",
        "due": "Échéance",
        "previous": "Contacts antérieurs",
        "terms": "Annexe\u00a0: terminologie",
        "terms_note": ("Termes retenus par le glossaire pour les notions de la présente note, "
                      "dans les trois langues dans lesquelles elle est établie."),
        "terms_note_two": ("Termes retenus par le glossaire pour les notions de la présente note, "
                          "dans les deux langues dans lesquelles elle est établie."),
        "omitted_one": ("Numérotation commune aux notes des deux délégations\u00a0: le paragraphe {numbers}, "
                        "qui expose la position attendue de votre délégation, ne figure pas dans la présente note."),
        "omitted_many": ("Numérotation commune aux notes des deux délégations\u00a0: les paragraphes {numbers}, "
                         "qui exposent la position attendue de votre délégation, ne figurent pas dans la présente "
                         "note."),
        "para_no": "N°",
        "page": "Page {page} sur {pages}",
        "signature": "Identifiant de version",
        "comma": ", ",
        "colon": "\u00a0: ",
        "item_sep": ". ",
        "num_suffix": ".",
        "letter_mark": "{letter})",
    },
    "ru": {
        "doc_kind": "Справочная записка",
        "parallel_kind": "Параллельный текст для переводчиков",
        "master": "Контрольный экземпляр, оригинал ({language} язык): тезисы и указания всех делегаций",
        "master_issuer": "Протокольная служба",
        "master_marking": "Экземпляр для внутреннего пользования — делегациям не передается",
        "prepared_for": "Для делегации {who}",
        "prepared_for_named": "Для {who}",
        "date": "Дата",
        "venue": "Место",
        "occasion": "Формат встречи",
        "host": "Исполнитель",
        "symbol": "Шифр документа",
        "classification": "Гриф",
        "purpose": "Цель встречи",
        "participants": "Участники",
        "title_lead": "— ",
        "head": "Глава делегации",
        "delegation": "Делегация",
        "agenda": "Вопросы повестки дня",
        "background": "Справочно",
        "points": "Тезисы к беседе",
        "points_of": "Тезисы к беседе: {who}",
        "notes": "Указания делегации",
        "notes_of": "Указания делегации: {who}",
        "position": "Ожидаемая позиция {who}",
        "outcomes": "Ожидаемые результаты",
        "actions": "Предлагаемые последующие действия",
        "action": "Мероприятие",
        "owner": "Ответственный",
        "due": "Срок",
        "previous": "Предыдущие контакты",
        "terms": "Приложение: терминология",
        "terms_note": ("Термины, принятые в глоссарии для понятий настоящей записки, на трех языках, "
                       "на которых она составлена."),
        "terms_note_two": ("Термины, принятые в глоссарии для понятий настоящей записки, на двух языках, "
                           "на которых она составлена."),
        "omitted_one": ("Нумерация пунктов в записках обеих делегаций единая; пункт {numbers} (ожидаемая позиция "
                        "вашей делегации) в настоящую записку не включен."),
        "omitted_many": ("Нумерация пунктов в записках обеих делегаций единая; пункты {numbers} (ожидаемая позиция "
                         "вашей делегации) в настоящую записку не включены."),
        "para_no": "№",
        "page": "Страница {page} из {pages}",
        "signature": "Идентификатор версии",
        "comma": ", ",
        "colon": ": ",
        "item_sep": ". ",
        "num_suffix": ".",
        "letter_mark": "{letter})",
    },
    # No short vowels (harakat) in these labels: WeasyPrint maps each glyph to the text of the first cluster
    # it appears in, so a vowelled letter here would leave the bare letter unextractable everywhere else.
    "ar": {
        "doc_kind": "مذكرة إحاطة",
        "parallel_kind": "نسخة متوازية للمترجمين الفوريين",
        "master": "النسخة المرجعية، الأصل (باللغة {language}): نقاط الحديث والملاحظات لجميع الوفود",
        "master_issuer": "إدارة المراسم",
        "master_marking": "نسخة داخلية — لا تسلم إلى الوفود",
        "prepared_for": "أعدت لوفد {who}",
        "prepared_for_named": "أعدت {who}",
        "date": "التاريخ",
        "venue": "المكان",
        "occasion": "المناسبة",
        "host": "الجهة المعدة",
        "symbol": "رمز الوثيقة",
        "classification": "درجة السرية",
        "purpose": "الغرض من اللقاء",
        "participants": "المشاركون",
        "title_lead": "",
        "head": "رئيس الوفد",
        "delegation": "الوفد",
        "agenda": "بنود جدول الأعمال",
        "background": "معلومات أساسية",
        "points": "نقاط الحديث",
        "points_of": "نقاط الحديث: {who}",
        "notes": "ملاحظات للوفد",
        "notes_of": "ملاحظات للوفد: {who}",
        "position": "الموقف المتوقع {who}",
        "outcomes": "النتائج المتوقعة",
        "actions": "إجراءات المتابعة المقترحة",
        "action": "الإجراء",
        "owner": "الجهة المسؤولة",
        "due": "الموعد النهائي",
        "previous": "اللقاءات السابقة",
        "terms": "ملحق: المصطلحات",
        "terms_note": ("المصطلحات المعتمدة في المسرد للمفاهيم الواردة في هذه المذكرة، "
                       "باللغات الثلاث التي أعدت بها."),
        "terms_note_two": ("المصطلحات المعتمدة في المسرد للمفاهيم الواردة في هذه المذكرة، "
                           "باللغتين اللتين أعدت بهما."),
        "omitted_one": ("ترقيم الفقرات موحد في مذكرتي الوفدين، ولا تتضمن هذه المذكرة الفقرة {numbers} التي تتناول "
                        "الموقف المتوقع لوفدكم."),
        "omitted_many": ("ترقيم الفقرات موحد في مذكرتي الوفدين، ولا تتضمن هذه المذكرة الفقرات {numbers} التي تتناول "
                         "الموقف المتوقع لوفدكم."),
        "para_no": "رقم",
        "page": "صفحة {page} من {pages}",
        "signature": "معرف الإصدار",
        "comma": "، ",
        "colon": ": ",
        "item_sep": ": ",
        "num_suffix": "\u00a0-",
        "letter_mark": "({letter})",
    },
}
# Before a participant's title: Russian delegation lists write «Носков Константин Юрьевич — Министр …».
# After a paragraph number: "12." in French and Russian; Arabic writes "١٢ -" as UN documents do, since a
# full stop beside Arabic-Indic digits reads as a zero ("١." looks like "١٠").

# Agenda items are counted apart from the numbered paragraphs, in the way each language's ministries do:
# Roman numerals in French and Russian, ordinal words in Arabic. Paragraph numbers stay plain figures.
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_AR_ORDINALS = ("أولا", "ثانيا", "ثالثا", "رابعا", "خامسا", "سادسا", "سابعا", "ثامنا", "تاسعا", "عاشرا",
                "حادي عشر", "ثاني عشر", "ثالث عشر", "رابع عشر", "خامس عشر", "سادس عشر", "سابع عشر",
                "ثامن عشر", "تاسع عشر", "عشرون")


# A delegation's own paragraphs (talking points, notes) are lettered within their block, as ministries letter
# sub-items: a) b) c) in French; а) б) в) in Russian (GOST R 7.0.97 leaves out ё з й о ч ъ ы ь); (أ) (ب) (ج)
# in Arabic, in the abjadi order UN Arabic documents use.
_LETTERS = {
    "fr": "abcdefghijklmnopqrstuvwxyz",
    "ru": "абвгдежиклмнпрстуфхцшщэюя",
    "ar": ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف", "ص", "ق", "ر",
           "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ"),
}


def letter(n: int, lang: str) -> str:
    """The mark of the n-th lettered paragraph of a block ("b)", "б)", "(ب)"); past the alphabet, doubled."""
    letters = _LETTERS[lang]
    k, i = divmod(n - 1, len(letters))
    return LABELS[lang]["letter_mark"].format(letter=letters[i] * (k + 1))


def doubled(n: int, lang: str) -> bool:
    """Whether the n-th mark is past the alphabet (doubled letters, wider than the mark column)."""
    return n > len(_LETTERS[lang])


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def item_number(n: int, lang: str) -> str | None:
    """The agenda item's number as a heading prefix; None when the caller should write figures."""
    if lang == "ar":
        return _AR_ORDINALS[n - 1] if n <= len(_AR_ORDINALS) else None
    return roman(n)
