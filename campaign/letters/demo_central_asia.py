"""Demo: the statement of eight international NGOs to the five Central Asian presidents after the
EU-Central Asia summit in Samarkand (April 2025), condensed from the public text in shared/seeds;
and the address book's entries for the presidents, in their languages. Fictitious addresses only.
"""

# Russian and Central Asian text: Cyrillic letters that look like Latin ones are intended here.
# ruff: noqa: RUF001

from __future__ import annotations

_YOUR_EXCELLENCY = {"en": "Your Excellency, Mr. President,", "ru": "Уважаемый господин Президент!"}

#: the five presidents; Russian is the letter's language for each (an official or working language
#: in every one of the five countries, and one the letter exists in)
PRESIDENTS: list[dict] = [
    {
        "name": "Kassym-Jomart Tokayev",
        "names": {"ru": "Касым-Жомарт Токаев", "kk": "Қасым-Жомарт Тоқаев"},
        "titles": {
            "en": "President of the Republic of Kazakhstan",
            "ru": "Президент Республики Казахстан",
            "kk": "Қазақстан Республикасының Президенті",
        },
        "salutations": _YOUR_EXCELLENCY | {"kk": "Құрметті Президент мырза!"},
        "country": "KZ",
        "email": "president-kz@example.org",
        "lang": "ru",
    },
    {
        "name": "Sadyr Japarov",
        "names": {"ru": "Садыр Жапаров", "ky": "Садыр Жапаров"},
        "titles": {
            "en": "President of the Kyrgyz Republic",
            "ru": "Президент Кыргызской Республики",
            "ky": "Кыргыз Республикасынын Президенти",
        },
        "salutations": _YOUR_EXCELLENCY | {"ky": "Урматтуу Президент мырза!"},
        "country": "KG",
        "email": "president-kg@example.org",
        "lang": "ru",
    },
    {
        "name": "Emomali Rahmon",
        "names": {"ru": "Эмомали Рахмон", "tg": "Эмомалӣ Раҳмон"},
        "titles": {
            "en": "President of the Republic of Tajikistan",
            "ru": "Президент Республики Таджикистан",
            "tg": "Президенти Ҷумҳурии Тоҷикистон",
        },
        "salutations": _YOUR_EXCELLENCY | {"tg": "Ҷаноби Президенти муҳтарам!"},
        "country": "TJ",
        "email": "president-tj@example.org",
        "lang": "ru",
    },
    {
        "name": "Serdar Berdimuhamedov",
        "names": {"ru": "Сердар Бердымухамедов", "tk": "Serdar Berdimuhamedow"},
        "titles": {
            "en": "President of Turkmenistan",
            "ru": "Президент Туркменистана",
            "tk": "Türkmenistanyň Prezidenti",
        },
        "salutations": _YOUR_EXCELLENCY | {"tk": "Hormatly Prezident jenaplary!"},
        "country": "TM",
        "email": "president-tm@example.org",
        "lang": "ru",
    },
    {
        "name": "Shavkat Mirziyoyev",
        "names": {"ru": "Шавкат Мирзиёев", "uz": "Shavkat Mirziyoyev"},
        "titles": {
            "en": "President of the Republic of Uzbekistan",
            "ru": "Президент Республики Узбекистан",
            "uz": "Oʻzbekiston Respublikasi Prezidenti",
        },
        "salutations": _YOUR_EXCELLENCY | {"uz": "Hurmatli Prezident janoblari!"},
        "country": "UZ",
        "email": "president-uz@example.org",
        "lang": "ru",
    },
]

_INTERNATIONAL = {
    "en": "International human rights organisation; signed the April 2025 statement to the Central Asian "
    "presidents after the Samarkand summit.",
    "ru": "Международная правозащитная организация; подписала заявление апреля 2025 года к президентам "
    "Центральной Азии после саммита в Самарканде.",
}

ORGANISATIONS: list[dict] = [
    {
        "slug": "civil-rights-defenders",
        "names": {"en": "Civil Rights Defenders", "ru": "«Защитники гражданских прав»"},
        "city": "Stockholm",
        "cities": {"ru": "Стокгольм"},
        "country": "SE",
        "website": "https://crd.example.org",
        "contact_email": "central-asia@crd.example.org",
        "postal_addresses": {
            "en": "Östgötagatan 90, 116 64 Stockholm, Sweden",
            "ru": "Östgötagatan 90, 116 64 Стокгольм, Швеция",
        },
        "description": _INTERNATIONAL,
        "representative": "Ivar Dale",
        "representative_title": {"en": "Senior Policy Adviser", "ru": "Старший советник по политике"},
        "owner_email": "civil-rights-defenders@example.org",
    },
    {
        "slug": "iphr",
        "names": {
            "en": "International Partnership for Human Rights (IPHR)",
            "ru": "Международное партнёрство за права человека (IPHR)",
        },
        "city": "Brussels",
        "cities": {"ru": "Брюссель"},
        "country": "BE",
        "website": "https://iphr.example.org",
        "contact_email": "",
        "postal_addresses": {},
        "description": _INTERNATIONAL,
        "representative": "Brigitte Dufour",
        "representative_title": {"en": "Director", "ru": "Директор"},
        "owner_email": "iphr@example.org",
    },
    {
        "slug": "norwegian-helsinki-committee",
        "names": {"en": "Norwegian Helsinki Committee", "ru": "Норвежский Хельсинкский комитет"},
        "city": "Oslo",
        "cities": {"ru": "Осло"},
        "country": "NO",
        "website": "https://nhc.example.org",
        "contact_email": "",
        "postal_addresses": {},
        "description": _INTERNATIONAL,
        "representative": "Berit Lindeman",
        "representative_title": {"en": "Secretary General", "ru": "Генеральный секретарь"},
        "owner_email": "nhc@example.org",
    },
    {
        "slug": "fidh",
        "names": {
            "en": "International Federation for Human Rights (FIDH)",
            "ru": "Международная федерация за права человека (FIDH)",
        },
        "city": "Paris",
        "cities": {"ru": "Париж"},
        "country": "FR",
        "website": "https://fidh.example.org",
        "contact_email": "",
        "postal_addresses": {},
        "description": _INTERNATIONAL,
        "representative": "Alice Mogwe",
        "representative_title": {"en": "President", "ru": "Президент"},
        "owner_email": "fidh@example.org",
    },
]

_BODY_EN = """On 4 April 2025 the first EU-Central Asia summit in Samarkand ended in a joint declaration \
in which all five presidents committed to freedom of expression and association, an enabling \
environment for civil society and independent media, and the protection of human rights defenders. \
We, the undersigned organisations, welcome these commitments and urge you to match them with concrete action.

## Our demands

1. **Release** everyone imprisoned on retaliatory charges: journalists, bloggers, lawyers, human rights \
defenders, civil society activists and political opponents.
2. **Repeal** laws that contradict these commitments, in particular:
    - the laws on so-called "foreign agents", "foreign representatives" and "undesirable foreign persons";
    - vaguely worded provisions on "extremism", "incitement" and "false information".
3. **End** the misuse of anti-extremism and anti-disinformation tools against civil society, and the \
transnational repression of critics abroad.

> Ensuring freedom of expression and association, an enabling environment for civil society and independent \
media, protection of human rights defenders [...] remain at the core of EU-Central Asia relations. \
(Joint declaration, paragraph 16)

In Kazakhstan, we ask for the release of activist Aigerim Tleuzhanova and opposition leader Marat \
Zhylanbayev; in Kyrgyzstan, of journalist Makhabat Tajibek Kyzy; in Tajikistan, of journalists Rukhshona \
Hakimova and Abdusattor Pirmuhammadzoda and lawyer Buzurgmehr Yorov; in Turkmenistan, an end to the \
harassment of journalist Soltan Achilova; in Uzbekistan, the release of lawyer Dauletmurat Tadzhimuratov.

The full statement and its sources: https://crd.example.org/central_asia_summit_2025"""

_BODY_RU = """4 апреля 2025 года первый саммит ЕС — Центральная Азия в Самарканде завершился совместной \
декларацией, в которой все пять президентов обязались обеспечивать свободу выражения мнений и объединений, \
благоприятные условия для гражданского общества и независимых СМИ и защиту правозащитников. Мы, \
нижеподписавшиеся организации, приветствуем эти обязательства и призываем вас подкрепить их конкретными \
действиями.

## Наши требования

1. **Освободить** всех, кто заключён под стражу по надуманным обвинениям в отместку за свою деятельность: \
журналистов, блогеров, адвокатов, правозащитников, гражданских активистов и политических оппонентов.
2. **Отменить** законы, противоречащие этим обязательствам, в частности:
    - законы об «иностранных агентах», «иностранных представителях» и «нежелательных иностранных лицах»;
    - расплывчатые нормы об «экстремизме», «возбуждении розни» и «ложной информации».
3. **Прекратить** использование антиэкстремистских мер и мер против дезинформации против гражданского \
общества и транснациональные репрессии против критиков за рубежом.

> Обеспечение свободы выражения мнений и объединений, благоприятной среды для гражданского общества и \
независимых СМИ, защита правозащитников [...] остаются в основе отношений ЕС и Центральной Азии. \
(Совместная декларация, пункт 16)

В Казахстане мы просим освободить активистку Айгерим Тлеужанову и оппозиционного политика Марата \
Жыланбаева; в Кыргызстане — журналистку Махабат Тажибек кызы; в Таджикистане — журналистов Рухшону \
Хакимову и Абдусаттора Пирмухаммадзода и адвоката Бузургмехра Ёрова; в Туркменистане — прекратить \
преследование журналистки Солтан Ачиловой; в Узбекистане — освободить юриста Даулетмурата Тажимуратова.

Полный текст заявления и источники: https://crd.example.org/central_asia_summit_2025"""

LETTER: dict = {
    "slug": "central-asia-summit-human-rights",
    "default_lang": "en",
    "coordinator": "civil-rights-defenders",
    "translations": {
        "en": {
            "title": "Central Asian leaders must deliver on the human rights pledges made at Samarkand",
            "body": _BODY_EN,
        },
        "ru": {
            "title": "Лидеры Центральной Азии должны выполнить обязательства в области прав человека, "
            "данные в Самарканде",
            "body": _BODY_RU,
        },
    },
    "recipients": PRESIDENTS,
    "signed_on": ["civil-rights-defenders", "iphr", "norwegian-helsinki-committee", "fidh"],
    "campaign": None,
}
