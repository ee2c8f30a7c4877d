"""Lexicons of the ``rules`` baseline, per language, as data.

Written from general knowledge of Spanish and English news language and of the 2020-2023
Nagorno-Karabakh conflict (inflected surface forms, no lemmatiser), never from the test articles
(seeds/) nor from any gold annotation; tuned only on the synthetic development articles
(the seeds of split "dev", annotation/dev-articles/README.md). ``tests/test_rules_lexicon_provenance.py`` fails if an entry matches text
of a test article and nothing of the development set: an entry the test articles alone would justify
is not allowed here, however general it looks.

An **entry** is one lexeme: a regular-expression fragment holding its inflected forms ("ataques?",
"mur(?:ió|ieron)"), matched on word boundaries, case-insensitively unless its table says otherwise.
``entries()`` lists every entry of every table (the provenance test walks it); ``alt()`` joins a
table's entries into one alternation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Mapping
from types import MappingProxyType

LANGUAGES = ("es", "en")


def alt(entries) -> str:
    """A regex alternation of ``entries``, longest first (so "más de" is tried before "más")."""
    return "|".join(sorted(entries, key=lambda w: (-len(w), w)))


# --------------------------------------------------------------------------------------------
# Numbers

#: Written numbers -> value. "un/una/one/a" count only after a hedge ("al menos un soldado").
WRITTEN_NUMBERS = MappingProxyType({
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
           "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "veinte": 20,
           "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100, "mil": 1000,
           "un centenar": 100, "una docena": 12, "una decena": 10, "un millar": 1000, "una veintena": 20},
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15, "twenty": 20,
           "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100, "one hundred": 100,
           "a thousand": 1000, "a dozen": 12},
})
HEDGED_ONLY = MappingProxyType({"es": {"un": 1, "una": 1, "uno": 1}, "en": {"one": 1}})
#: Vague multitudes: a QUANTITY mention ("miles", "dozens"), never a figure (no numeric claim).
VAGUE_NUMBERS = MappingProxyType({
    "es": ("miles", "cientos", "centenares", "decenas", "docenas", "millares"),
    "en": ("thousands", "hundreds", "dozens", "scores"),
})
#: Vague determiners kept in a vague QUANTITY ("varias decenas", "several dozen").
VAGUE_DETERMINERS = MappingProxyType({"es": ("varias", "varios", "unas", "unos", "muchos", "muchas"),
                                      "en": ("several", "many")})
#: Multipliers after a number ("tres millones", "two million").
MULTIPLIERS = MappingProxyType({"es": {"millones": 1e6, "millón": 1e6}, "en": {"million": 1e6, "millions": 1e6}})

#: Hedge expressions before a number -> schema.HEDGES value.
HEDGES = MappingProxyType({
    "es": {"cerca de": "approx", "unas": "approx", "unos": "approx", "alrededor de": "approx",
           "aproximadamente": "approx", "en torno a": "approx", "al menos": "at_least", "por lo menos": "at_least",
           "como mínimo": "at_least", "más de": "more_than", "casi": "almost", "como máximo": "at_most",
           "hasta": "at_most", "menos de": "less_than"},
    "en": {"about": "approx", "some": "approx", "approximately": "approx", "roughly": "approx",
           "nearly": "almost", "almost": "almost", "close to": "almost", "at least": "at_least",
           "more than": "more_than", "well over": "more_than", "over": "more_than", "at most": "at_most",
           "up to": "at_most", "less than": "less_than", "fewer than": "less_than"},
})

#: Units kept inside a QUANTITY mention (measurements) -> the counted value they imply.
UNITS = MappingProxyType({
    "es": {"distance": ("kil[oó]metros?", "km"), "duration": ("horas?", "minutos?"), "other": ("toneladas",)},
    "en": {"distance": ("km", "miles?"), "duration": ("hours?", "minutes?"), "other": ("tonnes", "tons")},
})
#: Period units: the expression is a DATE (a period) but still carries a duration value.
PERIOD_UNITS = MappingProxyType({
    "es": ("d[ií]as?", "semanas?", "años?", "décadas?"),
    "en": ("days?", "weeks?", "months?", "years?"),
})

#: Counted nouns/verbs near a number -> schema.COUNTED value.
COUNTED = MappingProxyType({
    "es": {"killed": ("mur(?:ió|ieron)|muert[oa]s?|muertes?", "fallec(?:idos?|idas?|ieron|ió)",
                      "asesinad[oa]s", "v[ií]ctimas mortales"),
           "injured": ("herid[oa]s?", "lesionad[oa]s"),
           "evacuated": ("desplazad[oa]s", "refugiad[oa]s"),
           "population": ("habita(?:ntes|d[oa]s?)", "pobla(?:d[oa]s?|ción)", "residentes", "vecinos"),
           "settlements": ("localidad(?:es)?", "pueblos", "aldeas", "asentamientos", "ciudades"),
           "positions": ("posiciones",),
           "distance": ("kil[oó]metros", "km"),
           "duration": ("horas?", "d[ií]as", "semanas", "años")},
    "en": {"killed": ("killed", "dead", "deaths?", "died", "fatalities"),
           "injured": ("injur(?:ed|y|ies)", "wounded"),
           "evacuated": ("evacuat(?:e|ed|es|ing|ion|ions)", "evacuees", "displaced", "refugees"),
           "population": ("residents", r"people(?=\s+liv(?:e|es|ing)\b)"),
           "settlements": ("towns", "villages", "settlements", "localities", "cities"),
           "distance": ("km", "miles"),
           "duration": ("hours?", "days", "weeks", "months?", "years")},
})
#: Counted values that describe an event; preferred over "population" when both are near.
EVENT_COUNTED = ("killed", "injured", "evacuated")

# --------------------------------------------------------------------------------------------
# Dates and times (English month and weekday names are matched case-sensitively: "May", "may")

MONTHS = MappingProxyType({
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
           "octubre", "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", r"Jan\.", r"Feb\.", r"Aug\.", r"Sept?\.", r"Oct\.", r"Nov\.", r"Dec\."),
})
WEEKDAYS = MappingProxyType({
    "es": ("lunes", "martes", "mi[eé]rcoles", "jueves", "viernes", "s[aá]bado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
})
RELATIVE_DAYS = MappingProxyType({"es": (),
                                  "en": ("today", "yesterday", "tomorrow", "tonight")})
#: Determiners kept at the start of a DATE ("el miércoles", "this Wednesday").
DATE_DETERMINERS = MappingProxyType({"es": ("el", "este", "esta", "el pasado", "el próximo"),
                                     "en": ("this", "last", "next")})
#: Parts of a day and vague spans of hours: TIME mentions of their own ("la noche", "nightfall").
TIME_WORDS = MappingProxyType({
    "es": ("mediod[ií]a", "medianoche", "madrugada", "la noche", "la tarde", "la mañana", "(?:las )?pocas horas",
           "horas (?:después|más tarde)"),
    "en": ("noon", "midnight", "midday", "nightfall", "dawn", "overnight", "(?:the )?evening", "(?:the )?morning"),
})
#: Time zones after a clock time ("20:00 hora local", "09:00 GMT").
TIME_ZONES = MappingProxyType({"es": ("GMT", "UTC", "hora local"), "en": ("UTC", "local time")})
#: "A/one" before a period unit counts one ("a week", "un día"); adverbs after a period that make it a
#: relative date ("un día antes", "cuatro días después", "three decades earlier").
ONE_PERIOD = MappingProxyType({"es": ("un", "una"), "en": ("a", "one")})
RELATIVE_AFTER = MappingProxyType({"es": ("antes", "después", "más tarde"), "en": ("earlier", "later", "ago")})

# --------------------------------------------------------------------------------------------
# Entities

#: Capitalised words that are not names when they open a sentence (or a run).
FUNCTION_WORDS = frozenset("""
el la los las lo un una unos unas de del al y e o u en con por para según sin sobre tras entre desde hasta
además también ambos ambas este esta estos estas ese esa esos esas aquel su sus se no ni pero sino que como
cuando donde mientras miles cientos decenas varios varias todos todas otro otra otros otras muchos muchas
the a an of and or in on at by for with from to as that this these those its it his her their they he she we
but also only all both under after before while when where which who some several many thousands hundreds
there here however meanwhile since during
""".split())
CONNECTORS = MappingProxyType({"es": ("de", "del", "de la", "de los"), "en": ("of", "of the", "for")})

#: Titles and roles. Never part of a PER mention: a capitalised run loses them ("Prime Minister
#: Nikol Pashinyan" -> PER "Nikol Pashinyan"), and a capitalised run right after one is a person.
TITLES = MappingProxyType({
    "es": ("(?:co)?president[ea]s?", "primer ministro", "primera ministra", "ministr[oa]s?",
           "canciller", "portavoz", "vocer[oa]", "l[ií]der", "jef[ea]", "general", "comandante",
           "embajador(?:a)?", "enviad[oa]", "secretari[oa]", "senador(?:a)?",
           "diputad[oa]", "rey", "reina", "papa", "señor(?:a)?", r"sra?\.", "alcalde(?:sa)?"),
    "en": ("presidents?", "co-chairs?", "prime minister", "(?:foreign|defen[cs]e|interior) minister",
           "ministers?", "chancellor", "spokes(?:man|woman|person)", "leader(?:s|ship)?", "chief", "head", "general",
           "commander", "ombudsman", "ambassador", "envoy",
           "senator", "king", "queen", "pope", r"mrs?\.", r"ms\.", "mayor"),
})
#: Given names of people in the news of the region and of its mediators (general knowledge): a
#: capitalised run that starts with one is a person ("Sergei Lavrov"). Case-sensitive.
GIVEN_NAMES = (
    "Vlad[ií]mir", "Serg(?:u[eé]i|ei|ey)", "Mar[ií]a", "Nikol", "Ilham", "Mehriban", "Heydar",
    "Jeyhun", "Hikmet", "Ararat", "Armen", "Zohrab", "Samvel", "Arayik", "Araik", "Ruben", "Serzh", "Robert",
    "Levon", "Nazeli", "Anna", "Samantha", "Emmanuel", "Recep", "Tayyip", "Josep", "Charles",
    "Ant[oó]nio", "Joe", "Donald", "Mike", "Olaf", "Ursula",
)
#: Surnames of well-known figures of the conflict and its diplomacy (general knowledge): a capitalised
#: word equal to one is a person. Case-sensitive.
SURNAMES = (
    "Putin", "Al[ií]y?ev", "Pashin(?:yan|i[aá]n)", "Lavrov", "Zajarova", "Zakharova", "Shoig[uú]",
    "Bayramov", "Hajiyev", "Mirzoy(?:an|[aá]n)", "Mnatsakany?[aá]n", "Harutyuny?[aá]n", "Vardany?[aá]n",
    "Shahramany?[aá]n", "Sargsy?[aá]n", "Kocharyan", "Ter-Petrosy?[aá]n", "Erdo[gğ]an", "Macron",
    "Biden", "Michel", "Borrell", "Guterres", "Power", "Stepany?[aá]n",
)
#: Surname morphology (general knowledge): Armenian -yan/-ián and Russian/Azerbaijani -ov/-ev/-yev
#: (with feminine -ova/-eva); a capitalised word of this shape that no other rule types is a person.
#: Case-sensitive (the capital letter is part of the pattern).
SURNAME_SHAPES = MappingProxyType({
    "es": (r"[A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:y[aá]n|i[aá]n|ián)", r"[A-Z][a-z]+(?:[oe]v|[oe]va|yev|iev|íev)"),
    "en": (r"[A-Z][a-z]+yan", r"[A-Z][a-z]+(?:[oe]v|[oe]va|yev|iev)"),
})
#: Names of places: countries, regions, cities and towns of the conflict and of its neighbours and
#: mediators (general knowledge), so that two-word place names are not taken for persons. Case-sensitive.
PLACES = MappingProxyType({
    "GPE": ("Armenia", "Azerbai(?:y[aá]n|jan)", "Rusia", "Russia", "Turqu[ií]a", "Turkey", "T[uü]rkiye", "Ir[aá]n",
            "Georgia", "Francia", "France", "Estados Unidos", r"EE\. ?UU\.", r"U\.S\.", r"U\.K\.",
            "Reino Unido", "United Kingdom", "Nagorno[- ]+Karaba(?:j|kh)", "Alto Karabaj", "Karaba(?:j|kh)",
            "Stepanakert", "Khankendi", "Bak[uú]", "Erev[aá]n", "Yerevan",
            "Mosc[uú]", "Moscow", "Sus?h(?:us?h[aá]|i)", "Gan(?:y|dj|j)[aá]", "Agh?dam", "Kal?bajar", "Kelbajar",
            "Lach[ií]n", "Goris", "Jermuk", "Vardenis", "Kornidzor", "Hadrut", "Fuzuli", "Zangilan",
            "Jabrayil", "Tartar", "Barda", "Nakhchivan", "Najich[eé]van", "Washington", "Bruselas", "Brussels",
            "Ankara", "Teher[aá]n", "Tehran", "Tiflis", "Tbilisi", "Kiev", "Kyiv", "Ucrania", "Ukraine",
            "Soviet Union", "La Haya", "The Hague", "Ginebra", "Geneva"),
    "LOC": ("C[aá]ucaso(?: Sur| Meridional)?", "Mar Caspio", "Caspian Sea"),
})
#: Named organisations everybody in the field knows: the UN and its agencies, regional bodies, aid
#: organisations, news agencies, media and platforms. Case-sensitive.
ORG_NAMES = (
    "ONU", "UN", "Naciones Unidas", "United Nations", "ACNUR", "UNHCR", "UNICEF", "OMS", "WHO", "CICR", "ICRC",
    "Cruz Roja", "Red Cross", "OSCE", "OTSC", "CSTO", "OTAN", "NATO", "EU", "USAID",
    "Pentágono", "Pentagon", "Casa Blanca", "White House", "Human Rights Watch", "Amnist[ií]a Internacional",
    "Amnesty International", "AFP", "EFE", "AP", "Associated Press", "Europa Press",
    "RIA Novosti", "Interfax", "Sputnik", "Anadolu", "Armenpress", "Azertac", "APA", "BBC", "CNN",
    "Al Jazeera", "Facebook", "Telegram", "YouTube",
)
#: Generic heads that make a facility's established name with a name: English after it ("Lachin
#: corridor"), Spanish before it with "de" ("corredor de Lachin").
FAC_HEADS = MappingProxyType({"es": ("corredor",), "en": ("corridor",)})
#: A word inside a capitalised run that gives the run its type (an institution, a facility ...).
TYPE_KEYWORDS = MappingProxyType({
    "ORG": ("ministerio", "ministry", "gobierno", "government", "ejecutivo", "arm(?:y|ies)", "fuerzas",
            "forces", "armada", "navy", "office", "consejo", "council", "comit[eé]", "committee",
            "agencia", "agency", "parlamento", "parliament", "congreso", "congress", "asamblea", "assembly",
            "partido", "party", "naciones unidas", "united nations", "organizaci[oó]n", "organi[sz]ation",
            "uni[oó]n europea", "european union", "cruz roja", "red cross", "banco", "bank", "tribunal", "corte",
            "court", "polic[ií]a", "ombudsman", "presidencia",
            "fiscal[ií]a", "grupo", "group", "servicio", "service", "canciller[ií]a"),
    "FAC": ("airport", "carretera", "road", "corredor", "corridor", "paso", "puente", "bridge",
            "autopista", "highway", "puerto", "port", "estaci[oó]n", "station", "hospital", "plaza",
            "square"),
    "LOC": ("c[aá]ucaso", "r[ií]o", "river", "montañas", "montes", "mountains", "mar", "sea",
            "lago", "lake", "valle", "valley"),
    "GPE": ("rep[uú]blica", "regi[oó]n", "region", "ciudad", "city", "provincia", "province",
            "estado", "soviet union"),
})
#: Demonyms (general knowledge): Spanish lower-case adjectives and nouns, English capitalised ones.
#: NORP mentions; after an ORG name a Spanish one belongs to it ("Ministerio de Defensa ruso").
DEMONYMS = MappingProxyType({
    "es": ("armeni[oa]s?", "azerbaiyan[oa]s?", "azer[ií](?:es|s)?", "rus[oa]s?", "karabaj[ií](?:es|s)?",
           "turc[oa]s?", "estadounidenses?", "franc[eé]s(?:a|as|es)?", "iran[ií](?:es|s)?", "georgian[oa]s?",
           "europe[oa]s?", "ucranian[oa]s?", "israel[ií](?:es|s)?"),
    "en": ("Armenians?", "Azerbaijanis?", "Azeris?", "Russians?", "Karabakhis?", "Turks?", "Turkish",
           "Americans?", "French", "Iranians?", "Georgians?", "Europeans?", "Soviets?", "Ukrainians?",
           "Israelis?"),
})
#: English nationality/group adjectives and nouns not in DEMONYMS: one capitalised word with these endings.
NORP_SUFFIX_EN = r"(?:ian|ians|ean|eans|ese|ish|ani|anis)"
#: Spanish lower-case demonym endings (checked only against names found in the same document).
NORP_SUFFIX_ES = r"(?:o|a|os|as|es|í|íes|ís|ano|ana|anos|anas|ense|enses|ino|ina|inos|inas)"

#: Default type of a capitalised run nothing else types: the commonest type of named mentions in
#: conflict news (countries, regions, capitals). Also the only type of the ``capitalised`` floor.
DEFAULT_TYPE = "GPE"

#: Heads of nominal claim sources ("The Karabakh authorities said", "según las autoridades locales")
#: -> the label of the nominal mention.
SOURCE_NOUNS = MappingProxyType({
    "es": {"ORG": ("autoridades", "gobiernos?", "ejecutivo", "ministerios?", "medios", "diplomacia", "fuentes",
                   "prensa", "agencias?", "fuerzas", "partes?",
                   "organizaciones", "organizaci[oó]n", "servicios?"),
           "PER": ("portavoz", "portavoces", "funcionarios", "responsables", "testigos", "testimonios",
                   "vecinos", "expertos", "m[eé]dicos", "l[ií]der(?:es)?", "ministr[oa]s?", "canciller")},
    "en": {"ORG": ("authorities", "governments?", "ministry", "ministries", "media", "sources", "leader(?:s|ship)?",
                   "sides?", "forces", "arm(?:y|ies)", "agency", "agencies", "organi[sz]ation", "office"),
           "PER": ("officials?", "spokes(?:man|woman|person)", "journalists", "residents", "witnesses",
                   "diplomats", "experts", "doctors", "envoy", "president", "ministers?")},
})

# --------------------------------------------------------------------------------------------
# Events: trigger surface forms per schema.EVENT_TYPES type (one entry per lexeme)

TRIGGERS = MappingProxyType({
    "es": {
        "ATTACK": ("ataques?|atac(?:ó|aron|ado|ada|ados|adas|ar|an|a)", "bombardeos?",
                   "bombarde(?:ó|aron|ado|ada|ados|ar|an|a)", "combates?", "enfrentamientos?", "choques",
                   "ofensivas?", "contraofensivas?", "dispar(?:os|ó|aron|ado|ar)", "guerra", "hostilidades", "agresi[oó]n",
                   "explosi[oó]n", "ataques con drones", "alcanz(?:ó|aron)", "destru(?:yó|yeron|ido|idos)",
                   "derrib(?:ó|aron|ado)"),
        "DIE": ("mur(?:ió|ieron|iendo)|muert[oa]s?|muertes?", "fallec(?:idos?|idas?|ieron|ió)",
                "asesin(?:ad[oa]s?|ó|aron)", "mat(?:ó|aron)", "perdieron la vida"),
        "INJURE": ("herid[oa]s?", "lesionad[oa]s", "hirieron"),
        "CEASEFIRE": ("alto el fuego", "cese", "treguas?", "armisticio",
                      "deten(?:er|ido|ga|gan)", "detuv(?:o|ieron)", "suspensi[oó]n", "suspend(?:er|ió|ieron)"),
        "AGREEMENT": ("acord(?:aron|ado|ada|ó)", "pact(?:o|os|ada|ado)", "firm(?:aron|ó|ado)", "tratado"),
        "MEET": ("conversaci(?:ón|ones)", "negoci(?:ar|ación|aciones|aron|ó)", "cumbre", "encuentro",
                 "habl(?:ó|aron) por tel[eé]fono"),
        "EVACUATE": ("hu(?:yeron|ido|ir|yen|ía|yendo)", "huida",
                     "escap(?:aron|ado|ar)", "[eé]xodo", "abandon(?:ado|aron|ar)",
                     "cruz(?:ado|aron|ó)", "traslad(?:ado|ados|ó|aron)"),
        "BLOCKADE": ("bloqueos?", "bloque(?:ar|aron|ó|ado|ada)", "asedio", "cerco", "cortad[oa]", "cerrad[oa]"),
        "DISARM": ("desarme", "desarm(?:ar|en|ado|ados)", "deponer las armas", "entregar las armas"),
        "WITHDRAW": ("retir(?:o|ar|aron|ó)", "se retir[oó]", "repliegue"),
        "CAPTURE": ("captur(?:ar|aron|ó)", "ocup(?:ó|aron)", "conquist(?:ó|aron)"),
        "DEPLOY": ("despleg(?:ar|ará|arán|aría|arían|ó|aron|ado|ada|ados|adas)", "desplieg(?:ue|a|an)"),
        "SURRENDER": ("rendici[oó]n", "se rindi(?:eron|ó)"),
        "DECLARE_INDEPENDENCE": ("proclam[oó] (?:su )?independencia",),
    },
    "en": {
        "ATTACK": ("attacks?", "attacked", "assaults?", "offensives?", "counteroffensives?", "bombardment",
                   "shell(?:ing|ed)", "fighting", "battles?", "war", "hostilities", "explosions?", "blast",
                   "strikes?", "struck",
                   "hitting", "shot down", "destroyed", "drone attacks?", "airstrikes?"),
        "DIE": ("killed", "killing", "dead", "deaths?", "died", "dies", "fatalities"),
        "INJURE": ("injur(?:ed|y|ies)", "wounded", "wounds"),
        "CEASEFIRE": ("cease-fire", "truces?", "armistice", "halts?"),
        "AGREEMENT": ("agreements?", "agreed", "accord", "deals?", "signed", "treaty"),
        "MEET": ("meetings?", "talks", "met", "meet", "summit", "spoke", "phone call"),
        "EVACUATE": ("evacuat(?:e|ed|ion|ions)", "fled", "flee", "fleeing", "flees", "exodus", "streamed",
                     "crossed", "escap(?:e|ed|ing)", "displaced"),
        "BLOCKADE": ("blockade", "blockaded", "siege", "restricted"),
        "DISARM": ("disband",),
        "WITHDRAW": ("pull out", "pulled out", "handover"),
        "CAPTURE": ("captur(?:ed|e|es|ing)", "took control", "recaptured?"),
        "DEPLOY": ("deploy(?:s|ed|ing|ment)?", "stationed"),
        "SURRENDER": ("surrender", "surrendered", "capitulated", "capitulation"),
        "DECLARE_INDEPENDENCE": ("declared independence",),
    },
})
#: Words that make a stop word a CEASEFIRE trigger when they follow it ("halt the fighting",
#: "detener los combates"); a stop word without one is no event (guidelines §4.5).
FIGHTING_WORDS = MappingProxyType({
    "es": ("combates?", "enfrentamientos?", "hostilidades", "ataques?|atac(?:ar|ó|aron|ado|ada|ados|adas)",
           "bombardeos?", "fuego",
           "ofensiva", "operaci(?:ón|ones)", "guerra", "choques"),
    "en": ("fighting", "hostilities", "attacks?", "offensive", "war", "shelling", "fire"),
})
#: Agreement nouns that become CEASEFIRE when a definite article refers back to an earlier ceasefire
#: trigger of the same document ("la tregua ... El pacto"; guidelines §4.5, v3).
AGREEMENT_NOUNS = MappingProxyType({"es": ("pactos?",), "en": ("agreements?", "deals?")})
DEFINITE = MappingProxyType({"es": ("el", "este", "dicho", "ese"), "en": ("the", "this", "that")})
#: Definite articles: a written number after one is a reference ("the two armies"), not a count.
DEFINITE_ARTICLES = MappingProxyType({"es": ("el", "la", "los", "las"), "en": ("the",)})

#: Signing verbs: no event of their own when their object is an agreement noun or a decree, which is
#: the trigger ("signed a deal" -> "deal"; "firmó un decreto": no event).
SIGN_VERBS = MappingProxyType({"es": ("firm(?:aron|ó|ado)",), "en": ("signed",)})
SIGNED_OBJECTS = MappingProxyType({"es": ("pactos?", "decretos?", "tratados?"),
                                   "en": ("agreements?", "deals?", "decrees?", "treat(?:y|ies)", "accords?")})
#: Words after a DIE noun that make it a figure's label, not a death ("death toll").
TOLL_WORDS = MappingProxyType({"es": ("balance",), "en": ("toll",)})

#: Prepositions that introduce an event's Origin, Destination or Target ("fled from X toward Y",
#: "bombardeos sobre Stepanakert").
ORIGIN_PREPS = MappingProxyType({"es": ("de", "desde"), "en": ("from", "out of")})
DESTINATION_PREPS = MappingProxyType({"es": ("a", "hacia", "hasta"), "en": ("to", "toward", "towards", "into")})
TARGET_PREPS = MappingProxyType({"es": ("contra", "sobre"), "en": ("on", "against")})

#: Negation words that make a following trigger's polarity negative (within a few tokens).
NEGATION = MappingProxyType({"es": ("no", "nunca", "sin", "ni", "jamás"),
                             "en": ("not", "no", "never", "without", "n't", "nor")})
#: Modal/future markers that make realis "other" (future, hypothetical, demanded).
MODAL = MappingProxyType({
    "es": (r"\w+r(?:á|án|ía|ían|emos)", "deb(?:e|en|ía|ería|erían)", "podr(?:ía|ían)", "puede", "pueden",
           "pid(?:ió|ieron)", "exig(?:ió|ieron)", "para"),
    "en": ("will", "would", "could", "might", "may", "should", "shall", "to", "must", "can"),
})

# --------------------------------------------------------------------------------------------
# Claims: reporting cues, their stance, and attribution patterns

#: Reporting cues -> stance of the claim they introduce (one entry per verb, its reporting forms).
CUES = MappingProxyType({
    "es": {
        "asserts": ("dij(?:o|eron)", "dice", "dicen", "ha dicho", "inform(?:ó|aron|a|an)",
                    "(?:ha |han )?afirm(?:ó|aron|a|an|ado)", "declar(?:ó|aron|a)", "añad(?:ió|ieron)",
                    "asegur(?:ó|aron|a|an)", "indic(?:ó|aron)",
                    "explic(?:ó|aron)", "anunci(?:ó|aron|a)", "fue anunciad[oa]", "advirt(?:ió|ieron)",
                    "acus(?:ó|aron|a|an)", "se acusaron", "confirm(?:ó|aron|a)",
                    "(?:ha |han )?reconoc(?:ió|ieron|e|ido|idos|idas)", "sostuvo", "sostiene", "subray(?:ó|aron)",
                    "denunci(?:ó|aron|a)", "según", "cifr(?:ó|aron)", "asever(?:ó|aron)", "manifest(?:ó|aron)",
                    "comunic(?:ó|aron)", "precis(?:ó|aron)", "insisti(?:ó|eron)", "alert(?:ó|aron)",
                    "reiter(?:ó|aron)", "atribuy(?:ó|eron)", "habl(?:aban|aba) ya de"),
        "denies": ("rechaz(?:ó|aron|a|an)", "neg(?:ó|aron)", "niegan?", "desmint(?:ió|ieron)"),
        "demands": ("pid(?:ió|ieron)", "piden?", "llam(?:ó|aron) a", "inst(?:ó|aron)", "reclam(?:ó|aron)",
                    "ha pedido"),
        "promises": ("se comprometi(?:ó|eron)", "garantiz(?:ó|ará|ar)"),
    },
    "en": {
        "asserts": ("sa(?:id|ys|y)", "reported", "add(?:ed|s)?", "according to", "announced", "claimed", "warned",
                    "accus(?:ed|ing|es)", "told",
                    "noted", "explained", "insisted", "declared", "acknowledged", "admitted", "described",
                    "put the (?:total|toll)"),
        "denies": ("denied", "denies", "rejected", "rejects", "refused", "question(?:ed|s)"),
        "demands": ("called on", "called for", "urged", "demanded", "asked"),
        "promises": ("promised", "promises", "pledged", "vowed"),
    },
})
#: Cues whose content follows "of"/"de" after the accused ("accused Baku of ethnic cleansing").
ACCUSE = MappingProxyType({"es": ("acus(?:ó|aron|a|an)", "se acusaron"), "en": ("accus(?:ed|ing|es)",)})
#: Nouns that stand for an attributed content in "..., a claim Azerbaijani officials rejected" (the
#: noun phrase is the claim, the verb after it its cue).
CLAIM_NOUNS = MappingProxyType({"es": ("acusaci[oó]n", "afirmaci[oó]n", "cifra"),
                                "en": ("claims?", "charges?", "figures?", "accusations?")})
#: Conjunctions after a comma that end a reported clause ("..., but gave no figure").
CLAUSE_BREAKS = MappingProxyType({"es": ("aunque", "cuando", "sino"),
                                  "en": ("but", "while", "although", "though", "whereas", "days after")})
#: Verbs of a partitive figure: the counted word before them belongs to the claim ("entre los muertos
#: figuran 10 civiles"); otherwise a counted word before a figure stays out of its span.
PARTITIVE_VERBS = MappingProxyType({"es": ("eran", "fueron", "había"),
                                    "en": ("were", "are", "include", "included")})
#: Markers of the source's own future act at the start of a reported clause: stance "promises"
#: ("said it would treat ...", "dijo que la organización estaba lista para ...").
PROMISE_MARKERS = MappingProxyType({"es": (r"\w+r(?:á|án)", "estaba list[oa]s?", "está list[oa]s?"),
                                    "en": ("would", "was ready to", "is ready to")})
#: Auxiliaries between a counted subject and its verb of dying, injury or evacuation ("had crossed").
AUXILIARIES = MappingProxyType({"es": ("han", "habían", "ha", "había", "sido", "ya", "resultaron"),
                                "en": ("had", "have", "has", "been", "were", "was")})
#: Complementisers: content follows ("dijo que ...", "said that ...").
THAT = MappingProxyType({"es": ("que", "de que"), "en": ("that",)})
#: Cues like "según"/"according to" that name the source right after them.
ACCORDING = MappingProxyType({"es": ("según",), "en": ("according to",)})
#: A quotation shorter than this many words is a scare quote, not a claim of its own.
MIN_QUOTE_WORDS = 4


# --------------------------------------------------------------------------------------------
# Every entry, for the provenance test


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: the table it is in, its language (None: both), its key and its pattern."""

    table: str
    language: str | None
    key: str | None
    pattern: str
    case_sensitive: bool

    def regex(self) -> re.Pattern:
        """The entry as the rules system matches it: on word boundaries, with the table's case rule."""
        return re.compile(rf"(?<![\w-])(?:{self.pattern})(?![\w-])", 0 if self.case_sensitive else re.IGNORECASE)


#: name -> (table, case_sensitive). A table maps language -> entries or language -> key -> entries;
#: a dict of words (numbers, hedges) contributes its words. None as a language: both languages.
_TABLES = {
    "WRITTEN_NUMBERS": (WRITTEN_NUMBERS, False), "HEDGED_ONLY": (HEDGED_ONLY, False),
    "VAGUE_NUMBERS": (VAGUE_NUMBERS, False), "HEDGES": (HEDGES, False), "UNITS": (UNITS, False),
    "PERIOD_UNITS": (PERIOD_UNITS, False), "COUNTED": (COUNTED, False), "MONTHS_es": ({"es": MONTHS["es"]}, False),
    "MONTHS_en": ({"en": MONTHS["en"]}, True), "WEEKDAYS_es": ({"es": WEEKDAYS["es"]}, False),
    "WEEKDAYS_en": ({"en": WEEKDAYS["en"]}, True), "RELATIVE_DAYS": (RELATIVE_DAYS, False),
    "DATE_DETERMINERS": (DATE_DETERMINERS, False), "TIME_WORDS": (TIME_WORDS, False),
    "FUNCTION_WORDS": ({None: tuple(sorted(FUNCTION_WORDS))}, False), "CONNECTORS": (CONNECTORS, False),
    "TITLES": (TITLES, False), "GIVEN_NAMES": ({None: GIVEN_NAMES}, True), "SURNAMES": ({None: SURNAMES}, True),
    "SURNAME_SHAPES": (SURNAME_SHAPES, True), "PLACES": ({None: PLACES}, True), "ORG_NAMES": ({None: ORG_NAMES}, True),
    "TYPE_KEYWORDS": ({None: TYPE_KEYWORDS}, False), "DEMONYMS_es": ({"es": DEMONYMS["es"]}, False),
    "DEMONYMS_en": ({"en": DEMONYMS["en"]}, True), "SOURCE_NOUNS": (SOURCE_NOUNS, False),
    "TRIGGERS": (TRIGGERS, False), "FIGHTING_WORDS": (FIGHTING_WORDS, False),
    "AGREEMENT_NOUNS": (AGREEMENT_NOUNS, False), "DEFINITE": (DEFINITE, False), "NEGATION": (NEGATION, False),
    "MODAL": (MODAL, False), "CUES": (CUES, False), "THAT": (THAT, False), "ACCORDING": (ACCORDING, False),
    "VAGUE_DETERMINERS": (VAGUE_DETERMINERS, False), "MULTIPLIERS": (MULTIPLIERS, False),
    "TIME_ZONES": (TIME_ZONES, False), "FAC_HEADS": (FAC_HEADS, False),
    "SIGN_VERBS": (SIGN_VERBS, False), "ACCUSE": (ACCUSE, False), "CLAIM_NOUNS": (CLAIM_NOUNS, False),
    "CLAUSE_BREAKS": (CLAUSE_BREAKS, False), "PROMISE_MARKERS": (PROMISE_MARKERS, False),
    "AUXILIARIES": (AUXILIARIES, False), "ORIGIN_PREPS": (ORIGIN_PREPS, False),
    "DESTINATION_PREPS": (DESTINATION_PREPS, False), "TARGET_PREPS": (TARGET_PREPS, False),
    "PARTITIVE_VERBS": (PARTITIVE_VERBS, False), "SIGNED_OBJECTS": (SIGNED_OBJECTS, False),
    "TOLL_WORDS": (TOLL_WORDS, False), "ONE_PERIOD": (ONE_PERIOD, False),
    "DEFINITE_ARTICLES": (DEFINITE_ARTICLES, False), "RELATIVE_AFTER": (RELATIVE_AFTER, False),
}


#: Closed grammatical classes: complete paradigms of the language (all months, all weekdays, the
#: number words, the function words ...), not a choice of words. Each table of one language is ONE entry
#: (the paradigm), so the provenance test asks whether the class is met in the development set, not
#: whether "trece" is.
CLOSED_CLASSES = frozenset({"WRITTEN_NUMBERS", "HEDGED_ONLY", "MONTHS_es", "MONTHS_en", "WEEKDAYS_es", "WEEKDAYS_en",
                            "RELATIVE_DAYS", "DATE_DETERMINERS", "FUNCTION_WORDS", "CONNECTORS", "NEGATION",
                            "MODAL", "THAT", "DEFINITE", "VAGUE_DETERMINERS", "MULTIPLIERS", "ONE_PERIOD",
                            "DEFINITE_ARTICLES", "ORIGIN_PREPS",
                            "DESTINATION_PREPS", "TARGET_PREPS", "AUXILIARIES"})


def entries() -> list[Entry]:
    """Every entry of every lexicon table, in a fixed order (a closed class: one entry per language)."""
    out = []
    for name, (table, case_sensitive) in _TABLES.items():
        if name in CLOSED_CLASSES:
            for lang, body in table.items():
                words = tuple(re.escape(w) for w in body) if isinstance(body, Mapping) else tuple(body)
                out.append(Entry(name, lang, None, alt(words), case_sensitive))
            continue
        for lang, body in table.items():
            if not isinstance(body, Mapping):
                groups = [(None, body)]
            elif all(isinstance(v, tuple) for v in body.values()):
                groups = list(body.items())
            else:  # words -> values (numbers, hedges): each word is an entry
                groups = [(None, tuple(re.escape(w) for w in body))]
            for key, items in groups:
                for item in items:
                    out.append(Entry(name, lang, key, item, case_sensitive))
    return out
