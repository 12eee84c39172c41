"""Demo content in more languages: each demo campaign in English, Russian and the language of
the defender's country (Kazakh for the three Kazakhstan cases; Russian is Tatiana Kotlyar's),
so that the language switcher, the fallback notice and the translation matrix can be seen
working. Merged into ``campaign.demo_data.DEFENDERS`` by :func:`defenders`.

The Kazakh follows the Russian and English texts closely; names keep the spelling their bearers
use in Kazakh (Роза Төлетаева). One Russian translation is recorded as made from an earlier
English text (``OUTDATED``), so the dashboard shows an out-of-date translation and its diff.
"""

# ruff: noqa: RUF001

from __future__ import annotations

import copy

from campaign.demo_data import DEFENDERS

_STATUS_2014_KK = (
    "*Мәртебесі 2014 жылғы Президент Олландқа жазылған ашық хат бойынша көрсетілген (тарихи үндеу).*"
)
_EP_CHARGES_KK = (
    "Үндеулерде нақтыланбаған; Еуропарламент оларды саяси астары болуы мүмкін бұлыңғыр қылмыстық айыптар "
    "деп атады."
)
_EP_2013_KK = (
    "Еуропарламент қарары саяси астары болуы мүмкін бұлыңғыр айыптармен сотталғандарды босатуға шақырып, "
    "олардың арасында {name} атайды."
)
_HOLLANDE_2014_KK = (
    "2014 жылы ресейлік құқық қорғаушылар Президент Олландқа жазған ашық хатында {what} атап өтеді."
)
_KZ_TARGET_KK = "Қазақстан Президенті"

#: defender slug -> the Kazakh record, its timeline sentences (in the timeline's order), its campaign
KAZAKH: dict[str, dict] = {
    "roza-tuletayeva": {
        "defender": {
            "name": "Роза Төлетаева",
            "occupation": "Белсенді",
            "charges": "Үндеуде көрсетілмеген; оның ісі 2011 жылғы желтоқсандағы Жаңаөзен оқиғаларынан "
            "кейінгі қуғын-сүргіннің мысалы ретінде келтіріледі.",
            "sentence": "5 жыл бас бостандығынан айыру",
            "bio": (
                "Роза Төлетаева — қазақстандық белсенді. Ресейлік құқық қорғаушылар оған жасалған азаптауды "
                "адамгершілікке жат қуғын-сүргіннің мысалы ретінде келтіреді; кейін ол бес жылға бас "
                "бостандығынан айырылды.\n\n"
                "Оның ісі 2011 жылғы желтоқсандағы Жаңаөзен оқиғаларынан кейінгі қуғын-сүргіннің бір бөлігі: "
                "сол кезде наразылық білдірген мұнайшылардың бейбіт шеруі оқ атумен таратылды.\n\n"
                + _STATUS_2014_KK
            ),
        },
        "timeline": [
            "2011 жылғы желтоқсанда Жаңаөзенде мұнайшылардың бейбіт шеруі оқ атумен таратылады; Amnesty "
            "International мәліметінше, қақтығыстарда кемінде 16 адам қаза тапты.",
            _HOLLANDE_2014_KK.format(what="Төлетаеваның азапталуын және оның бес жылдық мерзімін"),
        ],
        "campaign": {
            "title": "Роза Төлетаеваға бостандық",
            "summary": "Белсенді Роза Төлетаева Жаңаөзеннен кейінгі қуғын-сүргін кезінде азапталып, бес "
            "жылға бас бостандығынан айырылды. Оны босату туралы талапқа қол қойыңыз.",
            "body": (
                "2011 жылғы желтоқсанда Жаңаөзенде наразылық білдірген мұнайшылардың бейбіт шеруі оқ атумен "
                "таратылды. Ресейлік құқық қорғаушылардың жазуынша, одан кейінгі қуғын-сүргін Қазақстандағы "
                "өзгеше пікір мен оппозицияны түгелге жуық басып тастады.\n\n"
                "Белсенді **Роза Төлетаева** азапталып, кейін бес жылға бас бостандығынан айырылды. Тәуелсіз "
                "журналистерге жұмыс істеуге іс жүзінде тыйым салынды, ал Жаңаөзендегі қуғын-сүргін туралы "
                "жазған БАҚ «экстремистік» деп танылды.\n\n"
                "Бұл науқан тарихи үндеуді қайталайды: оның мәртебесі 2014 жылғы жағдай бойынша көрсетілген."
            ),
            "demand": "Біз Қазақстан Президентін Роза Төлетаеваны босатуға және оған жасалған азаптауды "
            "тәуелсіз тергеуді қамтамасыз етуге шақырамыз.",
            "target": _KZ_TARGET_KK,
        },
    },
    "vladimir-kozlov": {
        "defender": {
            "name": "Владимир Козлов",
            "occupation": "«Алға» оппозициялық партиясының жетекшісі",
            "charges": _EP_CHARGES_KK,
            "sentence": "7,5 жыл бас бостандығынан айыру",
            "bio": (
                "Владимир Козлов қазақстандық «Алға» оппозициялық партиясын басқарды. Ол құқық "
                "қорғаушылардың азаптау және 2012 жылғы парламент сайлауының бұрмалануы туралы баяндамасын "
                "Еуропарламент пен Еурокомиссияға ұсынды. Қазақстанға оралған бойда ол қамауға алынып, "
                "көрсетілім сотында жеті жарым жылға бас бостандығынан айырылды.\n\n"
                "2013 жылғы сәуірде Еуропарламент оны босатуға шақырды.\n\n" + _STATUS_2014_KK
            ),
        },
        "timeline": [
            _EP_2013_KK.format(name="Владимир Козловты"),
            _HOLLANDE_2014_KK.format(what="оның 7,5 жылдық мерзімін"),
        ],
        "campaign": {
            "title": "Владимир Козловты босатыңдар",
            "summary": "Оппозиция жетекшісі Владимир Козлов Еуропа институттарына Қазақстандағы азаптау мен "
            "сайлаудағы бұрмалаушылық туралы баяндағаннан кейін 7,5 жылға сотталды.",
            "body": (
                "«Алға» оппозициялық партиясының жетекшісі **Владимир Козлов** азаптау және бұрмаланған "
                "2012 жылғы парламент сайлауы туралы баяндаманы Еуропарламент пен Еурокомиссияға ұсынды. "
                "Оралған бойда ол қамауға алынып, көрсетілім сотында жеті жарым жылға бас бостандығынан "
                "айырылды.\n\n"
                "2013 жылғы сәуірде Еуропарламент бұлыңғыр, саяси астары болуы мүмкін айыптармен "
                "сотталғандарды, соның ішінде Владимир Козловты босатуға шақырды."
            ),
            "demand": "Біз Қазақстан Президентін Владимир Козловты босатуға және бейбіт саяси оппоненттерді "
            "қудалауды тоқтатуға шақырамыз.",
            "target": _KZ_TARGET_KK,
        },
    },
    "vadim-kuramshin": {
        "defender": {
            "name": "Вадим Курамшин",
            "occupation": "Құқық қорғаушы",
            "charges": _EP_CHARGES_KK,
            "sentence": "12 жыл бас бостандығынан айыру",
            "bio": (
                "Вадим Курамшин — белгілі қазақстандық құқық қорғаушы. Ол Варшавада өткен ЕҚЫҰ-ның жыл "
                "сайынғы конференциясында Қазақстанның пенитенциарлық жүйесіндегі азаптау туралы баяндама "
                "жасады; Президент Олландқа жазылған ашық хатқа сәйкес, осыдан кейін ол қудаланып, он екі "
                "жылға бас бостандығынан айыруға қатаң сотталды.\n\n"
                "2013 жылғы сәуірде Еуропарламент оны босатуды талап еткен адамдардың қатарына қосты.\n\n"
                + _STATUS_2014_KK
            ),
        },
        "timeline": [
            _EP_2013_KK.format(name="Вадим Курамшинді"),
            _HOLLANDE_2014_KK.format(
                what="оның ЕҚЫҰ-дағы баяндамасынан кейін тағайындалған 12 жылдық мерзімін"
            ),
        ],
        "campaign": {
            "title": "Азаптау туралы баяндама үшін он екі жыл: Вадим Курамшинге бостандық",
            "summary": "Құқық қорғаушы Вадим Курамшин ЕҚЫҰ конференциясында қазақстандық түрмелердегі "
            "азаптау туралы айтқаннан кейін 12 жылға сотталды.",
            "body": (
                "**Вадим Курамшин** — Қазақстандағы белгілі құқық қорғаушы. Варшавадағы ЕҚЫҰ-ның жыл "
                "сайынғы конференциясында ол елдің пенитенциарлық жүйесіндегі азаптау туралы баяндама "
                "жасады. Ресейлік құқық қорғаушылардың жазуынша, осыдан кейін ол қудаланып, он екі жылға "
                "қатаң сотталды.\n\n"
                "2013 жылғы сәуірде Еуропарламент оны бұлыңғыр және саяси астары болуы мүмкін айыптармен "
                "сотталған, босатылуын талап еткен адамдардың қатарына қосты."
            ),
            "demand": "Біз Қазақстан Президентін Вадим Курамшинді босатуға және құқық қорғаушыларға азаптау "
            "туралы қуғын-сүргіннен қорықпай хабарлауға мүмкіндік беруге шақырамыз.",
            "target": _KZ_TARGET_KK,
        },
    },
}

#: Tatiana Kotlyar's campaign, written in Russian, in English too
KOTLYAR_EN = {
    "title": "End the persecution of Tatiana Kotlyar",
    "summary": "Obninsk councillor Tatiana Kotlyar, who let migrants register at her flat free of charge, "
    "has been ordered to undergo a psychiatric assessment. Stand with her.",
    "body": (
        "**Tatiana Kotlyar** is a deputy of the Obninsk city council and chairs the Kaluga movement “For "
        "Human Rights”. Since 2011 she has let migrants register at her apartment free of charge, and she "
        "is now under criminal investigation on suspicion of registering them fictitiously.\n\n"
        "On 30 April 2014 the investigator ordered a psychiatric assessment of her, although she has never "
        "received psychiatric treatment. Front Line Defenders believes this is linked to the fact that she "
        "asked no payment for registering more than a hundred people.\n\n"
        "This campaign reproduces a historical appeal: her status is given as in May 2014."
    ),
    "demand": "We call on the Russian authorities to end the criminal prosecution of Tatiana Kotlyar and to "
    "revoke the psychiatric assessment ordered for her.",
    "target": "the Russian authorities",
}

#: campaign slug -> (language, the source's fields as they were when that translation was made)
OUTDATED = {
    "free-vadim-kuramshin": (
        "ru",
        {"demand": "We call on the President of Kazakhstan to release Vadim Kuramshin."},
    ),
}


#: demo solidarity messages to every demo defender (text, language, display name, may be shown
#: publicly, status): approved ones on the page and in the booklet, one private, one waiting
DEMO_MESSAGES = (
    ("Держитесь! Мы помним о вас и ждём вашего освобождения.", "ru", "Elena S.", True, "approved"),
    ("Сізбен біргеміз. Әділдік жеңеді!", "kk", None, True, "approved"),
    ("You are not alone: thousands of us are watching your case.", "en", "Sarah M.", True, "approved"),
    ("ჩვენ თქვენთან ვართ. გამარჯვება!", "ka", None, False, "approved"),
    ("Wir denken an Sie und an Ihre Familie.", "de", "Jonas B.", True, "pending"),
)


def defenders() -> list[dict]:
    """The demo defenders with their Kazakh texts and Kotlyar's English campaign merged in."""
    entries = copy.deepcopy(DEFENDERS)
    for entry in entries:
        kazakh = KAZAKH.get(entry["slug"])
        if kazakh:
            entry["translations"]["kk"] = kazakh["defender"]
            for event, text in zip(entry["timeline"], kazakh["timeline"], strict=True):
                event["kk"] = text
            entry["campaign"]["translations"]["kk"] = kazakh["campaign"]
        if entry["campaign"]["slug"] == "support-tatiana-kotlyar":
            entry["campaign"]["translations"]["en"] = KOTLYAR_EN
    return entries
