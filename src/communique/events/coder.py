"""The event coder: lexicon triggers over the dependency parse -> CAMEO/PLOVER events with provenance.

One pass over the tokens looks each lemma up in the lexicon (dicts, no pattern loops). For a
trigger we pick the most specific entry whose constraints hold, then read the actors off the
parse by role (subject, passive agent, possessor, object, prepositional objects), map them to the
actor stage's mentions by token, and apply what wraps the trigger: a frame ("offered to mediate"),
future/hypothetical auxiliaries, negation, and reported speech ("X said Y will ...").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from ..model import ActorMention, Analysis, Cameo, Event, EventActor, Plover
from ..model import Span as TextSpan
from .lexicon import Entry, Frame, Lexicon
from .ontology import cameo

VERB_POS = {"VERB", "AUX"}
NOUN_POS = {"NOUN", "PROPN"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "obj"}
DIRECT_OBJECT_DEPS = {"dobj", "obj", "nsubjpass", "attr"}
ACTOR_MODIFIER_DEPS = {"compound", "amod", "poss", "nmod", "appos", "npadvmod"}
PRONOUNS = {"it", "its", "they", "their", "them", "he", "his", "him", "she", "her", "itself", "themselves"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "can", "'d"}
OBLIGATION_AUX = {"must", "should", "ought"}
CONDITIONAL_MARKS = {"if", "unless"}
# Verbs whose object, not subject, performs the infinitive ("urged Israel to withdraw").
OBJECT_CONTROL = {"urge", "ask", "order", "call", "force", "allow", "invite", "persuade", "tell", "help",
                  "press", "pressure", "encourage", "request", "instruct", "compel", "permit", "direct"}
LOCATION_PREPS = {"in", "at", "near", "outside", "inside", "across", "along", "around", "throughout"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
MAX_PAIRS = 8
PLACE_TARGET_ROOTS = {"14", "15", "17", "18", "19", "20"}
PLACE_TARGET_PREPS = {"in", "at", "into", "near", "inside", "outside"}
OBJECT_PREPS = {"with", "to", "against", "toward", "towards", "on", "by"}
# Clauses and phrases that give background to the reported event rather than report one.
BACKGROUND_MARKS = {"after", "before", "since", "as", "while", "because", "when", "until", "although",
                    "though", "once", "whereas", "if", "unless"}
BACKGROUND_PREPS = {"after", "following", "since", "despite", "amid", "during", "before", "until", "over",
                    "because"}
# Edges that start an event of its own; anything else below a trigger is that trigger's content.
INDEPENDENT_DEPS = {"conj", "parataxis", "advcl", "ROOT", "nsubj", "nsubjpass", "csubj"}
COMMUNICATION_NOUNS = {"statement", "declaration", "resolution", "letter", "communique", "message", "note",
                       "motion", "bill", "petition", "appeal", "speech", "address", "editorial", "report",
                       "announcement", "decree", "order", "ultimatum", "memo", "memorandum", "warning"}
SHELTER_NOUNS = {"camp", "shelter", "home", "school", "hospital", "center", "centre", "facility", "settlement",
                 "village", "neighbourhood", "neighborhood", "convoy", "office"}
BORDER_NOUNS = {"border", "frontier", "boundary"}
GOVERNOR_PREPS = {"for", "as", "in", "during", "at", "into", "with"}
QUANTITY_NOUNS = {"deployment", "ton", "tonne", "barrel", "shipment", "consignment", "amount", "package",
                  "kilogram", "day", "week", "month", "hour", "round", "series", "wave", "spate", "string",
                  "ten", "tens", "hundred", "hundreds", "thousand", "thousands", "million", "millions",
                  "dozen", "dozens", "score", "scores", "group", "number", "some", "many", "most", "part",
                  "half", "majority", "batch", "contingent", "delegation", "team", "patch", "unit", "body",
                  "member"}


@dataclass(frozen=True)
class ActorRef:
    code: str
    text: str
    start: int
    end: int
    pronoun: bool = False
    bare: bool = False  # a role or person whose country is unknown ("the rebels", "President X")
    sector: str | None = None
    person: bool = False
    country: str | None = None

    def event_actor(self) -> EventActor:
        return EventActor(code=self.code, text=self.text, start=self.start, end=self.end)


@dataclass
class Trigger:
    token: Token
    entry: Entry
    object_token: Token | None = None
    consumed: set[int] = field(default_factory=set)


@dataclass
class FrameHit:
    frame: Frame
    token: Token  # the frame word ("offered", "willing", "demand")
    modality: str


class DocView:
    """Per-document lookups: token -> actor mention, token -> sentence index."""

    def __init__(self, doc: Doc, analysis: Analysis) -> None:
        self.doc = doc
        self.analysis = analysis
        self.mention_at: dict[int, ActorMention] = {}
        dateline_end = dateline_length(doc.text)
        for mention in analysis.mentions:
            if mention.end <= dateline_end:
                continue  # "KYIV, Feb 24 (Agency) —" says where the story was filed, not who acted
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                current = self.mention_at.get(token.i)
                if current is None or (current.end - current.start) < (mention.end - mention.start):
                    self.mention_at[token.i] = mention
        self.mentions_by_start = sorted(
            (m for m in analysis.mentions if not (m.kind == "role" and not m.country) and m.end > dateline_end),
            key=lambda m: m.start,
        )
        self.sentence_starts = [s.start for s in analysis.sentences]
        self._salient: ActorRef | bool | None = False

    @property
    def salient_state(self) -> ActorRef | None:
        """The state the document is most about (most mentions, first mention as evidence).

        Stands in for the unnamed agent of an author-voiced event ("the offer is welcomed")."""
        if self._salient is False:
            counts: dict[str, int] = {}
            first: dict[str, ActorMention] = {}
            for mention in self.mentions_by_start:
                if mention.country and mention.kind == "state":
                    counts[mention.country] = counts.get(mention.country, 0) + 1
                    first.setdefault(mention.country, mention)
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]].start))
            leader = ranked[0] if ranked else None
            runner_up = ranked[1][1] if len(ranked) > 1 else 0
            self._salient = (self.ref(first[leader[0]]) if leader and leader[1] >= 3 and leader[1] > runner_up
                             else None)
        return self._salient if isinstance(self._salient, ActorRef) else None

    def countries_in(self, sent: Span) -> list[ActorRef]:
        """One reference per distinct country named in the sentence."""
        found: dict[str, ActorRef] = {}
        for token in sent:
            mention = self.mention_at.get(token.i)
            if mention is not None and mention.country and mention.country not in found:
                found[mention.country] = self.ref(mention)
        return list(found.values())

    def sentence_of(self, token: Token) -> int:
        return max(0, bisect_right(self.sentence_starts, token.idx) - 1)

    def ref(self, mention: ActorMention, pronoun: bool = False) -> ActorRef:
        bare = not mention.country and mention.kind in ("role", "person")
        return ActorRef(mention.code, mention.text, mention.start, mention.end, pronoun, bare, mention.sector,
                        mention.kind == "person", mention.country)


# Surface forms of lexicon verbs that the statistical lemmatizer sometimes gets wrong
# ("staged" -> "stag"); filled from the lexicon when a coder is built.
_INFLECTIONS: dict[str, str] = {}
_KNOWN_LEMMAS: set[str] = set()


def inflections(verb: str) -> set[str]:
    forms = {verb, verb + "s", verb + "es", verb + "d", verb + "ed", verb + "ing"}
    if verb.endswith("e"):
        forms |= {verb[:-1] + "ing", verb + "d"}
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ied", verb[:-1] + "ies"}
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


DATELINE = re.compile(r"^\s*[A-Z][A-Z.'/ -]+,[^\n—]{0,60}?[—–]\s|^\s*[A-Z][A-Z.'/ -]+\s[—–-]{1,2}\s")


def dateline_length(text: str) -> int:
    """Characters taken by a news dateline ("NEW DELHI/ISLAMABAD, May 11 (Reuters) — "), else 0."""
    match = DATELINE.match(text[:120])
    return match.end() if match else 0


def lemma(token: Token) -> str:
    value = token.lemma_.lower()
    if value not in _KNOWN_LEMMAS and token.pos_ in VERB_POS:
        return _INFLECTIONS.get(token.lower_, value)
    return value


def children(token: Token, deps: set[str] | str) -> Iterator[Token]:
    wanted = {deps} if isinstance(deps, str) else deps
    return (child for child in token.children if child.dep_ in wanted)


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens co-ordinated with it ("India and Pakistan")."""
    return [token, *(t for t in token.conjuncts if t.i > token.i or t in token.children)]


# Participles that read as adjectives in an agentless passive: "Vietnam is committed to ...".
STATIVE_PARTICIPLES = {"commit", "prepare", "determine", "resolve", "poise", "set", "dedicate", "oblige", "force"}


def is_passive(verb: Token) -> bool:
    if not any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children):
        return False
    return not (verb.lemma_.lower() in STATIVE_PARTICIPLES and not any(c.dep_ == "agent" for c in verb.children))


def prep_objects(token: Token, preps: set[str]) -> list[Token]:
    """Objects of the prepositions ``preps`` attached to ``token`` (through co-ordinated preps too)."""
    out: list[Token] = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent", "dative") and lemma(prep) in preps:
            out.extend(child for child in prep.children if child.dep_ in ("pobj", "pcomp"))
    return out


class EventCoder:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._trigger_hashes: set[int] | None = None
        self._form_hashes: set[int] = set()
        self._objects_cache: dict[tuple[int, str], list[Token]] = {}
        self._dateline_end = 0
        verbs = set(lexicon.verbs) | set(lexicon.frames) | set(lexicon.speech)
        _KNOWN_LEMMAS.update(verbs | set(lexicon.nouns))
        for verb in verbs:
            for form in inflections(verb):
                _INFLECTIONS.setdefault(form, verb)

    def _candidate_indices(self, doc: Doc) -> list[int]:
        """Token positions whose lemma is a trigger, found on the doc's lemma array (no Token objects)."""
        if self._trigger_hashes is None:
            strings = doc.vocab.strings
            words = set(self.lexicon.verbs) | set(self.lexicon.nouns)
            self._trigger_hashes = {strings.add(w) for w in words} | {strings.add(w.capitalize()) for w in words}
            self._form_hashes = {strings.add(form) for form in _INFLECTIONS}
        arrays = doc.to_array([LEMMA, LOWER]).tolist()
        wanted, forms = self._trigger_hashes, self._form_hashes
        return [i for i, (lem, low) in enumerate(arrays) if lem in wanted or low in forms]

    # ------------------------------------------------------------------ triggers
    def triggers(self, doc: Doc) -> list[Trigger]:
        found: dict[int, Trigger] = {}
        self._objects_cache = {}
        for index in self._candidate_indices(doc):
            token = doc[index]
            pos = token.pos_
            if (pos in VERB_POS and token.dep_ != "amod") or (
                pos in NOUN_POS and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
            ):
                kind = "verb"  # "offered to *host* talks" is sometimes tagged as a noun
            elif pos in NOUN_POS:
                kind = "noun"
            else:
                continue
            if self.background(token):
                continue
            best = self._best_entry(token, kind)
            if best is not None:
                found[token.i] = best
        # A noun the verb's entry consumed ("rejected the proposal") is part of that event, not its own,
        # unless the noun's own reading is the more specific one ("launched *air strikes*": 195, not 143).
        for trigger in list(found.values()):
            for i in list(trigger.consumed):
                noun = found.get(i)
                if noun is not None and noun.entry.kind == "noun" and (
                    noun.entry.specificity > trigger.entry.specificity
                    or (noun.entry.modifier and not trigger.entry.modifier)
                ):
                    found.pop(trigger.token.i, None)
        consumed = {i for t in found.values() for i in t.consumed}
        return [t for i, t in sorted(found.items()) if i not in consumed]

    def _best_entry(self, token: Token, kind: str) -> Trigger | None:
        best: tuple[tuple[int, int, int], Trigger] | None = None
        for entry in self.lexicon.candidates(lemma(token), kind):
            matched = self._match(token, entry)
            if matched is None:
                continue
            trigger, head_match, breadth = matched
            rank = (entry.specificity, head_match, -breadth)
            if best is None or rank > best[0]:
                best = (rank, trigger)
        return best[1] if best is not None else None

    def background(self, token: Token) -> bool:
        """Events mentioned in passing: relative clauses, participial modifiers, 'after/if/unless' clauses,
        and anything inside them ("a resolution *that aims to tighten sanctions and impose a blockade*")."""
        frame_words = self.lexicon.frames
        node = token
        for _ in range(7):
            dep = node.dep_
            if dep in ("relcl", "acl") and node.pos_ in VERB_POS and lemma(node.head) in frame_words:
                return False  # "its demand that Israel ease ...": a complement, not a description
            if dep == "relcl":
                return True
            if dep == "acl" and node.head.dep_ == "ROOT" and node.head.pos_ in NOUN_POS and node.i > node.head.i \
                    and not any(t.pos_ in VERB_POS for t in node.sent if t.dep_ == "ROOT"):
                return False  # a sentence parsed without a verb root: its one verb is the main event
            if dep == "acl" and node.pos_ in VERB_POS and not any(
                c.dep_ == "aux" and c.lower_ == "to" for c in node.children
            ):
                # "a statement *condemning* ...", "a declaration *demanding* ...": the text's own message
                return lemma(node.head) not in COMMUNICATION_NOUNS
            if dep == "advcl" and any(c.dep_ == "mark" and lemma(c) in BACKGROUND_MARKS for c in node.children):
                return True
            if dep in ("pobj", "pcomp") and lemma(node.head) in BACKGROUND_PREPS:
                return True
            if dep in ("ROOT", "parataxis") or node.head is node:
                return False
            node = node.head
        return False

    @staticmethod
    def embedded(token: Token, triggers_at: dict[int, Trigger], frame: Token | None) -> Trigger | None:
        """Content of another event ("accused X of *sponsoring*", "demanded X *cancel* plans to *sell*",
        "staged protests *to demand* reform"); the trigger's own frame word does not count.
        Returns the trigger whose content it is."""
        node = token
        for _ in range(8):
            if node.head is node or (node.dep_ in INDEPENDENT_DEPS and not (
                node.dep_ == "advcl" and (
                    any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)  # purpose: "to demand"
                    or (node.tag_ == "VBG" and not any(c.dep_ in ("mark", "nsubj") for c in node.children))
                )  # accompanying participle: "demonstrated, *calling for* independence"
            )):
                return None
            head = node.head
            if head.i in triggers_at and (frame is None or head.i != frame.i):
                return triggers_at[head.i]
            # a light verb whose object is the event: "continued their hunger strike *to demand* ..."
            purpose = node.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            for obj in children(head, OBJECT_DEPS) if purpose else ():
                if obj.i in triggers_at and obj.i != token.i and (frame is None or obj.i != frame.i):
                    return triggers_at[obj.i]
            node = head
        return None

    def _match(self, token: Token, entry: Entry) -> tuple[Trigger, int, int] | None:
        """The trigger if the entry's constraints hold, with how directly the object matched and how
        broad the matched constraint was (a 4-lemma list is more specific than a 12-lemma class)."""
        trigger = Trigger(token, entry)
        head_match, breadth = 0, 0
        if entry.particle:
            if not any(lemma(c) in entry.particle for c in children(token, "prt")):
                return None
            breadth += len(entry.particle)
        if entry.prep:
            if not any(c.dep_ in ("prep", "agent", "dative") and lemma(c) in entry.prep for c in token.children):
                return None
            breadth += len(entry.prep)
        if entry.xcomp:
            comps = [c for c in token.children if c.dep_ in ("xcomp", "acl", "ccomp") and lemma(c) in entry.xcomp]
            if not comps:
                return None
            trigger.consumed.add(comps[0].i)
            breadth += len(entry.xcomp)
        if entry.subject:
            # "peacekeepers arrived": who acts decides what the act is
            subject = self.subject_of(token) if entry.kind == "verb" else None
            chain: list[Token] = []  # "thousands of students", "the first deployment of troops": each noun may decide
            while subject is not None and len(chain) < 3:
                chain.append(subject)
                subject = next(iter(prep_objects(subject, {"of"})), None) if lemma(subject) in QUANTITY_NOUNS else None
            if not any(lemma(s) in entry.subject or any(
                    c.dep_ in ("compound", "amod") and lemma(c) in entry.subject for c in s.children) for s in chain):
                return None
            breadth += len(entry.subject)
        objects = self._object_tokens(token, entry.kind)
        if entry.object:
            hit = next((o for o in objects if lemma(o) in entry.object), None)
            if hit is not None:
                head_match = 1
            else:
                # "aid deliveries", "a peacekeeping force": the compound carries the meaning
                hit = next((o for o in objects for c in o.children
                            if c.dep_ in ("compound", "amod") and lemma(c) in entry.object), None)
            if hit is None:
                return None
            trigger.object_token = hit
            trigger.consumed.add(hit.i)
            breadth += len(entry.object)
        elif entry.kind == "verb" and (direct := [o for o in objects if o.dep_ in DIRECT_OBJECT_DEPS]):
            trigger.object_token = direct[0]
            # a nominal trigger as direct object is the same event seen twice ("launched an attack"),
            # unless the verb frames it ("demanded the release": the release is the event, recoded)
            if lemma(token) not in self.lexicon.frames:
                trigger.consumed.add(direct[0].i)
        if entry.modifier:
            holder = token if entry.kind == "noun" else trigger.object_token
            if holder is None or not any(
                c.dep_ in ("compound", "amod", "nmod", "npadvmod") and lemma(c) in entry.modifier
                for c in holder.children
            ):
                return None
            breadth += len(entry.modifier)
        return trigger, head_match, breadth

    def _object_tokens(self, token: Token, kind: str) -> list[Token]:
        key = (token.i, kind)
        cached = self._objects_cache.get(key)
        if cached is None:
            cached = self._objects_cache[key] = self._find_object_tokens(token, kind)
        return cached

    def _find_object_tokens(self, token: Token, kind: str) -> list[Token]:
        if kind == "verb":
            deps = {"nsubjpass"} if is_passive(token) else OBJECT_DEPS
            objects = [c for c in token.children if c.dep_ in deps or c.dep_ == "attr"]
            # "accused X of sponsoring terrorism": the of-complement carries what was done
            for pobj in prep_objects(token, {"of", "for", "with", "on", "over", "against", "to", "in"}):
                objects.append(pobj)
                objects.extend(c for c in pobj.children if c.dep_ in OBJECT_DEPS)
            # "25,000 tons of food aid", "part of a military aid programme"
            objects += [p for obj in list(objects) for p in prep_objects(obj, {"of", "in"})]
            return [o for obj in objects for o in conjuncts(obj)]
        objects = prep_objects(token, {"of", "on", "for", "against", "to"})
        objects += [c for c in token.children if c.dep_ in ("compound", "amod")]
        return objects

    # ------------------------------------------------------------------ frames and modality
    def frame_of(self, token: Token, triggers_at: dict[int, Trigger]) -> FrameHit | None:
        """The frame word wrapping this trigger, if any ("offered to mediate", "demanded the release")."""
        node = token
        # climb from a noun to a light verb that governs it ("promised to continue military aid")
        if node.pos_ in NOUN_POS and node.dep_ in ("dobj", "attr", "nsubjpass") and node.head.i not in triggers_at:
            if lemma(node.head) in self.lexicon.frames:
                return self._hit(node.head)
            node = node.head
        if node.dep_ in ("xcomp", "ccomp", "acl", "relcl", "advcl", "dobj") and node.head is not node:
            head = node.head
            if node.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
                return None
            if node.dep_ == "ccomp":
                return self._clause_frame(node, head)
            if lemma(head) in self.lexicon.frames:
                return self._hit(head)
        return None

    def _clause_frame(self, clause: Token, head: Token) -> FrameHit | None:
        """'demanded that Iran *halt*' (subjunctive) and 'said that Iran *must halt*' are demands;
        'warned that it *will* strike' is a threat; plain reported clauses are not framed."""
        frame = self.lexicon.frames.get(lemma(head))
        obligation = any(c.dep_ == "aux" and lemma(c) in OBLIGATION_AUX for c in clause.children)
        if frame is not None and frame.target_from == "wrapped_subject":
            return self._hit(head) if clause.tag_ == "VB" or obligation else None
        if frame is not None:
            return self._hit(head)
        if clause.tag_ == "VB":
            # "reiterated its demand (that) Israel ease ...": the subjunctive belongs to the demand noun
            for noun in children(head, OBJECT_DEPS):
                noun_frame = self.lexicon.frames.get(lemma(noun))
                if noun_frame is not None and noun_frame.target_from == "wrapped_subject":
                    return self._hit(noun)
        demand = self.lexicon.frame_by_id.get("demand")
        if obligation and demand is not None and lemma(head) in self.lexicon.speech:
            return FrameHit(demand, head, "obligation")
        return None

    def _hit(self, token: Token) -> FrameHit:
        frame = self.lexicon.frames[lemma(token)]
        return FrameHit(frame, token, frame.modality_by_lemma.get(lemma(token), frame.modality))

    @staticmethod
    def aux_modality(verb: Token) -> str | None:
        auxes = {lemma(c) for c in verb.children if c.dep_ in ("aux", "auxpass")}
        auxes |= {c.lower_ for c in verb.children if c.dep_ == "aux"}
        if auxes & FUTURE_AUX:
            return "future"
        if any(c.lower_ == "going" for c in verb.children if c.dep_ == "aux"):
            return "future"
        if auxes & HYPOTHETICAL_AUX:
            return "hypothetical"
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and lemma(m) in CONDITIONAL_MARKS for m in c.children)
               for c in verb.children):
            return "hypothetical"
        return None

    @staticmethod
    def negated(token: Token) -> bool:
        if any(c.dep_ == "neg" for c in token.children):
            return True
        return token.pos_ in NOUN_POS and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)

    # ------------------------------------------------------------------ actors
    def subject_of(self, verb: Token, depth: int = 0) -> Token | None:
        if depth > 4:
            return None
        if is_passive(verb):
            agents = prep_objects(verb, {"by"})
            return agents[0] if agents else None
        # "MOSCOW, June 3 (Wire) — Finland praised ...": the dateline city is parsed as a second subject
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj", "expl", "nsubjpass")
                    and c.idx >= self._dateline_end]
        if subjects:
            child = subjects[0]
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
        head = verb.head
        if head is verb:
            return None
        if verb.dep_ == "xcomp":
            if lemma(head) in OBJECT_CONTROL:
                obj = next(children(head, OBJECT_DEPS), None)
                if obj is not None:
                    return obj
            return self.subject_of(head, depth + 1) if head.pos_ in VERB_POS | {"ADJ"} else None
        if verb.dep_ in ("conj", "advcl") and head.pos_ in VERB_POS:
            return self.subject_of(head, depth + 1)
        if verb.dep_ in ("relcl", "acl") and head.pos_ in NOUN_POS | {"PRON"}:
            if verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
                return None  # "offer to mediate": the offerer comes from the noun (poss), handled by frames
            return head
        return None

    def actors_of(self, token: Token | None, view: DocView, depth: int = 0, pronouns: bool = True) -> list[ActorRef]:
        """Actors named by the phrase headed by ``token`` (and its conjuncts)."""
        if token is None or depth > 2:
            return []
        found: list[ActorRef] = []
        for item in conjuncts(token):
            found.extend(self._phrase_actors(item, view, depth, pronouns))
        unique: dict[tuple[int, int], ActorRef] = {}
        for ref in found:
            unique.setdefault((ref.start, ref.end), ref)
        return list(unique.values())

    def _phrase_actors(self, token: Token, view: DocView, depth: int, pronouns: bool) -> list[ActorRef]:
        mention = view.mention_at.get(token.i)
        if mention is not None and not mention.country and mention.kind in ("role", "person"):
            # "the Ivory Coast's rebels", "officials in Ankara": a modifier may name the country
            nearby = [r for c in token.children if c.dep_ in ACTOR_MODIFIER_DEPS
                      for r in self.actors_of(c, view, depth + 1, pronouns)]
            if not any(r.country for r in nearby) and depth < 2:
                nearby += [r for p in prep_objects(token, {"of", "from", "in"})
                           for r in self.actors_of(p, view, depth + 1)]
            if not any(r.country for r in nearby):
                # "refugees fleeing the war in Liberia", "workers affiliated with the Serbian union"
                nearby += [view.ref(m) for c in token.children if c.dep_ == "acl"
                           for t in c.subtree if (m := view.mention_at.get(t.i)) is not None and m.country][:1]
            composed = _with_country(view.ref(mention), nearby)
            return composed or [view.ref(mention)]
        if mention is not None:
            if mention.kind == "role" and mention.sector:
                shared = self._shared_role(token, mention, view)
                if shared:
                    return shared
            return [view.ref(mention)]
        if token.lower_ in PRONOUNS and token.pos_ == "PRON":
            if not pronouns:
                return []
            return self.resolve_pronoun(token, view)
        found: list[ActorRef] = []
        if lemma(token) in QUANTITY_NOUNS:
            # "thousands of Iraqi Kurds", "a group of Yoruba leaders": look through the quantity
            for pobj in prep_objects(token, {"of"}):
                found.extend(self.actors_of(pobj, view, depth, pronouns))
            if found:
                return found
        for child in token.children:
            if child.dep_ in ACTOR_MODIFIER_DEPS:
                found.extend(self.actors_of(child, view, depth + 1, pronouns))
        if not found or all(r.bare for r in found):
            # "rebels in the Ivory Coast" names the rebels' country; "talks in Cairo" names a venue
            owners = {"of", "from"} if lemma(token) in self.lexicon.nouns else {"of", "from", "in"}
            if lemma(token) in SHELTER_NOUNS:
                owners = owners | {"for"}  # "a camp for Congolese refugees"
            if lemma(token) in BORDER_NOUNS:
                owners = owners | {"with"}  # "the border with India"
            places: list[ActorRef] = []
            for pobj in prep_objects(token, owners):
                places.extend(self.actors_of(pobj, view, depth + 1, pronouns))
            if found and places:
                # "opposition groups in Zimbabwe": the bare sector takes the place's country
                return [c for bare in found for c in _with_country(bare, places)] or found
            found = found or places
        return found

    def _shared_role(self, token: Token, mention: ActorMention, view: DocView) -> list[ActorRef]:
        """'Turkish and Greek ministers': one role noun shared by co-ordinated nationality adjectives."""
        countries: list[tuple[Token, ActorMention]] = []
        for child in token.children:
            if child.dep_ in ("amod", "compound") and child.conjuncts:
                for item in conjuncts(child):
                    found = view.mention_at.get(item.i)
                    if found is not None and found.country:
                        countries.append((item, found))
        if len({m.country for _, m in countries}) < 2:
            return []
        return [ActorRef(f"{m.country}{mention.sector}", m.text, m.start, m.end, sector=mention.sector,
                         country=m.country) for _, m in countries]

    def resolve_pronoun(self, token: Token, view: DocView) -> list[ActorRef]:
        """A light, explainable pronoun rule: the nearest governing clause subject, else the last actor."""
        plural = token.lower_ in {"they", "their", "them", "themselves"}
        personal = token.lower_ in {"he", "his", "him", "she", "her"}

        def as_pronoun(refs: list[ActorRef]) -> list[ActorRef]:
            refs = refs if plural else refs[:1]
            return [ActorRef(r.code, token.text, token.idx, token.idx + len(token.text), pronoun=True,
                             sector=r.sector, person=r.person, country=r.country) for r in refs]

        for ancestor in token.ancestors:
            if ancestor.pos_ not in VERB_POS:
                continue
            subject = next((c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None or subject.lower_ in PRONOUNS or token in subject.subtree:
                continue
            if subject.i > token.i and token.dep_ != "poss":
                continue
            refs = [r for r in self.actors_of(subject, view, pronouns=False) if not r.bare]
            if refs:
                return as_pronoun(refs)
        before = [m for m in view.mentions_by_start if m.end <= token.idx and (m.kind == "person") == personal]
        return as_pronoun([view.ref(before[-1])]) if before else []

    def role_tokens(self, trigger: Trigger, role: str) -> list[Token]:
        token, kind = trigger.token, trigger.entry.kind
        governor = self.governor_of(token) if kind == "noun" else None
        if role == "subject":
            subject = self.subject_of(token) if kind == "verb" else None
            return [subject] if subject is not None else []
        if role in ("object", "object-owner"):
            if kind == "noun":
                return prep_objects(token, {"of"})
            objs = [c for c in token.children if c.dep_ in ({"nsubjpass"} if is_passive(token) else OBJECT_DEPS)]
            if not objs and trigger.object_token is not None:
                objs = [trigger.object_token]
            return objs
        if role == "dative":
            datives = [c for c in token.children if c.dep_ in ("dative", "iobj") and c.pos_ != "ADP"]
            return datives + prep_objects(token, {"to"})
        if role == "poss":
            return list(children(token, "poss"))
        if role == "clause-subject":
            found = []
            for clause in children(token, {"ccomp", "xcomp"}):
                subject = self.subject_of(clause)
                if subject is not None and subject is not token:
                    found.append(subject)
            return found
        if role == "modifier":
            return [c for c in token.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod")]
        if role == "governor":
            if governor is None:
                return []
            subject = self.subject_of(governor)
            return [subject] if subject is not None else []
        if role == "governor-object":
            if governor is None:
                return []
            return list(children(governor, OBJECT_DEPS))
        if role == "object-prep":
            # "boycott all contact *with the United States*": the party is attached to the object
            obj = trigger.object_token
            # "reneged on [his commitment] *to the Zambian people*"
            nested = [p for pobj in prep_objects(token, OBJECT_PREPS) for p in prep_objects(pobj, OBJECT_PREPS)]
            if obj is None or obj is token:
                return nested
            participles = [c for c in obj.children if c.dep_ == "acl" and c.pos_ == "VERB"]
            return (prep_objects(obj, OBJECT_PREPS) + [p for c in participles for p in prep_objects(c, {"in", "on"})]
                    + nested)
        if role.startswith("prep:"):
            preps = {role[5:]}
            found = prep_objects(token, preps)
            # "mobilized reservists for a war *against Iraq*"
            found += [p for purpose in prep_objects(token, {"for"}) for p in prep_objects(purpose, preps)]
            if trigger.object_token is not None and trigger.object_token is not token:
                for obj in conjuncts(trigger.object_token):
                    found += prep_objects(obj, preps)
            if governor is not None:
                found += prep_objects(governor, preps)
            return found
        return []

    @staticmethod
    def governor_of(noun: Token) -> Token | None:
        """The verb a nominal event hangs from: "held *talks*", "launched 10 days of war *games*",
        "returned to Geneva for *talks*", "holding civilians as human *shields*"."""
        node = noun
        for _ in range(3):
            head = node.head
            if node.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ in VERB_POS:
                return head
            if node.dep_ != "pobj" or head.head is head:
                return None
            above = head.head
            if lemma(head) == "of" and above.pos_ in NOUN_POS and lemma(above) in QUANTITY_NOUNS:
                node = above
                continue
            if above.pos_ in VERB_POS and lemma(head) in GOVERNOR_PREPS:
                return above
            return None
        return None

    def actors_for(self, trigger: Trigger, roles: Iterable[str], view: DocView,
                   exclude: Iterable[ActorRef] = (), fallback: bool = False) -> list[ActorRef]:
        """Actors of the first role that names any; a pronoun pointing back at ``exclude`` (the
        source) does not count ("Morocco held *its* meeting with Obama" -> look further, at "with")."""
        excluded = {ref.code for ref in exclude}
        unplaced: list[ActorRef] = []  # "humanitarian workers": kept only if no role names a country
        for role in (*roles, "object-prep") if fallback else tuple(roles):
            refs: list[ActorRef] = []
            for token in self.role_tokens(trigger, role):
                refs.extend(ref for ref in self.actors_of(token, view)
                            if not (ref.pronoun and ref.code in excluded))
            if refs and not all(r.bare for r in refs):
                return refs
            unplaced = unplaced or refs
        return unplaced

    def modifier_actors(self, token: Token, view: DocView) -> list[ActorRef]:
        """All actors in a compound chain ("the Pakistan–India military standoff") for symmetric nouns."""
        refs: list[ActorRef] = []
        for child in token.children:
            between = child.dep_ == "prep" and lemma(child) == "between"
            if child.dep_ in ("compound", "amod", "nmod", "poss") or between:
                targets = [child] if child.dep_ != "prep" else list(children(child, "pobj"))
                for item in targets:
                    refs.extend(self.actors_of(item, view))
                    for grandchild in item.subtree:
                        mention = view.mention_at.get(grandchild.i)
                        if mention is not None:
                            refs.append(view.ref(mention))
        if token.dep_ == "appos" and (mention := view.mention_at.get(token.head.i)) is not None:
            refs.append(view.ref(mention))  # "the China–Pakistan Economic Corridor" parsed as China, Corridor
        unique: dict[tuple[int, int], ActorRef] = {}
        for ref in refs:
            unique.setdefault((ref.start, ref.end), ref)
        return list(unique.values())

    # ------------------------------------------------------------------ attribution, date, place
    def attribution(self, token: Token, view: DocView) -> ActorRef | None:
        node = token
        for _ in range(6):
            head = node.head
            if head is node:
                break
            if node.dep_ in ("ccomp", "parataxis", "xcomp") and lemma(head) in self.lexicon.speech:
                speaker = self.subject_of(head)
                refs = self.actors_of(speaker, view) if speaker is not None else []
                if refs:
                    return refs[0]
            node = head
        root = token.sent.root
        for pobj in prep_objects(root, {"accord"}) + [
            p for prep in root.children if prep.dep_ == "prep" and prep.lower_ == "according"
            for to in prep.children for p in to.children if p.dep_ == "pobj"
        ]:
            refs = self.actors_of(pobj, view)
            if refs:
                return refs[0]
        return None

    @staticmethod
    def location(tokens: Iterable[Token]) -> TextSpan | None:
        for token in tokens:
            for pobj in prep_objects(token, LOCATION_PREPS):
                for item in [pobj, *pobj.children]:
                    if item.ent_type_ in PLACE_ENTS:
                        ent = next((e for e in item.doc.ents if e.start <= item.i < e.end), None)
                        if ent is not None:
                            return TextSpan(text=ent.text, start=ent.start_char, end=ent.end_char)
        return None

    @staticmethod
    def date_ents(tokens: Iterable[Token], sent: Span) -> list[Span]:
        anchor = {t.i for t in tokens}
        out = []
        for ent in sent.ents:
            if ent.label_ != "DATE":
                continue
            node = ent.root
            for _ in range(4):
                if node.head.i in anchor:
                    out.append(ent)
                    break
                if node.head is node:
                    break
                node = node.head
        return out

    # ------------------------------------------------------------------ coding
    def code(self, doc: Doc, analysis: Analysis) -> list[Event]:
        view = DocView(doc, analysis)
        self._dateline_end = dateline_length(doc.text)
        triggers = self.triggers(doc)
        triggers_at = {t.token.i: t for t in triggers}
        frames = {t.token.i: self.frame_of(t.token, triggers_at) for t in triggers}
        content: dict[int, list[Trigger]] = {}
        independent = []
        for trigger in triggers:
            frame = frames.get(trigger.token.i)
            host = self.embedded(trigger.token, triggers_at, frame.token if frame is not None else None)
            if host is None:
                independent.append(trigger)
            else:
                content.setdefault(host.token.i, []).append(trigger)
        triggers = independent
        # a frame word that wraps a coded event is not an event of its own ("offered" in "offered to mediate")
        framing = {hit.token.i for hit in frames.values() if hit is not None}
        published = analysis.document.published
        events: list[Event] = []
        for trigger in triggers:
            if trigger.token.i in framing and trigger.entry.code[:2] in ("01", "02", "03", "10", "12", "13"):
                continue
            events.extend(self._events(trigger, frames.get(trigger.token.i), view, published,
                                       content.get(trigger.token.i, [])))
        events.extend(self._obligation_events(doc, view, triggers_at, published))
        return _dedupe(events)

    def _events(self, trigger: Trigger, hit: FrameHit | None, view: DocView,
                published: dt.date | None, content: list[Trigger]) -> list[Event]:
        entry, token = trigger.entry, trigger.token
        code = entry.code
        rule = entry.id
        modality: str | None = None
        confidence = entry.confidence
        governor = self.governor_of(token) if entry.kind == "noun" else None
        clause = token if entry.kind == "verb" else (governor if governor is not None else token)
        negated = self.negated(token) or (clause is not token and self.negated(clause) and token.dep_ == "dobj")
        sources = self.actors_for(trigger, entry.source, view) if entry.source else []
        targets = self.actors_for(trigger, entry.target, view, exclude=sources, fallback=True)
        if hit is not None:
            recoded = hit.frame.recode_code(code)
            if recoded is None:
                return []
            code, rule, modality = recoded, f"{hit.frame.id}+{entry.id}", hit.modality
            confidence -= 0.05
            negated = negated or self.negated(hit.token)
            frame_subject = self.subject_of(hit.token) if hit.token.pos_ in VERB_POS else None
            if hit.token.pos_ in NOUN_POS:
                frame_sources = self.actors_of(next(children(hit.token, "poss"), None), view) or \
                    [r for c in children(hit.token, {"compound", "amod"}) for r in self.actors_of(c, view)]
            elif hit.token.pos_ == "ADJ":
                frame_sources = self.actors_of(self.subject_of(hit.token.head), view) \
                    if hit.token.head.pos_ in VERB_POS else []
            else:
                frame_sources = self.actors_of(frame_subject, view)
                if not frame_sources and hit.token.dep_ == "acl" and hit.token.head.dep_ in OBJECT_DEPS:
                    # "the PKK issued a declaration demanding that ...": the issuer demands
                    frame_sources = self.actors_of(self.subject_of(hit.token.head.head), view)
            if hit.frame.target_from == "wrapped_subject":
                wrapped_subject = self.subject_of(token) if entry.kind == "verb" else None
                wrapped = self.actors_of(wrapped_subject, view)
                if not wrapped and hit.token.pos_ in VERB_POS:
                    wrapped = self.actors_of(next(children(hit.token, OBJECT_DEPS), None), view)
                sources = frame_sources
                if wrapped:
                    targets = wrapped
            elif not sources:
                sources = frame_sources
        else:
            aux = self.aux_modality(clause) if clause.pos_ in VERB_POS else None
            if aux is not None:
                modality = aux
                intent = self.lexicon.frame_by_id.get("intent")
                if intent is not None:
                    recoded = intent.recode_code(code)
                    if recoded is None:
                        return []
                    if recoded != code:
                        code, rule = recoded, f"{aux}+{entry.id}"
                if aux == "hypothetical":
                    confidence -= 0.1
        if negated and modality is not None and code[:2] in ("03", "04", "05", "06", "07", "08"):
            refusal = self.lexicon.frame_by_id.get("refusal")
            recoded = refusal.recode_code(entry.code) if refusal is not None else None
            if recoded is not None:
                code, rule, negated, modality = recoded, f"negated-intent+{entry.id}", False, "refusal"
        if not sources and targets and self._author_voiced(trigger) and cameo(code).quad_class in (1, 3):
            implied = view.salient_state
            if implied is not None and all(implied.code[:3] != t.code[:3] for t in targets):
                sources = [ActorRef(implied.code[:3], implied.text, implied.start, implied.end,
                                    country=implied.country)]
                rule += "+implied-source"
                confidence -= 0.25
        if not targets:
            targets = self._fallback_targets(trigger, code, content, view, sources)
        targets = [t for t in targets if all((t.start, t.end) != (s.start, s.end) for s in sources)]
        # "Pakistan urged its citizens": a pronoun pointing back at the source is not a second party,
        # and an act aimed only at oneself is not an interaction to code
        if targets and all(t.pronoun and any(t.code == s.code for s in sources) for t in targets):
            return []
        symmetric = entry.symmetric or (hit is not None and hit.modality == "agreed")
        parties = self.modifier_actors(token, view) if symmetric and entry.kind == "noun" else []
        if entry.joint_code and len({r.country for r in [*sources, *parties] if r.country}) >= 2 and code == entry.code:
            code, rule = entry.joint_code, f"{rule}+joint"  # "French and Egyptian warships held drills"
        pairs = _pairs(sources, targets, symmetric, parties)
        if code[:2] == "14" and pairs and all(t is None for _, t in pairs):
            pairs = [(s, _implied_government(s, token)) for s, _ in pairs]
        elif code.startswith(DOMESTIC_TARGET_CODES) and pairs and all(t is None for _, t in pairs):
            pairs = [(s, _own_country(s, token)) for s, _ in pairs]
        pairs = _resolve_bare(pairs, code if code[:2] != "03" else entry.code, view.countries_in(token.sent))
        if not pairs:
            return []
        attributed = self.attribution(hit.token if hit is not None else token, view)
        sentence = view.sentence_of(token)
        anchor_tokens = [token, clause] + ([hit.token] if hit is not None else [])
        if trigger.object_token is not None:
            anchor_tokens.append(trigger.object_token)
        date = self._date(anchor_tokens, token.sent, published)
        place = self.location(anchor_tokens)
        info = cameo(code)
        trigger_span = TextSpan(text=token.text, start=token.idx, end=token.idx + len(token.text))
        events = []
        for source, target in pairs[:MAX_PAIRS]:
            score = confidence - (0.1 if source is None or target is None else 0.0)
            score -= 0.1 if any(r is not None and r.pronoun for r in (source, target)) else 0.0
            events.append(Event(
                sentence=sentence,
                source=source.event_actor() if source else None,
                target=target.event_actor() if target else None,
                cameo=Cameo(code=info.code, root=info.root, name=info.name),
                goldstein=info.goldstein,
                quad_class=info.quad_class,
                plover=Plover(type=info.plover_type, mode=info.plover_mode, context=info.plover_context),
                negated=negated,
                modality=modality,
                attributed_to=attributed.event_actor() if attributed else None,
                date=date,
                location=place,
                trigger=trigger_span,
                rule=rule,
                confidence=round(max(0.05, min(1.0, score)), 2),
            ))
        return events

    def _fallback_targets(self, trigger: Trigger, code: str, content: list[Trigger], view: DocView,
                          sources: list[ActorRef]) -> list[ActorRef]:
        """When the trigger's own dependents name no target: the target of its purpose clause
        ("staged protests to demand reforms *by Suharto's government*"), else, for protest and
        force, the actor where it happened ("rioted at a jail *in northern Israel*")."""
        for inner in content:
            found = self.actors_for(inner, inner.entry.target, view, exclude=sources, fallback=True)
            found = [f for f in found if all(f.code != s.code for s in sources)]
            if found:
                return found
        if code[:2] == "13":
            # "threatened to stop talks *if the United States* goes ahead": the condition names the target
            for anchor in (trigger.token, trigger.token.head):
                for clause in children(anchor, "advcl"):
                    if any(m.dep_ == "mark" and lemma(m) in CONDITIONAL_MARKS for m in clause.children):
                        subject = self.subject_of(clause)
                        found = [f for f in self.actors_of(subject, view) if all(f.code != s.code for s in sources)]
                        if found:
                            return found
        if code[:2] not in PLACE_TARGET_ROOTS:
            return []
        anchors = [trigger.token] + ([trigger.object_token] if trigger.object_token is not None else [])
        for anchor in anchors:
            for pobj in prep_objects(anchor, PLACE_TARGET_PREPS):
                found = self.actors_of(pobj, view)
                for nested in prep_objects(pobj, PLACE_TARGET_PREPS):
                    found += self.actors_of(nested, view)
                found = [f for f in found if all(f.code[:3] != s.code[:3] for s in sources)]
                if found:
                    return found
        return []

    @staticmethod
    def _author_voiced(trigger: Trigger) -> bool:
        """An agentless passive ("the offer is welcomed") or an accusation-noun with no accuser."""
        token, entry = trigger.token, trigger.entry
        if entry.kind == "noun":
            return not entry.source
        return is_passive(token) and not prep_objects(token, {"by"})

    def _obligation_events(self, doc: Doc, view: DocView, triggers_at: dict[int, Trigger],
                           published: dt.date | None) -> list[Event]:
        """'X said Y must/should do Z' demands that Y act, even when Z is not in the lexicon."""
        events = []
        for token in doc:
            if token.dep_ != "ccomp" or lemma(token.head) not in self.lexicon.speech or token.i in triggers_at:
                continue
            if not any(c.dep_ == "aux" and lemma(c) in OBLIGATION_AUX for c in token.children):
                continue
            if any(self.frame_of(t.token, triggers_at) for t in triggers_at.values() if t.token.head.i == token.i):
                continue
            speaker = self.actors_of(self.subject_of(token.head), view)
            addressee = self.actors_of(self.subject_of(token), view)
            if not speaker or not addressee or {a.code for a in addressee} <= {s.code for s in speaker}:
                continue
            info = cameo("100")
            for source in speaker[:1]:
                for target in addressee[:MAX_PAIRS]:
                    events.append(Event(
                        sentence=view.sentence_of(token), source=source.event_actor(), target=target.event_actor(),
                        cameo=Cameo(code=info.code, root=info.root, name=info.name), goldstein=info.goldstein,
                        quad_class=info.quad_class,
                        plover=Plover(type=info.plover_type, mode=info.plover_mode, context=info.plover_context),
                        negated=self.negated(token), modality="obligation", attributed_to=source.event_actor(),
                        date=self._date([token, token.head], token.sent, published),
                        location=self.location([token]),
                        trigger=TextSpan(text=token.text, start=token.idx, end=token.idx + len(token.text)),
                        rule="speech-obligation", confidence=0.6,
                    ))
        return events

    def _date(self, tokens: list[Token], sent: Span, published: dt.date | None) -> str | None:
        for ent in self.date_ents(tokens, sent):
            resolved = resolve_date(ent.text, published)
            if resolved:
                return resolved
        return published.isoformat() if published else None


def _pairs(sources: list[ActorRef], targets: list[ActorRef], symmetric: bool,
           modifiers: list[ActorRef]) -> list[tuple[ActorRef | None, ActorRef | None]]:
    if symmetric and not targets:
        group = sources or modifiers
        if len(group) == 1 and len(modifiers) > 1:
            group = list({(r.start, r.end): r for r in [*group, *modifiers]}.values())
        if len(group) >= 2:
            return [(a, b) for a in group for b in group if a is not b and a.code != b.code]
        return [(group[0], None)] if group else []
    if not sources:
        return [(None, t) for t in targets]
    if not targets:
        return [(s, None) for s in sources]
    return [(s, t) for s in sources for t in targets if s.code != t.code or s.start != t.start]


DOMESTIC_SECTORS = {"REB", "INS", "OPP", "PTY", "CVL", "LAB", "EDU", "REF", "JUD", "LEG", "COP", "MED", "ELI",
                    "BUS", "AGR", "REL", "CRM", "HRI", "HLH"}
DOMESTIC_CODES = ("08", "132", "137", "14", "17")
DOMESTIC_TARGET_CODES = ("081", "082", "083", "132", "137", "172", "173", "175")


def _with_country(bare: ActorRef, candidates: list[ActorRef]) -> list[ActorRef]:
    """A sector-only actor ("officials", "rebels") located by a country named beside it."""
    if not bare.sector:
        return []
    countries = list(dict.fromkeys(r.country for r in candidates if r.country))
    return [ActorRef(f"{country}{bare.sector}", bare.text, bare.start, bare.end, bare.pronoun, False, bare.sector,
                     bare.person, country) for country in countries]


def _own_country(source: ActorRef | None, trigger: Token) -> ActorRef | None:
    """Curfews, bans, arrests and eased restrictions with no named target fall on the actor's own
    country (an implied actor: empty span at the trigger)."""
    if source is None or not source.country:
        return None
    return ActorRef(source.country, "", trigger.idx, trigger.idx, country=source.country)


def _implied_government(source: ActorRef | None, trigger: Token) -> ActorRef | None:
    """A domestic protest with no named target is aimed at the protesters' own government.
    The implied actor has an empty span at the trigger: nothing in the text names it."""
    if source is None or not source.country or source.code[3:6] == "GOV":
        return None
    return ActorRef(f"{source.country}GOV", "", trigger.idx, trigger.idx, country=source.country)


def _resolve_bare(pairs: list[tuple[ActorRef | None, ActorRef | None]], code: str,
                  sentence_countries: list[ActorRef]) -> list[tuple[ActorRef | None, ActorRef | None]]:
    """An actor whose country is unknown ("President X", "the rebels") takes the country of the other
    party when the event is domestic in kind (a curfew, a ban, a concession, a protest) or the other
    party is a domestic actor (rebels, opposition, judges). A domestic event with no other party takes
    the one country the sentence names ("President X eased restrictions ... in Sudan"), which then is
    also its target. Otherwise a bare person keeps its sector code and a bare role is dropped."""
    domestic_event = code.startswith(DOMESTIC_CODES)
    out = []
    for source, target in pairs:
        if source is not None and source.bare and target is None and domestic_event \
                and len(sentence_countries) == 1:
            place = sentence_countries[0]
            target = ActorRef(place.country or place.code, "", source.start, source.start, country=place.country)
        ends = [source, target]
        for i, ref in enumerate(ends):
            other = ends[1 - i]
            if ref is None or not ref.bare:
                continue
            domestic = domestic_event or (other is not None and (
                other.code[3:6] in DOMESTIC_SECTORS or (ref.sector in DOMESTIC_SECTORS and other.code[3:6] == "GOV")))
            if other is not None and other.country and domestic:
                ends[i] = ActorRef(f"{other.country}{ref.sector or ''}", ref.text, ref.start, ref.end, ref.pronoun,
                                   country=other.country)
            elif not ref.person:
                ends[i] = None  # "the rebels" with no country named anywhere near: not an actor we can code
        if ends[0] is not None or ends[1] is not None:
            out.append((ends[0], ends[1]))
    return out


def _dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for event in events:
        key = (event.sentence, event.cameo.code, event.source.code if event.source else None,
               event.target.code if event.target else None, event.trigger.start)
        if key in seen:
            continue
        seen.add(key)
        out.append(event)
    return out


MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), start=1) for name in names}
WEEKDAYS = {name: number for number, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
DAY_OFFSETS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
LEAD = r"^(?:(?:in|on|since|during|until|by|from|early|late|mid|this|last|next|the)[\s-]+)*"
MONTH_RE = re.compile(LEAD + r"([a-z]+)\.?(?:,?\s+(\d{4}))?$", re.IGNORECASE)
MONTH_DAY_RE = re.compile(LEAD + r"(?:([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
                          r"|(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?)"
                          r"(?:,?\s+(\d{4}))?$", re.IGNORECASE)
WORD_RE = re.compile(r"[a-z]+", re.IGNORECASE)
ISO_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _infer_year(month: int, published: dt.date) -> int:
    """A month named without a year is the latest such month not after publication."""
    return published.year if month <= published.month else published.year - 1


@functools.lru_cache(maxsize=4096)
def resolve_date(text: str, published: dt.date | None) -> str | None:
    """ISO date (or YYYY-MM when only the month is known) for a DATE expression, relative to publication.

    Common news forms ("on Wednesday", "in May", "May 5", "last month", "yesterday") are resolved
    directly; anything else with a year or "ago" goes to dateparser. Durations and decades give None."""
    text = " ".join(text.strip().split())
    words = [w.lower() for w in WORD_RE.findall(text)]
    if published is not None:
        for word in words:
            if word in DAY_OFFSETS and len(words) <= 2:
                return (published + dt.timedelta(days=DAY_OFFSETS[word])).isoformat()
            if word in WEEKDAYS and len(words) <= 3:
                back = (published.weekday() - WEEKDAYS[word]) % 7
                if "next" in words:
                    return (published + dt.timedelta(days=(WEEKDAYS[word] - published.weekday()) % 7 or 7)).isoformat()
                return (published - dt.timedelta(days=back)).isoformat()
        if words[-2:] in (["last", "month"], ["this", "month"], ["next", "month"]):
            shift = {"last": -1, "this": 0, "next": 1}[words[-2]]
            month_index = published.year * 12 + published.month - 1 + shift
            return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    match = MONTH_RE.match(text)
    if match and match.group(1).lower() in MONTHS:
        month = MONTHS[match.group(1).lower()]
        if match.group(2):
            return f"{match.group(2)}-{month:02d}"
        return f"{_infer_year(month, published):04d}-{month:02d}" if published else None
    match = MONTH_DAY_RE.match(text)
    if match:
        name = (match.group(1) or match.group(4) or "").lower()
        day = int(match.group(2) or match.group(3))
        if name in MONTHS:
            month = MONTHS[name]
            year = int(match.group(5)) if match.group(5) else (_infer_year(month, published) if published else None)
            if year is not None:
                try:
                    return dt.date(year, month, day).isoformat()
                except ValueError:
                    return None
    iso = ISO_DATE_RE.search(text)
    if iso:
        return iso.group(0)
    if "ago" not in words:
        return None  # a bare year, a decade, a duration: not a date we can place
    import dateparser  # slow to import and to warm up: only for the rare long-tail forms

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if any(ch.isdigit() for ch in text.replace(str(parsed.year), "")) or "ago" in words:
        return parsed.date().isoformat()
    if any(w in MONTHS for w in words):
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return None
