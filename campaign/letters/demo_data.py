"""Demo coalition content loaded by ``flask seed-demo``: partner organisations and two letters.

Pure data, condensed and paraphrased from public appeals: the 2013 appeal by human rights
defenders to the administrations of Russia and Tajikistan, and the open letter of Russian human
rights defenders to President Hollande about Kazakhstan (undated; 2014 follows from its own text).
All email addresses and websites are fictitious (example.org).
"""

# Russian text: Cyrillic letters that look like Latin ones are intended here.
# ruff: noqa: RUF001

from __future__ import annotations

_SIGNED_EN = "Representative; signed the 2013 appeal"
_SIGNED_F = {"en": _SIGNED_EN, "ru": "Представитель; подписала обращение 2013 года"}
_SIGNED_M = {"en": _SIGNED_EN, "ru": "Представитель; подписал обращение 2013 года"}
_CO_SIGNED_2013 = {
    "en": "Co-signed the 2013 appeal to Russia and Tajikistan on the rights of migrant workers.",
    "ru": "Подписала обращение 2013 года к России и Таджикистану о правах трудовых мигрантов.",
}

ORGANISATIONS: list[dict] = [
    {
        "slug": "adc-memorial",
        "names": {"en": "ADC Memorial", "ru": "АДЦ «Мемориал»"},
        "city": "St. Petersburg",
        "cities": {"ru": "Санкт-Петербург"},
        "country": "RU",
        "website": "https://adc.example.org",
        "contact_email": "appeals@adc.example.org",
        "postal_addresses": {
            "en": "P.O. Box 79, Brussels 1040, Belgium",
            "ru": "А/я 79, Брюссель 1040, Бельгия",
        },
        "description": {
            "en": "Anti-Discrimination Centre in St. Petersburg. A worshipper detained in the 2013 raid on "
            "the Apraksin Dvor mosque turned to it, and it documented the break-up of a Tajik Roma community "
            "in Gorelovo.",
            "ru": "Антидискриминационный центр в Санкт-Петербурге. К нему обратился один из задержанных "
            "при рейде 2013 года в мечети у Апраксина двора; центр выяснил, как была разрушена община "
            "таджикских цыган в Горелове.",
        },
        "representative": "Olga Abramenko",
        "representative_title": _SIGNED_F,
        "owner_email": "adc-memorial@example.org",
    },
    {
        "slug": "civic-assistance-committee",
        "names": {"en": "Civic Assistance Committee", "ru": "Комитет «Гражданское содействие»"},
        "city": "Moscow",
        "cities": {"ru": "Москва"},
        "country": "RU",
        "website": "https://civic-assistance.example.org",
        "description": {
            "en": "Moscow committee; the refugee-rights defender Elena Ryabinina worked with it. Svetlana "
            "Gannushkina signed both the 2013 appeal and the open letter to President Hollande.",
            "ru": "Московский комитет, с которым работала защитница беженцев Елена Рябинина. Светлана "
            "Ганнушкина подписала и обращение 2013 года, и открытое письмо президенту Олланду.",
        },
        "representative": "Svetlana Gannushkina",
        "representative_title": _SIGNED_F,
        "owner_email": "civic-assistance@example.org",
    },
    {
        "slug": "bureau-human-rights-due-process",
        "names": {
            "en": "Bureau for Human Rights and Due Process",
            "ru": "Бюро по правам человека и соблюдению законности",
        },
        "city": "Dushanbe",
        "cities": {"ru": "Душанбе"},
        "country": "TJ",
        "website": "https://bureau-hr.example.org",
        "description": _CO_SIGNED_2013,
        "representative": "Nargis Zokirova",
        "representative_title": _SIGNED_F,
        "owner_email": "bureau-hr@example.org",
    },
    {
        "slug": "union-of-migrant-workers",
        "names": {"en": "Union of Migrant Workers", "ru": "Союз трудовых мигрантов"},
        "city": "Moscow",
        "cities": {"ru": "Москва"},
        "country": "RU",
        "website": "https://migrant-union.example.org",
        "description": _CO_SIGNED_2013,
        "representative": "Renat Karimov",
        "representative_title": _SIGNED_M,
        "owner_email": "migrant-union@example.org",
    },
    {
        "slug": "gendermediakavkaz",
        "names": {
            "en": "Association of Journalists GenderMediaKavkaz",
            "ru": "Ассоциация журналистов «ГендерМедиаКавказ»",
        },
        "city": "Tbilisi",
        "cities": {"ru": "Тбилиси"},
        "country": "GE",
        "website": "https://gendermediakavkaz.example.org",
        "description": _CO_SIGNED_2013,
        "representative": "Галина Петриашвили",
        "representative_title": _SIGNED_F,
        "owner_email": "gendermediakavkaz@example.org",
    },
    {
        "slug": "nota-bene",
        "names": {"en": "Humanitarian Fund Nota Bene", "ru": "Гуманитарный фонд «Нота Бене»"},
        "city": "Dushanbe",
        "cities": {"ru": "Душанбе"},
        "country": "TJ",
        "website": "https://notabene.example.org",
        "description": _CO_SIGNED_2013,
        "representative": "Nigina Bakhrieva",
        "representative_title": _SIGNED_F,
        "owner_email": "nota-bene@example.org",
    },
    {
        "slug": "moscow-helsinki-group",
        "names": {"en": "Moscow Helsinki Group", "ru": "Московская Хельсинкская группа"},
        "city": "Moscow",
        "cities": {"ru": "Москва"},
        "country": "RU",
        "website": "https://mhg.example.org",
        "description": {
            "en": "Moscow human rights group. Its head Lyudmila Alexeeva and member Valery Borschev signed "
            "the open letter to President Hollande about Kazakhstan.",
            "ru": "Московская правозащитная группа. Её председатель Людмила Алексеева и член группы "
            "Валерий Борщёв подписали открытое письмо президенту Олланду о Казахстане.",
        },
        "representative": "Lyudmila Alexeeva",
        "representative_title": {"en": "Head of the Moscow Helsinki Group", "ru": "Председатель МХГ"},
        "owner_email": "mhg@example.org",
    },
]

LETTER: dict = {
    "slug": "appeal-russia-tajikistan-migrant-workers",
    "default_lang": "en",
    "coordinator": "adc-memorial",
    "translations": {
        "en": {
            "title": "Appeal by Human Rights Defenders to the Administrations of the Russian Federation "
            "and the Republic of Tajikistan",
            "body": (
                "Migrant workers from Tajikistan, hundreds of thousands of whom live in Russia, placed high "
                "hopes on the agreement signed by the migration services of both countries on 8 February "
                "2013, which was to simplify registration and let them work in Russia for three years.\n\n"
                "Yet on that very day the FSB, backed by special police forces, raided Apraksin Dvor in St. "
                "Petersburg, where a mosque is located, and rounded up almost a thousand migrant workers, "
                "many of them Tajik. Worshippers were dragged out of Friday prayers, beaten and abused. The "
                "raid was presented as a search for extremists, yet only one person, a Russian citizen, was "
                "arrested; hundreds had their documents checked and some have already been deported. One "
                "detainee told ADC Memorial that he and his elder sons were beaten and his 10-year-old son "
                "traumatised.\n\n"
                "The day before, a “preventive raid” in Gorelovo near St. Petersburg found 16 adults and 28 "
                "children in makeshift housing. The adults were handed over for deportation and the "
                "undocumented children placed in institutions pending transfer to Tajikistan, breaking up a "
                "community of Tajik Roma in breach of the family unity protected by the UN Convention on the "
                "Rights of the Child, the European Convention on Human Rights and the European Court of "
                "Human Rights.\n\n"
                "Raids followed near Moscow on 6 and 7 February and, at the end of January, in the Novgorod "
                "region with over 900 officers. Migrant workers seem left without political or legal "
                "protection, hostages of the host country, while protection by their own state is "
                "ineffectual.\n\n"
                "We demand a thorough investigation of every case of arbitrary force, unlawful detention, "
                "ill-treatment and violation of the rights of children and parents, including by the heads "
                "of the agencies that planned these operations. We call on the administrations of Russia and "
                "Tajikistan not to stop at “mutually beneficial” agreements but to continue the dialogue on "
                "the rights and freedoms of migrant workers in Russia."
            ),
        },
        "ru": {
            "title": "Обращение правозащитников к руководству Российской Федерации и Республики Таджикистан",
            "body": (
                "Трудовые мигранты из Таджикистана, сотни тысяч которых живут в России, возлагали большие "
                "надежды на соглашение миграционных служб двух стран от 8 февраля 2013 года: оно должно было "
                "упростить регистрацию и позволить им работать в России три года.\n\n"
                "Но в тот же день ФСБ при поддержке спецподразделений полиции провела рейд у Апраксина двора "
                "в Санкт-Петербурге, где находится мечеть, и задержала почти тысячу трудовых мигрантов, "
                "многие из которых — граждане Таджикистана. Верующих выволакивали с пятничной молитвы, "
                "избивали и унижали. Рейд объясняли поиском экстремистов, но арестован был лишь один человек "
                "— гражданин России; у сотен мигрантов проверили документы, некоторых уже выслали. Один из "
                "задержанных рассказал АДЦ «Мемориал», что его и старших сыновей избили, а десятилетний сын "
                "получил психологическую травму.\n\n"
                "Накануне «профилактический рейд» в Горелове под Санкт-Петербургом обнаружил в самодельных "
                "постройках 16 взрослых и 28 детей. Взрослых передали для выдворения, а детей без документов "
                "поместили в учреждения для отправки в Таджикистан. Так была разрушена община таджикских "
                "цыган — вопреки принципу единства семьи, закреплённому в Конвенции ООН о правах ребёнка, "
                "Европейской конвенции о защите прав человека и решениях Европейского суда по правам "
                "человека.\n\n"
                "Рейды прошли и под Москвой 6 и 7 февраля, а в конце января — в Новгородской области с "
                "участием более 900 сотрудников. Трудовые мигранты словно лишены политической и правовой "
                "защиты и становятся заложниками страны пребывания, а защита со стороны их государства "
                "неэффективна.\n\n"
                "Мы требуем тщательно расследовать все случаи произвольного применения силы, незаконного "
                "задержания, жестокого обращения и нарушения прав детей и родителей, в том числе со стороны "
                "руководителей ведомств, планировавших эти операции. Мы призываем руководство России и "
                "Таджикистана не ограничиваться «взаимовыгодными» соглашениями и продолжить диалог о правах "
                "и свободах трудовых мигрантов в России."
            ),
        },
    },
    "recipients": [
        {
            "name": "Vladimir Putin",
            "names": {"ru": "Владимир Путин"},
            "titles": {"en": "President of the Russian Federation", "ru": "Президент Российской Федерации"},
            "salutations": {"en": "Your Excellency, Mr. President,", "ru": "Уважаемый господин Президент!"},
            "country": "RU",
            "email": "president-ru@example.org",
            "lang": "ru",
        },
        {
            "name": "Emomali Rahmon",
            "names": {"ru": "Эмомали Рахмон", "tg": "Эмомалӣ Раҳмон"},
            "titles": {
                "en": "President of the Republic of Tajikistan",
                "ru": "Президент Республики Таджикистан",
            },
            "salutations": {"en": "Your Excellency, Mr. President,", "ru": "Уважаемый господин Президент!"},
            "country": "TJ",
            "email": "president-tj@example.org",
            "lang": "ru",
        },
    ],
    "signed_on": [
        "adc-memorial",
        "civic-assistance-committee",
        "bureau-human-rights-due-process",
        "union-of-migrant-workers",
    ],
    "campaign": None,
}

LETTER_DRAFT: dict = {
    "slug": "open-letter-hollande-kazakhstan",
    "default_lang": "en",
    "coordinator": "moscow-helsinki-group",
    "translations": {
        "en": {
            "title": "Open letter to President François Hollande on human rights in Kazakhstan",
            "body": (
                "Mr President, your visit to Kazakhstan on 5-6 December has become the central focus of "
                "Russian human rights defenders and civil society. When human rights are once again weighed "
                "against economic benefit, France must show its commitment to democracy.\n\n"
                "Kazakhstan under Nursultan Nazarbayev is an oppressive authoritarian regime: for all 23 "
                "years of independence it has been in the hands of one man. After the Zhanaozen events of "
                "December 2011, when a peaceful demonstration of oil workers was dispersed by gunfire, "
                "dissent and opposition were almost entirely eliminated.\n\n"
                "Activist Roza Tuletayeva was tortured and sentenced to five years. Opposition leader "
                "Vladimir Kozlov (Alga) was arrested on his return from presenting a report on torture and "
                "the falsified 2012 elections to the European Parliament and Commission, and sentenced in a "
                "show trial to 7.5 years. Human rights defender Vadim Kuramshin was sentenced to 12 years "
                "after reporting on torture in prisons at the OSCE conference in Warsaw. Media that covered "
                "Zhanaozen were declared “extremist”.\n\n"
                "Persecution reaches even those who fled abroad: Astana has long sought opposition figure "
                "Mukhtar Ablyazov, whom a French court has decided to extradite to Russia or Ukraine, "
                "neither of which can guarantee a fair trial or his safety.\n\n"
                "We ask you to raise these mass violations of human rights and the persecution of the "
                "opposition and independent media during your visit, and not to trade human rights, or "
                "Ablyazov's life, for access to Kazakhstan's natural resources."
            ),
        },
        "ru": {
            "title": "Открытое письмо президенту Франции Франсуа Олланду о правах человека в Казахстане",
            "body": (
                "Господин президент, ваш визит в Казахстан 5 и 6 декабря оказался в центре внимания "
                "российских правозащитников и гражданского общества. Когда права человека вновь "
                "противопоставляют экономической выгоде, Франция должна подтвердить верность демократии.\n\n"
                "Казахстан эпохи Нурсултана Назарбаева — репрессивный авторитарный режим: все 23 года "
                "независимости страна находится в руках одного человека. После событий в Жанаозене в декабре "
                "2011 года, когда мирную демонстрацию нефтяников разогнали стрельбой, инакомыслие и "
                "оппозиция были почти полностью подавлены.\n\n"
                "Активистку Розу Тулетаеву пытали и приговорили к пяти годам. Лидера партии «Алга!» "
                "Владимира Козлова арестовали по возвращении из Европы, где он представил Европарламенту и "
                "Еврокомиссии доклад о пытках и фальсификации выборов 2012 года, и на показательном процессе "
                "приговорили к 7,5 годам. Правозащитник Вадим Курамшин получил 12 лет после доклада о пытках "
                "в местах заключения на конференции ОБСЕ в Варшаве. СМИ, освещавшие Жанаозен, объявили "
                "«экстремистскими».\n\n"
                "Преследования настигают и уехавших: Астана давно добивается выдачи оппозиционера Мухтара "
                "Аблязова, которого французский суд решил экстрадировать в Россию или Украину, — ни одна из "
                "этих стран не гарантирует ему справедливого суда и безопасности.\n\n"
                "Мы просим вас во время визита поднять вопрос о массовых нарушениях прав человека и "
                "преследовании оппозиции и независимых СМИ и не менять права человека и жизнь Аблязова на "
                "доступ к природным ресурсам Казахстана."
            ),
        },
    },
    "recipients": [
        {
            "name": "François Hollande",
            "names": {"ru": "Франсуа Олланд"},
            "titles": {"en": "President of the French Republic", "ru": "Президент Французской Республики"},
            "salutations": {"en": "Your Excellency, Mr. President,", "ru": "Уважаемый господин Президент!"},
            "country": "FR",
            "email": "president-fr@example.org",
            "lang": "en",
        },
    ],
    "signed_on": [],
    "campaign": "free-roza-tuletayeva",
}
