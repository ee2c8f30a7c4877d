"""The Label Studio labeling config, generated from ``nkbench.core.schema`` and the field
declarations of ``nkbench.core.model`` (each field's ``Control``), so it cannot drift.

Every annotation layer of ``nkbench.core.model`` is a ``<Labels>`` control on the one ``<Text>`` object;
span ids are Label Studio region ids; references (event arguments, claimant, cue, nested
attribution) are ``<Relations>``; every other field is a per-region control shown only while a
region of its layer is selected (``visibleWhen="region-selected"`` + ``whenTagName``, the only
combination under which ``whenTagName`` works in Label Studio 1.23).

The annotator's interface (measured in Label Studio 1.23.2 with Chromium, see
tests/test_labelstudio_browser.py): a ``<Style>`` keeps runs of whitespace in the text as they
are (``WHITESPACE_CSS``), so a span across a double space stores exactly ``text[start:end]``;
one colour family per layer (``COLOURS``); a mnemonic hotkey for every label and every
per-region choice (``HOTKEYS``); canonical entity ids and link ids are chosen from a list made
from annotation/entities.json and links.json (``build_config(entities, links)``), with a text
area beside each list to propose a new id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from xml.sax.saxutils import quoteattr

from ...core import schema
from ...core.model import Document, layer_specs, own_specs


TEXT = "text"  #: the <Text> object name (and the task data key holding the verbatim text)
CLAIM_LABEL = "CLAIM"
CUE_LABEL = "CUE"


@dataclass(frozen=True, slots=True)
class SpanControl:
    """A <Labels> control: one model layer, its label inventory and its background colours."""

    name: str
    layer: str  # Document attribute: mentions, events, cues, claims
    labels: tuple[str, ...]
    hint: str


@dataclass(frozen=True, slots=True)
class Attribute:
    """A per-region control: which layer it belongs to, its tag and (for Choices) its values;
    ``path``: the model field it gives (``("value", "low")``: a field of the claim's value);
    ``proposes``: the inventory control it proposes a new id for (its text area)."""

    name: str
    tag: str  # Choices, TextArea or Number
    layer: str
    values: tuple[str, ...] = ()
    hint: str = ""
    path: tuple[str, ...] = ()
    proposes: str = ""


SPAN_CONTROLS: tuple[SpanControl, ...] = (
    SpanControl("entity", "mentions", schema.ENTITY_TYPES, "Entity mentions (flat layer; nominal ones only as arguments/sources)"),
    SpanControl("trigger", "events", tuple(schema.EVENT_TYPES), "Event triggers"),
    SpanControl("claim", "claims", (CLAIM_LABEL,), "Claim content"),
    SpanControl("cue", "cues", (CUE_LABEL,), "Reporting cue (said, dijo, rechazó)"),
)
CONTROL_BY_NAME = MappingProxyType({c.name: c for c in SPAN_CONTROLS})
CONTROL_BY_LAYER = MappingProxyType({c.layer: c for c in SPAN_CONTROLS})

NOMINAL = "nominal"  #: the one choice of the ``nominal`` control (absent = a named mention)

def attributes(model: type = Document) -> tuple[Attribute, ...]:
    """The per-region controls, derived from the fields' declared ``Control`` (``nkbench.core.model``),
    layer by layer in declaration order; a struct's fields (the claim's value) are controls of its
    layer. A field whose control is a relation, the event arguments (relations labelled with the
    role) and the span label (the region's own label) are not attributes."""
    out: list[Attribute] = []

    def walk(layer: str, cls: type, path: tuple[str, ...]) -> None:
        for s in own_specs(cls):
            if s.struct and not s.many:
                walk(layer, s.kind, (*path, s.name))
                continue
            if s.many or s.name == "label" or (s.control and s.control.relation):
                continue
            if s.control is None:
                raise TypeError(f"{cls.__name__}.{s.name} declares no Label Studio control (model.Control)")
            c, here = s.control, (*path, s.name)
            values = (c.choice,) if s.kind is bool else tuple(s.inventory or ())
            out.append(Attribute(s.name, c.tag, layer, values, c.hint, here))
            if c.propose:
                out.append(Attribute(f"{s.name}_new", "TextArea", layer, hint=c.propose, path=here, proposes=s.name))

    for layer in layer_specs(model):
        walk(layer.name, layer.kind, ())
    return tuple(out)


def claim_relations(model: type = Document) -> dict[str, tuple[str, str, str]]:
    """Relation label -> (from layer, to layer, field) of every field declared as a relation
    (``Control(relation=...)``: the claim's source, cue and parent)."""
    return {s.control.relation: (layer.name, s.ref, s.name) for layer in layer_specs(model)
            for s in own_specs(layer.kind) if s.control and s.control.relation}


ATTRIBUTES: tuple[Attribute, ...] = attributes()
ATTRIBUTE_BY_NAME = MappingProxyType({a.name: a for a in ATTRIBUTES})

#: Inventory controls (a ``<Choices layout="select">`` listing the ids of annotation/entities.json
#: or links.json, see ``build_config``) -> the text area beside it that proposes a new id. Both
#: give the same model field. An export made with an earlier config holds the id as a
#: ``textarea`` under the choice's own name, which the converter still reads (``LEGACY_TAGS``).
PROPOSE = MappingProxyType({a.proposes: a.name for a in ATTRIBUTES if a.proposes})
PROPOSED = MappingProxyType({v: k for k, v in PROPOSE.items()})
LEGACY_TAGS = MappingProxyType({"entity_id": "textarea", "link": "textarea"})

#: Relation label -> (layer of the from-region, layer of the to-region). Event roles go from a
#: trigger to an entity mention; which roles a given event type allows is ``schema.EVENT_TYPES``.
#: The roles are written here (an argument is a relation labelled with its role: a shape of its own);
#: the other relations come from the fields declared as relations (``claim_relations``).
RELATIONS = MappingProxyType({
    **{role: ("events", "mentions") for role in schema.EVENT_ROLES},
    **{label: (a, b) for label, (a, b, _) in claim_relations().items()},
})

# -- the interface: one colour family per layer, mnemonic hotkeys ------------------------------------

#: Each label's look, once: (colour, hotkey). One colour family per layer, no colour shared between
#: layers (tests check it): entities are cool (blues, cyans, greens, blue-greys), event triggers warm
#: (reds, oranges, ambers, browns), claims and cues purple. Hotkeys: entities the plain first letter,
#: event triggers shift + a letter of the name, CLAIM c, CUE s ("said").
LABEL_LOOK = MappingProxyType({
    "entity": {"PER": ("#42a5f5", "p"), "ORG": ("#26c6da", "o"), "GPE": ("#66bb6a", "g"), "LOC": ("#aed581", "l"),
               "FAC": ("#26a69a", "f"), "NORP": ("#90caf9", "n"), "DATE": ("#b0bec5", "d"), "TIME": ("#78909c", "t"),
               "QUANTITY": ("#80deea", "q")},
    "trigger": {"ATTACK": ("#f44336", "shift+a"), "DIE": ("#b71c1c", "shift+d"), "INJURE": ("#ff8a80", "shift+i"),
                "CEASEFIRE": ("#ffcc80", "shift+c"), "AGREEMENT": ("#ffb74d", "shift+g"), "MEET": ("#ffe082", "shift+m"),
                "EVACUATE": ("#fff176", "shift+e"), "BLOCKADE": ("#a1887f", "shift+b"), "DISARM": ("#d7ccc8", "shift+x"),
                "WITHDRAW": ("#ff7043", "shift+w"), "CAPTURE": ("#e64a19", "shift+t"), "DEPLOY": ("#ffab40", "shift+y"),
                "SURRENDER": ("#fbc02d", "shift+s"), "DECLARE_INDEPENDENCE": ("#8d6e63", "shift+n")},
    "claim": {CLAIM_LABEL: ("#ce93d8", "c")},
    "cue": {CUE_LABEL: ("#7e57c2", "s")},
})
COLOURS = MappingProxyType({layer: {label: look[0] for label, look in labels.items()} for layer, labels in LABEL_LOOK.items()})

#: Hotkeys: the labels' (``LABEL_LOOK``); per-region choices: alt + a letter of the value; hedges alt
#: + a symbol key (= exact, ` approx, ] at least, . more than, [ at most, , less than, ; almost,
#: - range). Label Studio's own keys (``RESERVED_KEYS``) are never used; annotation/README.md
#: lists them all.
HOTKEYS = MappingProxyType({
    **{layer: {label: look[1] for label, look in labels.items()} for layer, labels in LABEL_LOOK.items()},
    "nominal": {NOMINAL: "alt+o"},
    "polarity": {"positive": "alt+p", "negative": "alt+n"},
    "realis": {"actual": "alt+a", "generic": "alt+g", "other": "alt+z"},
    "stance": {"asserts": "alt+s", "denies": "alt+x", "demands": "alt+d", "promises": "alt+w"},
    "hedge": {"exact": "alt+=", "approx": "alt+`", "at_least": "alt+]", "more_than": "alt+,",
              "at_most": "alt+[", "less_than": "alt+/", "almost": "alt+;", "range": "alt+-"},
    "counted": {"killed": "alt+k", "injured": "alt+i", "evacuated": "alt+e", "population": "alt+u",
                "settlements": "alt+v", "positions": "alt+j", "distance": "alt+b", "duration": "alt+t",
                "other": "alt+q"},
})

#: Label Studio 1.23's own hotkeys (its keymap) that no label or choice may take.
RESERVED_KEYS = frozenset({"u", "enter", "escape", "backspace", "delete", "alt+r", "alt+h", "alt+l", "alt+m",
                           "alt+.", "alt+left", "alt+right", "ctrl+enter", "ctrl+space", "ctrl+z", "ctrl+d",
                           "ctrl+h", "ctrl+backspace", "ctrl+shift+z"})

#: Injected into the page with Label Studio's <Style> tag: the <Text> object keeps every run of
#: whitespace as it is, so a selection across a double space stores exactly text[start:end] in
#: value.text (Label Studio stores the text as displayed, and a browser collapses runs of spaces
#: by default). Measured in Label Studio 1.23.2 and Chromium (tests/test_labelstudio_browser.py).
WHITESPACE_CSS = ".lsf-richtext__container, .htx-richtext { white-space: pre-wrap; }"


@dataclass(frozen=True, slots=True)
class InventoryItem:
    """One id of annotation/entities.json or links.json, as the config lists it."""

    id: str
    hint: str = ""


def read_inventory(path: Path, kind: str) -> tuple[InventoryItem, ...]:
    """The ids of an inventory file, each with a hint ("PER: Ilham Aliyev", "killed: Total death
    toll ..."), grouped by type in the file's order. A missing file lists nothing."""
    from ...core.inventory import read_inventory as read_records

    records = read_records(path)  # the one reader: a bad shape is an error naming the file
    if records is None:
        return ()
    items = []
    for key, row in records.items():
        group = str(row.get("type") or row.get("counted") or "")
        label = " ".join(str(row.get("name") or row.get("description") or "").split())
        hint = f"{group}: {label}" if group else label
        items.append((group, InventoryItem(key, hint if len(hint) <= 100 else hint[:97] + "...")))
    order = {g: i for i, g in enumerate(dict.fromkeys(g for g, _ in items))}
    return tuple(item for _, item in sorted(items, key=lambda gi: order[gi[0]]))


def _tag(name: str, attrs: dict[str, str], children: list[str] | None = None, indent: int = 0) -> list[str]:
    pad = "  " * indent
    attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    if not children:
        return [f"{pad}<{name}{attr_text}/>"]
    return [f"{pad}<{name}{attr_text}>", *children, f"{pad}</{name}>"]


def _choices(common: dict[str, str], layout: dict[str, str], choices: list[dict[str, str]], indent: int) -> list[str]:
    """A single-choice <Choices> control with one <Choice> per attribute dict of ``choices``."""
    kids = [line for attrs in choices for line in _tag("Choice", attrs, indent=indent + 1)]
    return _tag("Choices", {**common, "choice": "single", **layout}, kids, indent)


def _attribute(a: Attribute, indent: int, options: tuple[InventoryItem, ...]) -> list[str]:
    common = {"name": a.name, "toName": TEXT, "perRegion": "true"}
    out = _tag("Header", {"value": a.hint, "size": "6"}, indent=indent)
    keys = HOTKEYS.get(a.name, {})
    if a.tag == "Choices" and a.name in PROPOSE:
        return out + _choices(common, {"layout": "select"}, [{"value": o.id, "hint": o.hint} for o in options], indent)
    if a.tag == "Choices":
        return out + _choices(common, {"showInline": "true"},
                              [{"value": v, **({"hotkey": keys[v]} if v in keys else {})} for v in a.values], indent)
    if a.tag == "TextArea":
        return out + _tag("TextArea", {**common, "maxSubmissions": "1", "editable": "true", "rows": "1"}, indent=indent)
    if a.tag == "Number":
        return out + _tag("Number", common, indent=indent)
    raise ValueError(f"unknown attribute tag {a.tag!r}")


def build_config(entities: tuple[InventoryItem, ...] = (), links: tuple[InventoryItem, ...] = (), *,
                 model: type = Document) -> str:
    """The labeling config XML, deterministic, from ``nkbench.core.schema`` and the inventories' ids
    (``read_inventory``; ``project_config`` reads the project's two files)."""
    body: list[str] = [f"  <Style>{WHITESPACE_CSS}</Style>"]
    body += _tag("Header", {"value": "nkbench: entities, events, claims (annotation/GUIDELINES.md; hotkeys in README.md)"}, indent=1)
    for control in SPAN_CONTROLS:
        colours, keys = COLOURS[control.name], HOTKEYS[control.name]
        kids = [line for label in control.labels
                for line in _tag("Label", {"value": label, "background": colours[label], "hotkey": keys[label]}, indent=2)]
        body += _tag("Header", {"value": control.hint, "size": "5"}, indent=1)
        body += _tag("Labels", {"name": control.name, "toName": TEXT, "choice": "single"}, kids, indent=1)
    body += _tag("Text", {"name": TEXT, "value": f"${TEXT}"}, indent=1)
    relations = {**{role: None for role in schema.EVENT_ROLES}, **claim_relations(model)}
    rel_kids = [line for label in relations for line in _tag("Relation", {"value": label}, indent=2)]
    body += _tag("Relations", {"choice": "single"}, rel_kids, indent=1)
    options = {"entity_id": tuple(entities), "link": tuple(links)}
    every = attributes(model)
    for control in SPAN_CONTROLS:
        attrs = [a for a in every if a.layer == control.layer]
        if attrs:
            kids = [line for a in attrs for line in _attribute(a, 2, options.get(a.name, ()))]
            body += _tag("View", {"visibleWhen": "region-selected", "whenTagName": control.name}, kids, indent=1)
    header = ("<!-- Generated by nkbench.annotation.labelstudio.config from nkbench/core/schema.py, annotation/entities.json and "
              "annotation/links.json: do not edit by hand (nkbench annotate config). -->")
    return "\n".join([header, *_tag("View", {}, body)]) + "\n"


def project_config(entities_path: Path, links_path: Path) -> str:
    """``build_config`` with the ids of the project's inventories (annotation/entities.json, links.json)."""
    return build_config(read_inventory(entities_path, "entities"), read_inventory(links_path, "links"))


def write_config(path: Path, xml: str) -> Path:
    """Write the project's config file (``nkbench annotate config``)."""
    from ...core.io import atomic_write_text
    atomic_write_text(path, xml)
    return path


def regenerate(project, *, check: bool = False) -> bool:
    """Rewrite the project's ``annotation/labeling_config.xml`` from the schema and its inventories
    unless ``check`` or current (``nkbench annotate config``, ``nkbench regen``); returns whether it
    was current."""
    path = project.labeling_config
    xml = project_config(project.entities, project.links)
    current = path.exists() and path.read_text(encoding="utf-8") == xml
    if not check and not current:
        write_config(path, xml)
    return current
