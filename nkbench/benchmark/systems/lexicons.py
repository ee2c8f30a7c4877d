"""Lexicons of the ``rules`` baseline, per language, as data.

Written from general knowledge of Spanish and English news language (inflected surface forms, no
lemmatiser), not from any gold annotation: there was no gold when they were written. Entries are
regular-expression fragments matched case-insensitively on word boundaries; see benchmark/systems.md.
"""

from __future__ import annotations

from types import MappingProxyType

# --------------------------------------------------------------------------------------------
# Numbers

#: Written numbers -> value. "un/una/one/a" count only after a hedge ("al menos un soldado").
WRITTEN_NUMBERS = MappingProxyType({
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
           "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "veinte": 20,
           "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100, "mil": 1000,
           "un centenar": 100, "una docena": 12, "una decena": 10, "un millar": 1000},
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15, "twenty": 20,
           "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100, "one hundred": 100,
           "a thousand": 1000, "a dozen": 12},
})
HEDGED_ONLY = MappingProxyType({"es": {"un": 1, "una": 1, "uno": 1}, "en": {"one": 1}})

#: Hedge expressions before a number -> schema.HEDGES value.
HEDGES = MappingProxyType({
    "es": {"cerca de": "approx", "unas": "approx", "unos": "approx", "alrededor de": "approx",
           "aproximadamente": "approx", "en torno a": "approx", "al menos": "at_least", "por lo menos": "at_least",
           "como mínimo": "at_least", "más de": "more_than", "casi": "almost", "como máximo": "at_most",
           "hasta": "at_most", "menos de": "less_than"},
    "en": {"about": "approx", "some": "approx", "around": "approx", "approximately": "approx", "roughly": "approx",
           "nearly": "almost", "almost": "almost", "at least": "at_least", "more than": "more_than",
           "over": "more_than", "at most": "at_most", "up to": "at_most", "less than": "less_than",
           "fewer than": "less_than"},
})

#: Units kept inside a QUANTITY mention (measurements) and the counted value they imply.
UNITS = MappingProxyType({
    "es": {r"kil[oó]metros|km": "distance", r"horas|hora|minutos": "duration"},
    "en": {r"kilometers|kilometres|km|miles": "distance", r"hours|hour|minutes": "duration"},
})
#: Period units: the expression is a DATE (a period) but still carries a duration value.
PERIOD_UNITS = MappingProxyType({
    "es": r"d[ií]as|semanas|meses|años|décadas",
    "en": r"days|weeks|months|years|decades",
})

#: Counted nouns/verbs near a number -> schema.COUNTED value.
COUNTED = MappingProxyType({
    "es": {"killed": r"murieron|muri[oó]|muertos|muertas|muerto|muertes|muerte|fallecidos|fallecieron|asesinados|v[ií]ctimas mortales",
           "injured": r"heridos|heridas|herido|herida|lesionados",
           "evacuated": r"evacuados|evacuadas|evacuado|evacuadas|evacuaci[oó]n|evacuar|desplazados",
           "population": r"habitantes|habitado|habitada|poblado|poblada|residentes|vecinos",
           "settlements": r"localidades|pueblos|aldeas|asentamientos|ciudades",
           "positions": r"posiciones",
           "distance": r"kil[oó]metros|km",
           "duration": r"horas|hora|d[ií]as|semanas|meses|años"},
    "en": {"killed": r"killed|dead|deaths|death|died|fatalities",
           "injured": r"injured|injuries|wounded|injury",
           "evacuated": r"evacuated|evacuate|evacuation|evacuees|displaced",
           "population": r"inhabitants|populated|population|residents|people living",
           "settlements": r"towns|villages|settlements|localities|cities",
           "positions": r"positions",
           "distance": r"kilometers|kilometres|km|miles",
           "duration": r"hours|hour|days|weeks|months|years"},
})
#: Counted values that describe an event; preferred over "population" when both are near.
EVENT_COUNTED = ("killed", "injured", "evacuated")

# --------------------------------------------------------------------------------------------
# Dates and times

MONTHS = MappingProxyType({
    "es": r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre",
    "en": r"January|February|March|April|May|June|July|August|September|October|November|December",
})
WEEKDAYS = MappingProxyType({
    "es": r"lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo",
    "en": r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
})
RELATIVE_DAYS = MappingProxyType({"es": r"hoy|ayer|mañana|anteayer", "en": r"today|yesterday|tomorrow|tonight"})
#: Determiners kept at the start of a DATE ("el miércoles", "this Wednesday").
DATE_DETERMINERS = MappingProxyType({"es": r"el|este|esta|el pasado|el próximo", "en": r"this|last|next"})
TIME_WORDS = MappingProxyType({"es": r"mediod[ií]a|medianoche|madrugada", "en": r"noon|midnight|midday"})

# --------------------------------------------------------------------------------------------
# Entities (capitalisation heuristics; no gazetteer of names)

#: Capitalised words that are not names when they open a sentence (or a run).
FUNCTION_WORDS = frozenset("""
el la los las lo un una unos unas de del al y e o u en con por para según sin sobre tras entre desde hasta
además también ambos ambas este esta estos estas ese esa esos esas aquel su sus se no ni pero sino que como
cuando donde mientras miles cientos decenas varios varias todos todas otro otra otros otras muchos muchas
the a an of and or in on at by for with from to as that this these those its it his her their they he she we
but also only all both under after before while when where which who some several many thousands hundreds
there here however meanwhile since during
""".split())
CONNECTORS = MappingProxyType({"es": ("de", "del", "de la", "de los"), "en": ("of", "of the")})

#: Titles and roles: a capitalised run just after one is a person; a run starting with one loses it.
TITLES = MappingProxyType({
    "es": r"presidente|presidenta|primer ministro|primera ministra|ministro|ministra|canciller|portavoz|vocero|"
          r"líder|lider|jefe|jefa|general|comandante|defensor del pueblo|embajador|embajadora|secretario|"
          r"secretaria|senador|senadora|diputado|diputada|rey|reina|papa|señor|señora|sr\.|sra\.",
    "en": r"president|prime minister|minister|foreign minister|chancellor|spokesman|spokeswoman|spokesperson|"
          r"leader|chief|general|commander|ombudsman|ambassador|secretary of state|secretary|senator|king|"
          r"queen|pope|mr\.|mrs\.|ms\.",
})
#: A word inside a capitalised run that gives the run its type.
TYPE_KEYWORDS = MappingProxyType({
    "ORG": r"ministerio|ministry|gobierno|government|ejército|ejercito|army|fuerzas|forces|armada|navy|"
           r"oficina|office|consejo|council|comité|comite|committee|agencia|agency|parlamento|parliament|"
           r"congreso|congress|asamblea|assembly|partido|party|naciones unidas|united nations|organización|"
           r"organization|organisation|unión europea|european union|cruz roja|red cross|banco|bank|"
           r"tribunal|court|policía|policia|police|defensor del pueblo|ombudsman|presidencia|presidency",
    "FAC": r"aeropuerto|airport|carretera|road|corredor|corridor|paso|puente|bridge|autopista|highway|"
           r"puerto|port|base|estación|station|hospital|plaza|square",
    "LOC": r"cáucaso|caucaso|caucasus|río|rio|river|montañas|montes|mountains|mar|sea|lago|lake|valle|valley",
    "GPE": r"república|republica|republic|región|region|ciudad|city|provincia|province|estado|state|"
           r"unión soviética|soviet union",
})
#: English nationality/group adjectives and nouns: single capitalised word with these endings.
NORP_SUFFIX_EN = r"(?:ian|ians|ean|eans|ese|ish|ani|anis)"
#: Spanish lower-case demonym endings (checked only against names found in the same document).
NORP_SUFFIX_ES = r"(?:o|a|os|as|es|í|íes|ís|ano|ana|anos|anas|ense|enses|ino|ina|inos|inas)"

#: Default type of a capitalised run nothing else types: the commonest type of named mentions in
#: conflict news (countries, regions, capitals).
DEFAULT_TYPE = "GPE"

# --------------------------------------------------------------------------------------------
# Events: trigger surface forms per schema.EVENT_TYPES type

TRIGGERS = MappingProxyType({
    "es": {
        "ATTACK": r"ataques?|atac[oó]|atacaron|bombardeos?|bombarde[oó]|bombardearon|combates?|enfrentamientos?|"
                  r"ofensiva|operaci[oó]n militar|operaci[oó]n antiterrorista|batallas?|disparos|guerra|"
                  r"hostilidades|agresi[oó]n",
        "DIE": r"murieron|muri[oó]|muertos|muertas|muerto|muertes|muerte|fallecidos|fallecieron|falleci[oó]|"
               r"asesinados|asesinado|mataron|perdieron la vida",
        "INJURE": r"heridos|heridas|herido|herida|lesionados|hirieron",
        "CEASEFIRE": r"alto el fuego|cese del? fuego|cese(?: inmediato)? de (?:las )?hostilidades|tregua|"
                     r"armisticio",
        "AGREEMENT": r"acuerdos?|acordaron|acordado|acord[oó]|pacto|firmaron|firm[oó]|declaraci[oó]n conjunta",
        "MEET": r"reuni[oó]n|reuniones|se reunieron|se reuni[oó]|conversaciones|negociaciones|negociaci[oó]n|"
                r"negociar|cumbre|conversaci[oó]n telef[oó]nica|encuentro",
        "EVACUATE": r"evacuados|evacuadas|evacuaci[oó]n|evacuar|evacuaron|evacu[oó]|huyeron|desplazados",
        "BLOCKADE": r"bloqueo|bloquear|bloquearon|bloque[oó]|bloqueado|bloqueada|asedio|cerco",
        "DISARM": r"desarme|desarmar|desarmen|desarmado|desarmados|deponer las armas|entregar las armas",
        "WITHDRAW": r"retirada|retiro|retirar|retiraron|se retir[oó]|repliegue",
        "CAPTURE": r"tomar|tom[oó]|tomaron|capturar|capturaron|captur[oó]|ocup[oó]|ocuparon|recuperar[aá]?|"
                   r"recuper[oó]|conquist[oó]|conquistaron",
        "DEPLOY": r"desplegar[aá]n?|desplegar[ií]an|despliegue|despleg[oó]|desplegaron|desplegadas?",
        "SURRENDER": r"capitularon|capitular|capitulaci[oó]n|rendici[oó]n|se rindieron|se rindi[oó]",
        "DECLARE_INDEPENDENCE": r"declar[oó] (?:su )?independencia|proclam[oó] (?:su )?independencia|"
                                r"independencia",
    },
    "en": {
        "ATTACK": r"attacks?|attacked|bombing|bombed|shelling|shelled|fighting|clashes|clash|offensive|"
                  r"military operation|battles?|war|hostilities|explosion|strikes?",
        "DIE": r"killed|dead|deaths?|died|dies|fatalities|killing",
        "INJURE": r"injured|injuries|injury|wounded|wounds",
        "CEASEFIRE": r"ceasefire|cease-fire|truce|armistice|cessation of hostilities|cease hostilities|stop fighting",
        "AGREEMENT": r"agreements?|agreed|accord|pact|deal|signed",
        "MEET": r"meetings?|talks|met|meet|negotiations?|summit|conversation",
        "EVACUATE": r"evacuate|evacuated|evacuation|fled|flee",
        "BLOCKADE": r"blockade|blockaded|siege",
        "DISARM": r"disarm|disarmament|disarmed|lay down (?:their|the) (?:arms|weapons)",
        "WITHDRAW": r"withdrawal|withdraw|withdrew|withdrawn|pull out|pulled out",
        "CAPTURE": r"seized|seize|captured|capture|took control|occupied|recovering|recovered|recapture[d]?",
        "DEPLOY": r"deployment|deploy|deployed|stationed",
        "SURRENDER": r"surrender|surrendered|capitulated|capitulation",
        "DECLARE_INDEPENDENCE": r"declared independence|proclaimed (?:itself )?(?:an )?independent|independence",
    },
})

#: Negation words that make a following trigger's polarity negative (within a few tokens).
NEGATION = MappingProxyType({"es": r"no|nunca|sin|ni|jamás", "en": r"not|no|never|without|n't|nor"})
#: Modal/future markers that make realis "other" (future, hypothetical, demanded).
MODAL = MappingProxyType({
    "es": r"\w+r(?:á|án|ía|ían|emos)|deben?|debería|deberían|podría|podrían|puede|pueden|"
          r"pidi[oó]|exigi[oó]",
    "en": r"will|would|could|might|may|should|shall|to|must|can",
})

# --------------------------------------------------------------------------------------------
# Claims: reporting cues, their stance, and attribution patterns

#: Reporting cues -> stance of the claim they introduce.
CUES = MappingProxyType({
    "es": {
        "asserts": r"dijo|dijeron|ha dicho|informó|informaron|se informó|afirmó|afirmaron|ha afirmado|señaló|"
                   r"señalaron|declaró|declararon|agregó|añadió|destacó|aseguró|aseguraron|indicó|indicaron|"
                   r"explicó|anunció|anunciaron|advirtió|acusó|acusaron|confirmó|confirmaron|reconoció|"
                   r"han reconocido|ha reconocido|reconocieron|sostuvo|subrayó|denunció|denunciaron|según|"
                   r"cifró|cifraron|aseveró|manifestó|comunicó|precisó|insistió|alertó",
        "denies": r"rechazó|rechazaron|negó|negaron|desmintió|desmintieron",
        "demands": r"pidió|pidieron|llamó|llamaron|exigió|exigieron|instó|instaron|reclamó|reclamaron|"
                   r"había exigido|ha pedido",
        "promises": r"prometió|prometieron|se comprometió|se comprometieron|garantizó",
    },
    "en": {
        "asserts": r"said|says|say|reported|stated|indicated|assured|added|according to|"
                   r"announced|confirmed|claimed|stressed|warned|accused|told|noted|explained|"
                   r"insisted|declared|acknowledged|admitted",
        "denies": r"denied|denies|rejected|rejects|refused",
        "demands": r"called on|called for|urged|demanded|asked",
        "promises": r"promised|promises|pledged|vowed",
    },
})
#: Complementisers: content follows ("dijo que ...", "said that ...").
THAT = MappingProxyType({"es": "que", "en": "that"})
#: Cues like "según"/"according to" that name the source right after them.
ACCORDING = MappingProxyType({"es": r"según", "en": r"according to"})
#: A quotation shorter than this many words is a scare quote, not a claim of its own.
MIN_QUOTE_WORDS = 4
