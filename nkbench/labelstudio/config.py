"""The Label Studio labeling config, generated from ``nkbench.schema`` (so it cannot drift).

Every annotation layer of ``nkbench.model`` is a ``<Labels>`` control on the one ``<Text>`` object;
span ids are Label Studio region ids; references (event arguments, claimant, cue, nested
attribution) are ``<Relations>``; every other field is a per-region control shown only while a
region of its layer is selected (``visibleWhen="region-selected"`` + ``whenTagName``, the only
combination under which ``whenTagName`` works in Label Studio 1.23).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from xml.sax.saxutils import quoteattr

from .. import schema


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
    """A per-region control: which layer it belongs to, its tag and (for Choices) its values."""

    name: str
    tag: str  # Choices, TextArea or Number
    layer: str
    values: tuple[str, ...] = ()
    hint: str = ""


SPAN_CONTROLS: tuple[SpanControl, ...] = (
    SpanControl("entity", "mentions", schema.ENTITY_TYPES, "Entity mentions (flat layer; nominal ones only as arguments/sources)"),
    SpanControl("trigger", "events", tuple(schema.EVENT_TYPES), "Event triggers"),
    SpanControl("claim", "claims", (CLAIM_LABEL,), "Claim content"),
    SpanControl("cue", "cues", (CUE_LABEL,), "Reporting cue (said, dijo, rechazó)"),
)
CONTROL_BY_NAME = MappingProxyType({c.name: c for c in SPAN_CONTROLS})
CONTROL_BY_LAYER = MappingProxyType({c.layer: c for c in SPAN_CONTROLS})

NOMINAL = "nominal"  #: the one choice of the ``nominal`` control (absent = a named mention)

ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("entity_id", "TextArea", "mentions", hint="Canonical entity id (annotation/entities.json)"),
    Attribute("nominal", "Choices", "mentions", (NOMINAL,), "Nominal mention"),
    Attribute("polarity", "Choices", "events", schema.POLARITY, "Polarity"),
    Attribute("realis", "Choices", "events", schema.REALIS, "Realis"),
    Attribute("stance", "Choices", "claims", schema.STANCES, "Stance"),
    Attribute("low", "Number", "claims", hint="Value: low bound as stated (empty = unbounded)"),
    Attribute("high", "Number", "claims", hint="Value: high bound as stated (empty = unbounded)"),
    Attribute("hedge", "Choices", "claims", schema.HEDGES, "Hedge"),
    Attribute("counted", "Choices", "claims", schema.COUNTED, "Counted"),
    Attribute("link", "TextArea", "claims", hint="Cross-document link id (annotation/links.json)"),
)
ATTRIBUTE_BY_NAME = MappingProxyType({a.name: a for a in ATTRIBUTES})

#: Relation label -> (layer of the from-region, layer of the to-region). Event roles go from a
#: trigger to an entity mention; which roles a given event type allows is ``schema.EVENT_TYPES``.
RELATIONS = MappingProxyType({
    **{role: ("events", "mentions") for role in schema.EVENT_ROLES},
    schema.CLAIMANT: ("claims", "mentions"),
    schema.CUE: ("claims", "cues"),
    schema.PARENT: ("claims", "claims"),
})

_COLOURS = ("#ff9e80", "#80d8ff", "#b9f6ca", "#ffe57f", "#ea80fc", "#ccff90", "#a7ffeb", "#ffd180",
            "#cfd8dc", "#f48fb1", "#9fa8da", "#e6ee9c", "#bcaaa4", "#80cbc4")


def _tag(name: str, attrs: dict[str, str], children: list[str] | None = None, indent: int = 0) -> list[str]:
    pad = "  " * indent
    attr_text = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    if not children:
        return [f"{pad}<{name}{attr_text}/>"]
    return [f"{pad}<{name}{attr_text}>", *children, f"{pad}</{name}>"]


def _attribute(a: Attribute, indent: int) -> list[str]:
    common = {"name": a.name, "toName": TEXT, "perRegion": "true"}
    out = _tag("Header", {"value": a.hint, "size": "6"}, indent=indent)
    if a.tag == "Choices":
        kids = [line for v in a.values for line in _tag("Choice", {"value": v}, indent=indent + 1)]
        return out + _tag("Choices", {**common, "choice": "single", "showInline": "true"}, kids, indent)
    if a.tag == "TextArea":
        return out + _tag("TextArea", {**common, "maxSubmissions": "1", "editable": "true", "rows": "1"}, indent=indent)
    if a.tag == "Number":
        return out + _tag("Number", common, indent=indent)
    raise ValueError(f"unknown attribute tag {a.tag!r}")


def build_config() -> str:
    """The labeling config XML, deterministic, from ``nkbench.schema``."""
    body: list[str] = []
    body += _tag("Header", {"value": "nkbench: entities, events, claims (see annotation/GUIDELINES.md)"}, indent=1)
    for k, control in enumerate(SPAN_CONTROLS):
        kids = [line for i, label in enumerate(control.labels)
                for line in _tag("Label", {"value": label, "background": _COLOURS[(i + 5 * k) % len(_COLOURS)]}, indent=2)]
        body += _tag("Header", {"value": control.hint, "size": "5"}, indent=1)
        body += _tag("Labels", {"name": control.name, "toName": TEXT, "choice": "single"}, kids, indent=1)
    body += _tag("Text", {"name": TEXT, "value": f"${TEXT}"}, indent=1)
    rel_kids = [line for label in RELATIONS for line in _tag("Relation", {"value": label}, indent=2)]
    body += _tag("Relations", {"choice": "single"}, rel_kids, indent=1)
    for control in SPAN_CONTROLS:
        attrs = [a for a in ATTRIBUTES if a.layer == control.layer]
        if attrs:
            kids = [line for a in attrs for line in _attribute(a, 2)]
            body += _tag("View", {"visibleWhen": "region-selected", "whenTagName": control.name}, kids, indent=1)
    header = "<!-- Generated by nkbench.labelstudio.config from nkbench/schema.py: do not edit by hand. -->"
    return "\n".join([header, *_tag("View", {}, body)]) + "\n"


def write_config(path: Path) -> Path:
    """Regenerate the project's config file (``nkbench annotate config``)."""
    from ..io import atomic_write_text
    atomic_write_text(path, build_config())
    return path

