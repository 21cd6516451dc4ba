"""Opinion guard: a sentence whose main predicate only evaluates, with nothing to check, is not a claim.

"X remains a reliable partner", "the potential remains robust", "policy must recognize X": the
predicate is copular/evaluative or normative, and the sentence holds no number, date or quantity
a fact-checker could verify. The debate-trained model cannot tell these from facts in op-ed prose
full of country names, so this structural rule vetoes them (the score is still reported).
"""

from __future__ import annotations

from spacy.tokens import Span

from .features import DocArrays

# Predicates that link a subject to an evaluation rather than report an event.
EVALUATIVE_PREDICATES = frozenset(
    [
        "be",
        "remain",
        "seem",
        "appear",
        "become",
        "look",
        "sound",
        "stay",
        "signify",
        "reflect",
        "underscore",
        "represent",
        "deserve",
        "merit",
        "symbolize",
        "embody",
        "constitute",
        "serve",
    ]
)
NORMATIVE_MODALS = frozenset({"must", "should", "ought", "need"})
CHECKABLE_ENTITIES = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "DATE", "TIME", "ORDINAL"})


def opinion_reason(sent: Span, arrays: DocArrays | None = None) -> str | None:
    """Why the sentence is opinion (a short cue), or None when it may be a factual claim."""
    entity_types = arrays.ent[sent.start : sent.end] if arrays is not None else [t.ent_type_ for t in sent]
    if any(label in CHECKABLE_ENTITIES for label in entity_types):
        return None
    root = sent.root
    if root.tag_ in ("VBD",) and root.lemma_ != "be":
        return None  # a past event is checkable
    for child in root.children:
        if child.dep_ == "aux" and child.lemma_.lower() in NORMATIVE_MODALS:
            return f"normative:{child.lower_}"
    lemma = root.lemma_.lower()
    if lemma not in EVALUATIVE_PREDICATES:
        return None
    for child in root.children:
        if child.dep_ in ("acomp", "oprd") and child.pos_ == "ADJ":
            return f"evaluative:{lemma} {child.lower_}"
        if child.dep_ in ("attr", "dobj") and any(c.dep_ == "amod" and c.pos_ == "ADJ" for c in child.children):
            return f"evaluative:{lemma} {child.lower_}"
        if child.dep_ == "prep" and child.lower_ == "as":  # "serves as a stark reminder"
            for noun in child.children:
                if noun.dep_ == "pobj" and any(c.dep_ == "amod" and c.pos_ == "ADJ" for c in noun.children):
                    return f"evaluative:{lemma} as {noun.lower_}"
    return None
