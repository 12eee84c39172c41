"""Demo content loaded by ``flask seed-demo``: defenders and their campaigns.

Pure data, no side effects (partner organisations and letters are in
``campaign/letters/demo_data.py``). The texts are condensed and paraphrased from public appeals:
the open letter of Russian human rights defenders to President Hollande about Kazakhstan,
European Parliament and NGO statements on Kazakhstan (2011-2013) and a Front Line Defenders
update (2014). These are historical appeals: each status is the one described in the appeal of
its year, not necessarily the present situation.

All email addresses are fictitious (example.org); the only real URLs are source links quoted in
the appeals themselves. The Hollande letter is undated; 2014 follows from its own text ("23 years
of independence" since 1991, war in Ukraine). The April 2013 European Parliament resolution, as
quoted in the seeds, spells Kuramshin's name "Kurashim".
"""

# Russian text: Cyrillic letters that look like Latin ones are intended here.
# ruff: noqa: RUF001

from __future__ import annotations

_STATUS_2014_EN = "*Status as described in the 2014 open letter to President Hollande (a historical appeal).*"
_STATUS_2014_RU = "*Статус указан по открытому письму президенту Олланду 2014 года (историческое обращение).*"
_EP_CHARGES_EN = (
    "Not specified in the appeals; the European Parliament called them vague criminal charges that could be "
    "considered politically motivated."
)
_EP_CHARGES_RU = (
    "В обращениях не уточняются; Европарламент назвал их расплывчатыми уголовными обвинениями, которые можно "
    "считать политически мотивированными."
)
_EP_2013_EN = (
    "A European Parliament resolution calls for the release of people convicted on vague, possibly "
    "politically motivated charges, naming {name}."
)
_EP_2013_RU = (
    "Резолюция Европарламента призывает освободить осуждённых по расплывчатым, возможно политически "
    "мотивированным обвинениям, и называет среди них {name}."
)
_HOLLANDE_2014_EN = (
    "In 2014 Russian human rights defenders cite {what} in an open letter to President Hollande."
)
_HOLLANDE_2014_RU = (
    "В 2014 году российские правозащитники упоминают {what} в открытом письме президенту Олланду."
)
_KZ_TARGET = {"en": "the President of Kazakhstan", "ru": "президент Казахстана"}

DEFENDERS: list[dict] = [
    {
        "slug": "roza-tuletayeva",
        "country": "KZ",
        "status": "sentenced",
        "default_lang": "en",
        "translations": {
            "en": {
                "name": "Roza Tuletayeva",
                "occupation": "Activist",
                "charges": "Not specified in the appeal; her case is cited as an example of the repression "
                "that followed the Zhanaozen events of December 2011.",
                "sentence": "5 years' imprisonment",
                "bio": (
                    "Roza Tuletayeva is a Kazakh activist. Russian human rights defenders cite the torture "
                    "she was subjected to as an example of inhumane repression; she was subsequently "
                    "sentenced to five years in prison.\n\n"
                    "Her case belongs to the crackdown that followed the Zhanaozen events of December 2011, "
                    "when a peaceful demonstration of protesting oil workers was dispersed by gunfire.\n\n"
                    + _STATUS_2014_EN
                ),
            },
            "ru": {
                "name": "Роза Тулетаева",
                "occupation": "Активистка",
                "charges": "В обращении не указаны; её дело приводится как пример репрессий после событий "
                "в Жанаозене в декабре 2011 года.",
                "sentence": "5 лет лишения свободы",
                "bio": (
                    "Роза Тулетаева — казахстанская активистка. Российские правозащитники приводят пытки, "
                    "которым она подверглась, как пример бесчеловечных репрессий; впоследствии её "
                    "приговорили к пяти годам лишения свободы.\n\n"
                    "Её дело — часть репрессий после событий в Жанаозене в декабре 2011 года, когда мирную "
                    "демонстрацию протестующих нефтяников разогнали стрельбой.\n\n" + _STATUS_2014_RU
                ),
            },
        },
        "timeline": [
            {
                "date": "2011-12-16",
                "en": "On 16 December 2011 a peaceful demonstration of oil workers in Zhanaozen is dispersed "
                "by gunfire; Amnesty International reports at least 16 people killed in clashes.",
                "ru": "16 декабря 2011 года мирную демонстрацию нефтяников в Жанаозене разгоняют стрельбой; "
                "по данным Amnesty International, в столкновениях погибли не менее 16 человек.",
            },
            {
                "date": "2014",
                "en": _HOLLANDE_2014_EN.format(what="her torture and five-year sentence"),
                "ru": _HOLLANDE_2014_RU.format(what="пытки Тулетаевой и её пятилетний срок"),
            },
        ],
        "sources": [],
        "campaign": {
            "slug": "free-roza-tuletayeva",
            "goal": 5000,
            "status": "live",
            "default_lang": "en",
            "translations": {
                "en": {
                    "title": "Freedom for Roza Tuletayeva",
                    "summary": "Activist Roza Tuletayeva was tortured and sentenced to five years in prison "
                    "in the crackdown that followed Zhanaozen. Add your name to the call for her release.",
                    "body": (
                        "In December 2011 a peaceful demonstration of protesting oil workers in Zhanaozen "
                        "was dispersed by gunfire. The repression that followed, Russian human rights "
                        "defenders wrote, all but eliminated dissent and opposition in Kazakhstan.\n\n"
                        "Activist **Roza Tuletayeva** was tortured and then sentenced to five years' "
                        "imprisonment. Independent journalists were virtually barred from working, and media "
                        "outlets that covered the Zhanaozen repression were declared “extremist”.\n\n"
                        "This campaign reproduces a historical appeal: her status is given as in 2014."
                    ),
                    "demand": "We call on the President of Kazakhstan to release Roza Tuletayeva and to have "
                    "the torture she suffered independently investigated.",
                    "target": _KZ_TARGET["en"],
                },
                "ru": {
                    "title": "Свободу Розе Тулетаевой",
                    "summary": "Активистку Розу Тулетаеву пытали и приговорили к пяти годам заключения в "
                    "ходе репрессий после Жанаозена. Поддержите требование о её освобождении.",
                    "body": (
                        "В декабре 2011 года мирную демонстрацию протестующих нефтяников в Жанаозене "
                        "разогнали стрельбой. По словам российских правозащитников, последовавшие репрессии "
                        "почти полностью подавили инакомыслие и оппозицию в Казахстане.\n\n"
                        "Активистку **Розу Тулетаеву** пытали, а затем приговорили к пяти годам лишения "
                        "свободы. Независимым журналистам фактически запретили работать, а СМИ, освещавшие "
                        "репрессии в Жанаозене, признали «экстремистскими».\n\n"
                        "Кампания воспроизводит историческое обращение: статус указан на 2014 год."
                    ),
                    "demand": "Мы призываем президента Казахстана освободить Розу Тулетаеву и обеспечить "
                    "независимое расследование пыток, которым она подверглась.",
                    "target": _KZ_TARGET["ru"],
                },
            },
        },
    },
    {
        "slug": "vladimir-kozlov",
        "country": "KZ",
        "status": "sentenced",
        "default_lang": "en",
        "translations": {
            "en": {
                "name": "Vladimir Kozlov",
                "occupation": "Leader of the opposition party Alga",
                "charges": _EP_CHARGES_EN,
                "sentence": "7.5 years' imprisonment",
                "bio": (
                    "Vladimir Kozlov led the Kazakh opposition party Alga. He presented a report by human "
                    "rights defenders on torture and on the falsification of the 2012 parliamentary "
                    "elections to the European Parliament and the European Commission. Immediately after his "
                    "return to Kazakhstan he was arrested and, in a show trial, sentenced to seven and a "
                    "half years in prison.\n\n"
                    "In April 2013 the European Parliament called for his release.\n\n" + _STATUS_2014_EN
                ),
            },
            "ru": {
                "name": "Владимир Козлов",
                "occupation": "Лидер оппозиционной партии «Алга!»",
                "charges": _EP_CHARGES_RU,
                "sentence": "7,5 лет лишения свободы",
                "bio": (
                    "Владимир Козлов возглавлял казахстанскую оппозиционную партию «Алга!». Он представил в "
                    "Европейском парламенте и Европейской комиссии доклад правозащитников о пытках и "
                    "фальсификации парламентских выборов 2012 года. Сразу после возвращения в Казахстан его "
                    "арестовали и на показательном процессе приговорили к семи с половиной годам "
                    "заключения.\n\n"
                    "В апреле 2013 года Европарламент призвал его освободить.\n\n" + _STATUS_2014_RU
                ),
            },
        },
        "timeline": [
            {
                "date": "2013-04-18",
                "en": _EP_2013_EN.format(name="Vladimir Kozlov"),
                "ru": _EP_2013_RU.format(name="Владимира Козлова"),
            },
            {
                "date": "2014",
                "en": _HOLLANDE_2014_EN.format(what="his 7.5-year sentence"),
                "ru": _HOLLANDE_2014_RU.format(what="его срок в 7,5 лет"),
            },
        ],
        "sources": [],
        "campaign": {
            "slug": "free-vladimir-kozlov",
            "goal": 3000,
            "status": "live",
            "default_lang": "en",
            "translations": {
                "en": {
                    "title": "Release Vladimir Kozlov",
                    "summary": "Opposition leader Vladimir Kozlov was sentenced to 7.5 years after reporting "
                    "to European institutions on torture and election fraud in Kazakhstan.",
                    "body": (
                        "**Vladimir Kozlov**, leader of the opposition party Alga, presented a report on "
                        "torture and on the falsified 2012 parliamentary elections to the European "
                        "Parliament and the European Commission. On his return he was immediately arrested "
                        "and sentenced in a show trial to seven and a half years in prison.\n\n"
                        "In April 2013 the European Parliament called for the release of people convicted on "
                        "vague, possibly politically motivated charges, Vladimir Kozlov among them."
                    ),
                    "demand": "We call on the President of Kazakhstan to release Vladimir Kozlov and to end "
                    "the prosecution of peaceful political opponents.",
                    "target": _KZ_TARGET["en"],
                },
                "ru": {
                    "title": "Освободить Владимира Козлова",
                    "summary": "Оппозиционного лидера Владимира Козлова приговорили к 7,5 годам после "
                    "доклада европейским институтам о пытках и фальсификации выборов в Казахстане.",
                    "body": (
                        "**Владимир Козлов**, лидер оппозиционной партии «Алга!», представил Европарламенту "
                        "и Еврокомиссии доклад о пытках и фальсификации парламентских выборов 2012 года. "
                        "Сразу по возвращении его арестовали и на показательном процессе приговорили к семи "
                        "с половиной годам лишения свободы.\n\n"
                        "В апреле 2013 года Европарламент призвал освободить осуждённых по расплывчатым, "
                        "возможно политически мотивированным обвинениям, в том числе Владимира Козлова."
                    ),
                    "demand": "Мы призываем президента Казахстана освободить Владимира Козлова и прекратить "
                    "преследование мирных политических оппонентов.",
                    "target": _KZ_TARGET["ru"],
                },
            },
        },
    },
    {
        "slug": "vadim-kuramshin",
        "country": "KZ",
        "status": "sentenced",
        "default_lang": "en",
        "translations": {
            "en": {
                "name": "Vadim Kuramshin",
                "occupation": "Human rights defender",
                "charges": _EP_CHARGES_EN,
                "sentence": "12 years' imprisonment",
                "bio": (
                    "Vadim Kuramshin is a prominent Kazakh human rights defender. He presented a report on "
                    "torture in Kazakhstan's penitentiary system at the annual OSCE conference in Warsaw; "
                    "after that, according to the open letter to President Hollande, he was persecuted and "
                    "harshly sentenced to twelve years in prison.\n\n"
                    "In April 2013 the European Parliament named him among those whose release it called "
                    "for.\n\n" + _STATUS_2014_EN
                ),
            },
            "ru": {
                "name": "Вадим Курамшин",
                "occupation": "Правозащитник",
                "charges": _EP_CHARGES_RU,
                "sentence": "12 лет лишения свободы",
                "bio": (
                    "Вадим Курамшин — известный казахстанский правозащитник. Он представил доклад о пытках в "
                    "пенитенциарной системе Казахстана на ежегодной конференции ОБСЕ в Варшаве; после этого, "
                    "как говорится в открытом письме президенту Олланду, его стали преследовать и "
                    "приговорили к суровому сроку — двенадцати годам заключения.\n\n"
                    "В апреле 2013 года Европарламент назвал его среди тех, кого призвал освободить.\n\n"
                    + _STATUS_2014_RU
                ),
            },
        },
        "timeline": [
            {
                "date": "2013-04-18",
                "en": _EP_2013_EN.format(name="Vadim Kuramshin"),
                "ru": _EP_2013_RU.format(name="Вадима Курамшина"),
            },
            {
                "date": "2014",
                "en": _HOLLANDE_2014_EN.format(what="his 12-year sentence, imposed after his OSCE report"),
                "ru": _HOLLANDE_2014_RU.format(what="его 12-летний срок, назначенный после доклада в ОБСЕ"),
            },
        ],
        "sources": [],
        "campaign": {
            "slug": "free-vadim-kuramshin",
            "goal": 2500,
            "status": "live",
            "default_lang": "en",
            "translations": {
                "en": {
                    "title": "Twelve years for reporting torture: free Vadim Kuramshin",
                    "summary": "Human rights defender Vadim Kuramshin was sentenced to 12 years after he "
                    "reported on torture in Kazakh prisons at an OSCE conference.",
                    "body": (
                        "**Vadim Kuramshin** is a prominent human rights defender from Kazakhstan. At the "
                        "annual OSCE conference in Warsaw he presented a report on torture in the country's "
                        "penitentiary system. After that, Russian human rights defenders wrote, he was "
                        "persecuted and harshly sentenced to twelve years in prison.\n\n"
                        "In April 2013 the European Parliament included him among the people convicted on "
                        "vague and possibly politically motivated charges whose release it demanded."
                    ),
                    "demand": "We call on the President of Kazakhstan to release Vadim Kuramshin and to let "
                    "human rights defenders report on torture without fear of reprisal.",
                    "target": _KZ_TARGET["en"],
                },
                "ru": {
                    "title": "Двенадцать лет за доклад о пытках: свободу Вадиму Курамшину",
                    "summary": "Правозащитника Вадима Курамшина приговорили к 12 годам после того, как он "
                    "рассказал о пытках в казахстанских тюрьмах на конференции ОБСЕ.",
                    "body": (
                        "**Вадим Курамшин** — известный казахстанский правозащитник. На ежегодной "
                        "конференции ОБСЕ в Варшаве он представил доклад о пытках в пенитенциарной системе "
                        "страны. После этого, как пишут российские правозащитники, его стали преследовать и "
                        "приговорили к суровому сроку — двенадцати годам заключения.\n\n"
                        "В апреле 2013 года Европарламент назвал его среди осуждённых по расплывчатым и, "
                        "возможно, политически мотивированным обвинениям и потребовал их освобождения."
                    ),
                    "demand": "Мы призываем президента Казахстана освободить Вадима Курамшина и позволить "
                    "правозащитникам сообщать о пытках, не опасаясь преследования.",
                    "target": _KZ_TARGET["ru"],
                },
            },
        },
    },
    {
        "slug": "tatiana-kotlyar",
        "country": "RU",
        "status": "under_investigation",
        "default_lang": "ru",
        "translations": {
            "en": {
                "name": "Tatiana Kotlyar",
                "occupation": "Deputy of the Obninsk city council; chair of the Kaluga movement "
                "“For Human Rights”",
                "charges": "Criminal investigation into allegations that she fictitiously allowed dozens of "
                "migrants to register her own apartment as their place of residence.",
                "sentence": "None: not convicted; the investigation was ongoing in May 2014.",
                "bio": (
                    "Tatiana Kotlyar is a deputy of the Obninsk city council and chairs the Kaluga movement "
                    "“For Human Rights”, which protects minority rights, including those of Roma and "
                    "migrants. Since 2011 she has let dozens of migrants register her apartment as their "
                    "place of residence free of charge.\n\n"
                    "On 30 April 2014 investigator Zimin ordered a psychiatric assessment of her, although "
                    "she has no history of psychiatric difficulties. Front Line Defenders believes this may "
                    "be linked to the fact that she asked no payment for registering more than a hundred "
                    "people.\n\n"
                    "*Status as described in the 2014 Front Line Defenders update (a historical appeal).*"
                ),
            },
            "ru": {
                "name": "Татьяна Котляр",
                "occupation": "Депутат Обнинского городского собрания; председатель калужского движения "
                "«За права человека»",
                "charges": "Уголовное расследование по подозрению в фиктивной регистрации десятков мигрантов "
                "в её собственной квартире.",
                "sentence": "Нет: приговора нет, в мае 2014 года шло расследование.",
                "bio": (
                    "Татьяна Котляр — депутат Обнинского городского собрания и председатель калужского "
                    "движения «За права человека», которое защищает права меньшинств, в том числе цыган и "
                    "мигрантов. С 2011 года она бесплатно регистрирует в своей квартире десятки "
                    "мигрантов.\n\n"
                    "30 апреля 2014 года следователь Зимин назначил ей психиатрическую экспертизу, хотя у "
                    "неё никогда не было психиатрических проблем. Front Line Defenders считает, что это "
                    "может быть связано с тем, что она не брала денег за регистрацию более чем ста "
                    "человек.\n\n"
                    "*Статус указан по сообщению Front Line Defenders 2014 года (историческое обращение).*"
                ),
            },
        },
        "timeline": [
            {
                "date": "2011",
                "en": "In 2011 she begins letting migrants register her apartment as their place of "
                "residence free of charge.",
                "ru": "В 2011 году она начинает бесплатно регистрировать мигрантов в своей квартире.",
            },
            {
                "date": "2014-04-30",
                "en": "Investigator Zimin orders a psychiatric assessment of Kotlyar, who has never "
                "received psychiatric treatment.",
                "ru": "Следователь Зимин назначает психиатрическую экспертизу Котляр, которая никогда не "
                "лечилась у психиатра.",
            },
        ],
        "sources": [
            {
                "url": "http://www.frontlinedefenders.org/node/25865/action",
                "title": "Front Line Defenders: action for Tatiana Kotlyar",
            },
        ],
        "campaign": {
            # Russian here; its English is in campaign/demo_data_more.py. Other languages fall back.
            "slug": "support-tatiana-kotlyar",
            "goal": 1000,
            "status": "live",
            "default_lang": "ru",
            "translations": {
                "ru": {
                    "title": "Прекратить преследование Татьяны Котляр",
                    "summary": "Депутату из Обнинска Татьяне Котляр, бесплатно регистрировавшей мигрантов "
                    "в своей квартире, назначили психиатрическую экспертизу. Поддержите правозащитницу.",
                    "body": (
                        "**Татьяна Котляр** — депутат Обнинского городского собрания и председатель "
                        "калужского движения «За права человека». С 2011 года она бесплатно позволяет "
                        "мигрантам регистрироваться в своей квартире, и теперь против неё ведётся уголовное "
                        "расследование по подозрению в фиктивной регистрации.\n\n"
                        "30 апреля 2014 года следователь назначил ей психиатрическую экспертизу, хотя она "
                        "никогда не лечилась у психиатра. Front Line Defenders полагает, что это связано с "
                        "тем, что она не брала денег за регистрацию более чем ста человек.\n\n"
                        "Кампания воспроизводит историческое обращение: статус указан на май 2014 года."
                    ),
                    "demand": "Мы призываем российские власти прекратить уголовное преследование Татьяны "
                    "Котляр и отменить назначенную ей психиатрическую экспертизу.",
                    "target": "российские власти",
                },
            },
        },
    },
]
