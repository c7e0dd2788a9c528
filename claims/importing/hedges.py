"""Hedges and attribution in a sentence: "reportedly", "according to X", "X said that", "either … or …".

The rules are one table, read top to bottom: a rule earlier in the table wins when two matches overlap
(so "According to the Kyiv Post, some accounts said that" is one attributed hedge, not two). To add a
rule, add a row: a name, a kind, a regex and how the attributed-to text is found:

- ``none``: nothing is attributed ("reportedly");
- ``groups``: the regex's named groups ``source`` and ``source2``, in that order ("according to X, Y said");
- ``subject``: the words before the verb, back to the start of the clause ("Iranian state media reported
  that" → "Iranian state media"). When the clause has no subject of its own ("The insurgents, led by …,
  also claim to be") the sentence's first clause is taken, if it is short and does not open with a
  preposition. Pronouns and relative clauses attribute nothing.

The phrase reported is the regex's ``phrase`` group if it has one, else the whole match.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Hedge:
    kind: str  # "reported" | "alleged" | "attributed" | "speculative" | "disputed"
    phrase: str  # the words found: "reportedly", "According to the Kyiv Post", "either a Syrian or Russian"
    attributed_to: tuple[str, ...]  # ("the Kyiv Post", "some Islamist social media accounts"); () when none
    rule: str  # the name of the rule that matched


@dataclass(frozen=True)
class HedgeRule:
    name: str
    kind: str
    pattern: re.Pattern[str]
    attribution: str  # "none" | "groups" | "subject"
    # Lower-case words of which one must occur for the pattern to be tried: a substring test is ~50x
    # cheaper than a case-insensitive regex scan, and most sentences hedge nothing.
    needles: tuple[str, ...]


def _rule(name: str, kind: str, pattern: str, attribution: str = "none", *, needles: str) -> HedgeRule:
    return HedgeRule(name, kind, re.compile(pattern, re.IGNORECASE), attribution, tuple(needles.split("|")))


_SOURCE = r"[^,;:()\[\]\"\u201c\u201d]"  # a source name runs to the next comma, colon, bracket or quote
_SPEECH = (
    r"said|says|stated|states|claimed|claims|reported|reports|announced|announces|alleged|alleges|told"
    r"|confirmed|confirms|asserted|asserts|insisted|insists|added|noted|wrote|warned"
)
# A verb of saying introduces a claim when "that", a comma, colon or quote follows it, or one word then
# "that" ("told reporters that"). This keeps "the SDF announced plans" and "were reported in" out.
_INTRODUCES_CLAIM = r"(?=\s+that\b|\s*[,:\"\u201c]|\s*\.?\s*$|\s+\w+\s+that\b)"
_PASSIVE = r"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been|being)\s+(?:reportedly\s+)?"

RULES: tuple[HedgeRule, ...] = (
    _rule(
        "according_to",
        "attributed",
        rf"(?P<phrase>\baccording\s+to\s+(?P<source>{_SOURCE}{{1,150}}))"
        rf"(?:,\s*(?P<source2>{_SOURCE}{{1,80}}?)\s+(?:{_SPEECH}|say|claim|report|state|allege)\b)?",
        "groups",
        needles="according",
    ),
    _rule(
        "state_media_reported",
        "reported",
        r"\bstate(?:-run|-owned|-controlled)?\s+(?:media|television|TV|broadcaster|news\s+agency|outlets?)"
        rf"\s+(?P<verb>{_SPEECH})\b",
        "subject",
        needles="state",
    ),
    _rule(
        "claimed_to",
        "alleged",
        r"\b(?:also\s+)?(?P<verb>claim(?:s|ed|ing)?)\s+to\b",
        "subject",
        needles="claim",
    ),
    _rule("passive_reported", "reported", _PASSIVE + r"(?:reported|said|stated)\b", needles="reported|said|stated"),
    _rule(
        "passive_alleged",
        "alleged",
        _PASSIVE + r"(?:claimed|alleged|rumou?red)\b",
        needles="claimed|alleged|rumo",
    ),
    _rule("said_that", "attributed", rf"\b(?P<verb>{_SPEECH})\b{_INTRODUCES_CLAIM}", "subject", needles=_SPEECH),
    _rule("reportedly", "reported", r"\breportedly\b", needles="reportedly"),
    _rule(
        "allegedly",
        "alleged",
        r"\b(?:allegedly|purportedly|supposedly|ostensibly)\b",
        needles="allegedly|purportedly|supposedly|ostensibly",
    ),
    _rule("either_or", "speculative", r"\beither\s+(?:[^\s,;.]+\s+){0,5}?or\s+[^\s,;.]+", needles="either"),
    _rule(
        "speculative",
        "speculative",
        r"\b(?:possibly|perhaps|probably|may\s+have|might\s+have|unconfirmed|unverified"
        r"|(?:is|are|was|were)\s+(?:believed|thought|suspected)\s+to)\b",
        needles="possibly|perhaps|probably|have|unconfirmed|unverified|believed|thought|suspected",
    ),
    _rule(
        "denied",
        "disputed",
        r"\b(?P<verb>denied|denies|deny|denying)\b",
        "subject",
        needles="denied|denies|deny|denying",
    ),
    _rule("disputed", "disputed", r"\b(?:disputed|contested)\b", needles="disputed|contested"),
)

# --- Finding the subject of a verb of saying ---------------------------------------------------------------

# Where a clause starts: punctuation, an opening bracket or quote, or a word that opens a clause.
_CLAUSE_START = re.compile(r"[,;:(\[\u2014\u2013\"\u201c]|\b(?:that|which|who|whom|whose)\b", re.IGNORECASE)
_LEADING_LINKS = re.compile(
    r"^(?:(?:and|but|or|while|whereas|as|although|though|because|when|after|before|since|so|then|where|if)\s+)+",
    re.IGNORECASE,
)
_TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|again|earlier|previously|then|subsequently|initially|officially|publicly|reportedly"
    r"|had|has|have|would|will|could|did|does|do|now|still|first|further|had\s+also))+$",
    re.IGNORECASE,
)
_PRONOUNS = frozenset("he she it they we i you this these those who which that someone one others some many".split())
_OPENS_WITH_PREPOSITION = re.compile(
    r"^(?:on|in|at|by|during|after|before|since|according|as|while|when|with|for|from|meanwhile|however"
    r"|concurrently|additionally|also|then|later|despite|following|amid|until)\b",
    re.IGNORECASE,
)
_MAX_SUBJECT_WORDS = 12
_MAX_FIRST_CLAUSE_WORDS = 8
_SUBJECT_WINDOW = 200  # characters


def _clean_subject(words: str) -> str:
    words = _LEADING_LINKS.sub("", _TRAILING_ADVERBS.sub("", " " + words.strip()).strip())
    return words.strip()


def _subject(text: str, verb_start: int) -> tuple[str, ...]:
    """The subject of the verb at ``verb_start``, as written, or () when there is none worth keeping."""
    # Look back a bounded window only: a subject of at most 12 words fits in it, and a sentence with
    # thousands of verbs stays linear.
    window = max(0, verb_start - _SUBJECT_WINDOW)
    starts = list(_CLAUSE_START.finditer(text, window, verb_start))
    last = starts[-1] if starts else None
    if last is None and window > 0:
        return ()  # the clause began before the window: far too long to be a subject
    if last is not None and last.group().lower() in ("which", "who", "whom", "whose"):
        return ()  # a relative clause: the subject is a noun elsewhere
    subject = _clean_subject(text[last.end() if last else 0 : verb_start])
    first_comma = text.find(",", 0, _SUBJECT_WINDOW)
    if not subject and last is not None and last.group() == "," and first_comma > 0:
        first_clause = text[:first_comma]
        if len(first_clause.split()) <= _MAX_FIRST_CLAUSE_WORDS and not _OPENS_WITH_PREPOSITION.match(first_clause):
            subject = _clean_subject(first_clause)
    if not subject or subject.lower() in _PRONOUNS or len(subject.split()) > _MAX_SUBJECT_WORDS:
        return ()
    return (subject,)


def _attributed_to(rule: HedgeRule, text: str, match: re.Match[str]) -> tuple[str, ...]:
    if rule.attribution == "groups":
        names = [match.group(name) for name in ("source", "source2") if name in rule.pattern.groupindex]
        return tuple(cleaned for name in names if name and (cleaned := name.strip().rstrip(".").strip()))
    if rule.attribution == "subject":
        return _subject(text, match.start("verb") if "verb" in rule.pattern.groupindex else match.start())
    return ()


def find_hedges(text: str) -> tuple[Hedge, ...]:
    """Hedges in one sentence's clean text, in the order they appear."""
    # Accepted matches as sorted, non-overlapping spans: a new match need only be checked against its
    # two neighbours.
    starts: list[int] = []
    taken: list[tuple[int, int, Hedge]] = []
    lowered = text.lower()
    for rule in RULES:
        if not any(needle in lowered for needle in rule.needles):
            continue
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            at = bisect.bisect_left(starts, start)
            if (at > 0 and taken[at - 1][1] > start) or (at < len(taken) and taken[at][0] < end):
                continue
            phrase = match.group("phrase") if "phrase" in rule.pattern.groupindex else match.group()
            phrase = phrase.strip()
            if phrase.endswith(".") and not text[match.end() :].strip():
                phrase = phrase[:-1].rstrip()  # the sentence's own full stop is not part of the hedge
            hedge = Hedge(rule.kind, phrase, _attributed_to(rule, text, match), rule.name)
            starts.insert(at, start)
            taken.insert(at, (start, end, hedge))
    return tuple(hedge for _, _, hedge in taken)
