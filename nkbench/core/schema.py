"""The annotation scheme as data: every label inventory and mapping lives here, once.

The converter, the Label Studio config generator, the dataset builder, the scorer and the
baselines all read these tables; `annotation/GUIDELINES.md` documents them in prose.
"""

from __future__ import annotations

from types import MappingProxyType

#: Entity mention types (flat: no nesting inside the entity layer; see GUIDELINES.md).
ENTITY_TYPES: tuple[str, ...] = (
    "PER",  # persons, named or described by title/role ("el portavoz del Kremlin", "Diplomáticos armenios")
    "ORG",  # organisations: governments as institutions, ministries, armed forces, agencies, media, parties
    "GPE",  # geopolitical entities: countries, cities, regions with a government (incl. Nagorno-Karabakh)
    "LOC",  # non-GPE locations: regions, mountains, bodies of water, "South Caucasus"
    "FAC",  # facilities: airports, roads, corridors, buildings
    "NORP",  # nationality, ethnic, religious or political groups: "armenios", "karabajíes", "separatists"
    "DATE",  # absolute or relative dates and periods
    "TIME",  # times of day
    "QUANTITY",  # numeric expressions with their hedge and unit: "Cerca de 200", "265 kilometers"
)

#: Types whose mentions carry a canonical entity id (the others are values, not referents).
LINKED_ENTITY_TYPES: frozenset[str] = frozenset({"PER", "ORG", "GPE", "LOC", "FAC", "NORP"})

#: Our types -> CoNLL-2002 types (None: not an entity in CoNLL, dropped for that mapping).
TO_CONLL = MappingProxyType(
    {
        "PER": "PER",
        "ORG": "ORG",
        "GPE": "LOC",
        "LOC": "LOC",
        "FAC": "LOC",
        "NORP": "MISC",
        "DATE": None,
        "TIME": None,
        "QUANTITY": None,
    }
)

#: The types with the same name in OntoNotes 5 and here.
_SAME_AS_ONTONOTES = ("ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "QUANTITY")

#: OntoNotes 5 types -> our types (for scoring spaCy's English models).
FROM_ONTONOTES = MappingProxyType(
    {
        "PERSON": "PER",
        **{t: t for t in _SAME_AS_ONTONOTES},
        "CARDINAL": "QUANTITY",
        "MONEY": "QUANTITY",
        "PERCENT": "QUANTITY",
        # Not in our inventory: mapped to None (reported as unmapped, never silently kept).
        "EVENT": None,
        "LAW": None,
        "WORK_OF_ART": None,
        "PRODUCT": None,
        "LANGUAGE": None,
        "ORDINAL": None,
    }
)

#: Our types -> OntoNotes 5 types (the inverse view used in the guidelines' table).
TO_ONTONOTES = MappingProxyType(
    {"PER": "PERSON", **{t: t for t in _SAME_AS_ONTONOTES}, "QUANTITY": "CARDINAL|QUANTITY"}
)

#: Event types -> (allowed argument roles, ACE 2005 subtype, ACLED "event type/sub-event type").
#: None: the scheme has no counterpart (ACLED records deaths as a fatality count, not as an event).
EVENT_TYPES = MappingProxyType(
    {
        "ATTACK": (("Attacker", "Target", "Instrument", "Place", "Time"), "Conflict:Attack", "Battles/Armed clash"),
        "DIE": (("Victim", "Agent", "Count", "Place", "Time"), "Life:Die", None),
        "INJURE": (("Victim", "Agent", "Count", "Place", "Time"), "Life:Injure", None),
        "CEASEFIRE": (("Participant", "Mediator", "Place", "Time"), None, "Strategic developments/Agreement"),
        "AGREEMENT": (("Participant", "Mediator", "Topic", "Place", "Time"), None, "Strategic developments/Agreement"),
        "MEET": (("Participant", "Mediator", "Topic", "Place", "Time"), "Contact:Meet", None),
        "EVACUATE": (("Agent", "Person", "Count", "Origin", "Destination", "Time"), "Movement:Transport", None),
        "BLOCKADE": (("Agent", "Target", "Place", "Time"), None, "Strategic developments/Other"),
        "DISARM": (("Agent", "Artifact", "Place", "Time"), None, "Strategic developments/Other"),
        "WITHDRAW": (("Agent", "Origin", "Destination", "Time"), "Movement:Transport", "Strategic developments/Non-violent transfer of territory"),
        "CAPTURE": (("Agent", "Target", "Place", "Time"), "Conflict:Attack", "Battles/Government regains territory"),
        "DEPLOY": (("Agent", "Destination", "Time"), "Movement:Transport", None),
        "SURRENDER": (("Agent", "Recipient", "Place", "Time"), None, "Strategic developments/Other"),
        "DECLARE_INDEPENDENCE": (("Agent", "Origin", "Time"), None, None),
    }
)

EVENT_ROLES: tuple[str, ...] = tuple(sorted({r for roles, _, _ in EVENT_TYPES.values() for r in roles}))

#: ACE-style event attributes, each a closed set; the first value is the default.
POLARITY: tuple[str, ...] = ("positive", "negative")
REALIS: tuple[str, ...] = ("actual", "generic", "other")  # other = future, hypothetical, demanded, denied

#: Claim stance: what the claimant does with the content.
STANCES: tuple[str, ...] = ("asserts", "denies", "demands", "promises")

#: Hedges on numeric values and the interval each one denotes for a stated value v.
#: low/high in the model are the stated bounds; these say which are open or approximate.
HEDGES: tuple[str, ...] = ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "almost", "range")

#: What a numeric claim counts.
COUNTED: tuple[str, ...] = (
    "killed",
    "injured",
    "evacuated",
    "population",
    "settlements",
    "positions",
    "distance",
    "duration",
    "other",
)

#: Relation labels in the Label Studio config that are not event roles.
CLAIMANT = "claimant"
CUE = "cue"
PARENT = "parent"  # nested attribution: inner claim -> outer claim whose content contains it
