"""Hedges and attribution in a sentence: "reportedly", "according to X", "X said (that) …", "…, said X".

The rules are one table, read top to bottom: a rule earlier in the table wins when two matches overlap
(so "According to the Kyiv Post, some accounts said that" is one attributed hedge, not two). To add a
rule, add a row: a name, a kind, a regex, how the attributed-to text is found and, optionally, a check
of what follows the match (``accept``):

- ``none``: nothing is attributed ("reportedly", "Rebels said to have repelled …");
- ``groups``: the regex's named groups ``source`` and ``source2``, in that order ("according to X, Y said"),
  each cut to the noun phrase it starts with (see ``noun_phrase``);
- ``subject``: the words before the verb, back to the start of the clause ("Iranian state media reported
  that" → "Iranian state media"). When the clause has no subject of its own ("The insurgents, led by …,
  also claim to be"; "Russia denied it but said …") the subject of the clause before is taken, if it is
  short and does not open with a preposition.

A verb of saying is an attribution only when a reported clause follows it (``_introduces_claim``):
"that", a quote, a colon or comma, the sentence's end ("…, the monitor said."), or a clause without
"that" — a subject pronoun and a verb ("said it retook"), a noun phrase and an auxiliary ("says 500 people
have been killed", "claims the ratio is 3 to 1") or a past tense ("said the rebels retreated from …"),
optionally after an adverbial of time or manner ("claimed on 12 March that", "said in a statement it …").
That keeps "the SDF announced plans to evacuate" and "claimed the lives of" out.

Judging and recording verbs ("judged", "assessed", "believed", "documented", "recorded") attribute only with
"that", a comma, colon or quote, or a toll ("The SOHR documented the deaths of 5 fighters"); "reported
repelling", "denied shelling" report an act; after a closing quotation mark ("“…,” the envoy said") the verb
attributes the quotation. "X accused Y of", "X described Y as" attribute an allegation or characterisation,
and so do "X called Y “…”" and "X condemned Y as a “…”" when the quoted words are X's (they open in lower
case: "called the ship “Endurance”" names a thing); "X agreed that" attributes a view and "X provided
information that" what X handed over;
"may", "might" and "could pose/become/be forced…" speculate, except where a definition or rule allows
("may include", "may refer to", "members may vote"); "seems to have", "appears to be" too.

A participle after a comma ("…, saying", "…, claiming") takes the subject of the clause it follows ("Shortly
after the attacks began, a spokesman called VOA, saying …" → "a spokesman"); " -- " is a dash, and a
capitalised verb form inside a name is the name's ("the United States", "Army Sgt. Will Jones").

The attributed-to text is always a noun phrase as written: never a pronoun or conjunction alone ("he",
"him", "but" attribute nothing), never ending in "the" or "of", never running on into the next clause
("According to a source familiar with the matter the town fell" → "a source familiar with the matter"). A
title and a name set off by commas are kept together ("Ukraine's governor of Donetsk, Pavlo Kyrylenko"); a
speaker after a closing quote loses the quotation mark; "with" before an absolute construction ("with some
milbloggers claiming") and an adverbial before a pronoun ("In recent talks he") are no part of a name.

The phrase reported is the regex's ``phrase`` group if it has one, else the whole match.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
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
    # A further check of a match (text, match) → keep it; None keeps every match.
    accept: Callable[[str, re.Match[str]], bool] | None = None


def _rule(
    name: str,
    kind: str,
    pattern: str,
    attribution: str = "none",
    *,
    needles: str,
    accept: Callable[[str, re.Match[str]], bool] | None = None,
) -> HedgeRule:
    return HedgeRule(name, kind, re.compile(pattern, re.IGNORECASE), attribution, tuple(needles.split("|")), accept)


# --- Words, by what they do in a clause ---------------------------------------------------------------------

_SUBJECT_PRONOUNS = frozenset("he she it they we i you there".split())
_PRONOUNS = _SUBJECT_PRONOUNS | frozenset(
    "him her them us me his its their our this these those who whom which that someone one others some many"
    " both each all either neither".split()
)
_CONJUNCTIONS = frozenset("and but or nor yet so".split())
_DETERMINERS = frozenset("the a an this these those its their his her our my your some any each every no".split())
_PREPOSITIONS = frozenset(
    "of for in on at by to from with about against among between into over under near via per than".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been being has have had will would shall should can could may might must do does did".split()
)
# Common irregular past tenses: with the regular "-ed", how a past-tense clause is recognised.
_IRREGULAR_PAST = frozenset(
    "took retook fell lost shot struck withdrew began fought held won left sent came went broke drove overran"
    " ran stood made gave saw hit killed".split()
)
# Words that open a subordinate or relative clause: a noun phrase ends before them.
_CLAUSE_WORDS = frozenset(
    "that which who whom whose when where while because if although though after before since until unless"
    " whereas as".split()
)
# Time adverbials that follow a speaker ("as reported by state television on Tuesday").
_TIME_WORDS = frozenset("on during yesterday today tonight overnight earlier later last recently".split())
# Participles that start a phrase after a name: "Bloomberg | citing state-run Tass".
_PARTICIPLES = frozenset("citing quoting saying adding according claiming".split())
_NUMBER = re.compile(r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds|thousands)$")
# Verb forms of saying that are never nouns ("reports", "claims", "states" can be: "official state reports").
_SPEECH_WORDS = frozenset(
    "said says stated claimed reported announced announces alleged alleges told tells confirmed confirms"
    " asserted asserts insisted insists added adds noted wrote writes warned warns denied denies declared"
    " proclaimed acknowledged admitted argued cautioned explained revealed disclosed maintained contended".split()
)
# Words with their inner dots ("U.S.") but not a sentence's full stop, and each punctuation mark alone; an
# initialism keeps its last dot ("five U.S. troops were"), which is no clause's end.
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}(?!\w)|[\w\u2019'-]+(?:\.(?=\w)[\w\u2019'-]+)*|[^\w\s]")


_EDGE_MARKS = ".'\u2019"


def _bare(word: str) -> str:
    """The word in lower case without dots and apostrophes at its edges."""
    return word.lower().strip(_EDGE_MARKS)


def _is_verb(word: str) -> bool:
    """A word that shows a clause has its verb: an auxiliary, a verb of saying or a known past tense."""
    lowered = _bare(word)
    return lowered in _AUXILIARIES or lowered in _SPEECH_WORDS or lowered in _IRREGULAR_PAST


def _in_a_name(word: str, previous: str) -> bool:
    """A capitalised word after a capitalised one is part of a name, whatever verb it spells: "Army Sgt.
    Will Jones", "the United States"."""
    return word[:1].isupper() and previous[:1].isupper()


def noun_phrase(text: str) -> str:
    """The noun phrase ``text`` starts with, as written; "" when it is no name at all.

    It ends before punctuation, a clause word ("that", "who"), a verb, a time adverbial ("on Tuesday"), or a
    determiner, pronoun or number that follows a content word ("a source familiar with the matter | the town
    fell"): each of these starts something that is not the speaker's name. Trailing function words go, and
    a pronoun or conjunction alone is no name.
    """
    words: list[str] = []
    tokens = text.split()
    if tokens and _bare(tokens[0]) in _SUBJECT_PRONOUNS:
        return ""  # "they advanced": a clause, not a name
    for index, word in enumerate(tokens):
        lowered = _bare(word)
        # A full stop inside a name ("the U.S. military") is an abbreviation's; only the last one ends it.
        stripped = word.rstrip(",;:!?\u201d\"')")
        if index == len(tokens) - 1 and stripped.count(".") == 1:  # "… the ministry." but "the U.S."
            stripped = stripped.rstrip(".")
        verb = _is_verb(word) and not (words and _in_a_name(word, words[-1]))
        if words and (lowered in _CLAUSE_WORDS | _TIME_WORDS | _PARTICIPLES or verb):
            break
        if words and (lowered in _DETERMINERS or lowered in _SUBJECT_PRONOUNS or _NUMBER.match(lowered)):
            before = _bare(words[-1])
            if before not in _PREPOSITIONS and before not in _DETERMINERS and before not in _CONJUNCTIONS:
                break
        words.append(stripped)
        if stripped != word:  # punctuation after the word ends the phrase
            break
    while words and (_bare(words[-1]) in _DETERMINERS | _PREPOSITIONS | _CONJUNCTIONS or not words[-1]):
        words.pop()
    while words and _bare(words[0]) in _CONJUNCTIONS:
        words.pop(0)
    if not words or all(_bare(w) in _PRONOUNS | _CONJUNCTIONS for w in words):
        return ""
    return " ".join(words)


# --- Does a reported clause follow the verb? ---------------------------------------------------------------

# Words that open an adverbial between a verb of saying and its clause: "claimed on 12 March that",
# "said in a statement on Tuesday that", "said late on Wednesday it had".
_ADVERBIAL_START = frozenset(
    "on in at during late early last earlier later yesterday today tonight overnight this through via"
    " repeatedly publicly again also monday tuesday wednesday thursday friday saturday sunday".split()
)
# What may follow a regular past tense that ends a clause: "said the rebels retreated from", "…retook two".
_AFTER_PAST = frozenset(
    "the a an its their his her control from to into in on at after before towards toward back across through"
    " over under up down out off all most some more several and this that again further here there".split()
)
_CLAUSE_GAP = 8  # words between the start of the reported clause and its verb
# A subject pronoun and its verb in one word: "said it's difficult", "says they're leaving".
_PLURAL_SUBJECT = re.compile(r"[a-z]{3,}[^s]s")
_PRONOUN_AND_VERB = re.compile(r"(?:he|she|it|they|we|i|you|there)['\u2019](?:s|re|ve|ll|d|m)")
# A verb of saying whose object is a thing, not a clause ("claimed the lives of", "claimed responsibility").
_THING_OBJECT = re.compile(r"\s+(?:the\s+)?(?:lives?|responsibility|credit|victory|ownership)\b", re.IGNORECASE)
# A tally reported: "reported 44 deaths", "recorded at least 20 killed".
_TALLY = re.compile(r"\s+(?:at\s+least\s+|more\s+than\s+|over\s+|nearly\s+|some\s+|about\s+|around\s+)?\d", re.I)


def _clause_at(words: list[str], i: int) -> bool:
    """Whether a reported clause without "that" starts at words[i]."""
    if i >= len(words):
        return False
    first = _bare(words[i])
    if first == "that" or _PRONOUN_AND_VERB.fullmatch(first):
        return True
    if first in _SUBJECT_PRONOUNS:
        return (
            i + 1 < len(words)
            and words[i + 1].isalpha()
            and _bare(words[i + 1]) not in (_PREPOSITIONS | _CONJUNCTIONS | {"to"})
        )
    if first in _PREPOSITIONS or first in _CLAUSE_WORDS or not words[i][0].isalnum():
        return False
    j, limit, aside = i + 1, i + 1 + _CLAUSE_GAP, False
    while j < min(len(words), limit):
        word = _bare(words[j])
        if words[j] == "," and not aside:
            # One aside set off by commas: "said loyalist forces, known as the NDF, stormed the town".
            closing = next((k for k in range(j + 1, min(len(words), j + 12)) if words[k] == ","), None)
            if closing is None:
                return False
            j, limit, aside = closing + 1, closing + 1 + _CLAUSE_GAP, True
            continue
        infinitive = (
            word == "to" and j + 1 < len(words) and words[j + 1].islower() and _bare(words[j + 1]) not in (_DETERMINERS)
        )
        if not words[j][0].isalnum() or word in _CLAUSE_WORDS or infinitive:
            return False
        if word in _AUXILIARIES or word in _IRREGULAR_PAST:
            return True
        # A past tense, not an adjective: no determiner before it ("the alleged killing"), and after it
        # what follows a verb (an object's determiner, a preposition, an adverb, a number, punctuation).
        if word.endswith("ed") and words[j].islower() and "-" not in word and _bare(words[j - 1]) not in _DETERMINERS:
            after = _bare(words[j + 1]) if j + 1 < len(words) else "."
            if (
                j + 1 >= len(words)
                or after in _AFTER_PAST
                or after in _TIME_WORDS
                or after.endswith("ly")
                or not words[j + 1][0].isalnum()
                or words[j + 1][0].isupper()  # a name as object: "pushed Russian forces", "shelled Aleppo"
                or _NUMBER.match(after)
                # a plural noun and its verb open the clause: "confirmed insurgents attacked coalition forces"
                or (j == i + 1 and _PLURAL_SUBJECT.fullmatch(words[i]) and words[j + 1].isalpha())
            ):
                return True
        j += 1
    return False


_MODAL_BEFORE = re.compile(
    r"\b(?:to|not|cannot|can|could|would|will|should|might|may|must|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE
)


@functools.lru_cache(maxsize=16)
def _quotation_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans inside double quotation marks, straight or curly (an unclosed quote runs to the end)."""
    spans, opened = [], None
    for match in re.finditer(r"[\"\u201c\u201d]", text):
        mark = match.group()
        if opened is None and mark != "\u201d":
            opened = match.end()
        elif opened is not None and mark != "\u201c":
            spans.append((opened, match.start()))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return tuple(spans)


def _inside_quotation(text: str, position: int) -> bool:
    spans = _quotation_spans(text)
    at = bisect.bisect_right(spans, (position, len(text) + 1)) - 1
    return at >= 0 and spans[at][0] <= position < spans[at][1]


_PLAIN_CLAUSE = re.compile(r"\s+that\b|\s*(?:[,:\"\u201c]|\.?\s*$)", re.IGNORECASE)


# A closing quotation mark after a comma (or ? !) and then a short subject: "“…,” the director said".
_AFTER_QUOTATION = re.compile(r"[,?!\u2026]\s*[\"\u201d]\s*[^,;:\"\u201c\u201d.]{1,60}$")
# What a monitor records: a toll, deaths, casualties.
_RECORD_OBJECT = re.compile(
    r"\s+(?:the\s+)?(?:at\s+least\s+)?(?:\d[\d,]*\s+)?(?:deaths?|killings?|casualties|bodies|toll|dead)\b", re.I
)
_JUDGING_VERBS = frozenset("judged assessed assesses believed believes documented recorded".split())
_GERUND_VERBS = frozenset("reported reports claimed claims denied denies admitted admits acknowledged".split())


def _introduces_claim(text: str, match: re.Match[str]) -> bool:
    """Whether a reported clause follows the verb of saying that ``match`` ends with."""
    if _inside_quotation(text, match.start()):
        return False  # "… the first time Prigozhin has said 'we seized everything'": the speaker's words
    if match.group("verb")[0].isupper() and text[: match.start("verb")].strip():
        return False  # a name, not a verb: "the United States", "Said Kouachi"
    if _MODAL_BEFORE.search(text, max(0, match.start() - 30), match.start()):
        return False  # "we cannot say", "to say", "would claim": not a report of what was said
    rest = text[match.end() : match.end() + 400]  # what follows, bounded: a long text stays linear
    verb = _bare(match.group("verb"))
    if verb in _JUDGING_VERBS:
        # Ordinary verbs too ("the song was recorded", "he believed in God"): a judgement or a record only
        # with "that", a comma, colon or quote, or a monitor's toll ("The SOHR documented the deaths of 5").
        if re.match(r"\s+that\b|\s*[,:\"\u201c]", rest, re.IGNORECASE):
            return not re.search(
                r"\b(?:is|are|was|were|been|being|be)\s+$", text[max(0, match.start() - 10) : match.start()]
            )
        return verb in ("recorded", "documented") and bool(_RECORD_OBJECT.match(rest))
    if _PLAIN_CLAUSE.match(rest):  # "that", a comma, colon or quote; or the sentence ends
        return True
    if _AFTER_QUOTATION.search(text, max(0, match.start() - 120), match.start()):
        return True  # "“…,” the mayor told a radio station in an interview": the quotation before is what was said
    if _THING_OBJECT.match(rest):
        return False
    if _TALLY.match(rest):
        return True
    if verb in _GERUND_VERBS and re.match(r"\s+(?:\w+ly\s+)?[a-z]+ing\b", rest):
        return True  # "reported repelling five groups", "denied shelling the town": a reported act
    if verb in ("claimed", "claims", "claiming") and re.match(
        r"\s+(?:the|a|an|its|their|his|her|full|complete)\b", rest
    ):
        return True  # "Prigozhin claimed the capture of the city": what is claimed may be a noun phrase
    words = _WORD.findall(rest)
    # "told reporters (on Monday) that": an indirect object first.
    starts = [0]
    if verb in ("told", "tells"):
        if re.match(r"(?:\s+[\w'’.-]+){1,3}\s*\.?\s*$", rest):  # "…, told Reuters."
            return True
        if re.match(r"(?:\s+[\w'’.-]+){1,4}\s*[,:]?\s*[\"\u201c]", rest):  # "told the people, “Hitler knows…”"
            return True
        starts = [1, 2, 3]
    for start in starts:
        if _clause_at(words, start):
            return True
        if start < len(words) and _bare(words[start]) in _ADVERBIAL_START and start + 1 == len(words):
            return True  # "…, the ministry said yesterday"
        if start < len(words) and _bare(words[start]) in _ADVERBIAL_START:
            for i in range(start + 1, min(len(words), start + 8)):
                if not words[i][0].isalnum():  # "said on Sunday, …", "claimed Tuesday."
                    return words[i] in (",", ".", ":", '"', "\u201c")
                if _clause_at(words, i) and (_bare(words[i]) == "that" or _bare(words[i]) in _SUBJECT_PRONOUNS):
                    return True
    return False


def _not_an_np_with_a_verb(text: str, match: re.Match[str]) -> bool:
    """An inverted attribution ("…, said the monitoring group.") names a speaker, not a clause."""
    source = match.group("source").strip().rstrip(".").strip()
    name = noun_phrase(source)
    rest = source[len(name) :].split()
    # The whole stretch is the name, or the name and a participle phrase ("Bloomberg citing state-run Tass").
    return bool(name) and (not rest or _bare(rest[0]) in _PARTICIPLES)


def _denies_a_statement(text: str, match: re.Match[str]) -> bool:
    """ "Russia denied the strike" disputes a claim; "civilians were denied access" does not."""
    if re.search(r"\b(?:is|are|was|were|been|being|be)\s+$", text[max(0, match.start() - 10) : match.start()]):
        return False
    return not re.match(
        r"\s+(?:\w+\s+)?(?:access|entry|permission|visas?|the\s+right|bail|asylum|safe\s+havens?|sanctuary)\b",
        text[match.end() :],
    )


# "may" and "might" that speculate about nothing: a noun ("military might of"), and what a definition or a
# rule allows ("development may include research", "the term may refer to", "members may vote").
_NOT_SPECULATIVE_MODAL = re.compile(
    r"(?i)(?:may|might)\s+(?:also\s+)?(?:of|and|or|to|in|the|include|contain|comprise|consist|vary|differ|range"
    r"|refer|apply|vote|choose|request|use|be\s+(?:used|called|defined|referred|seen\s+(?:in|at|on)|found\s+(?:in|at|on)))\b"
)
_SOURCE = r"[^,;:()\[\]\"\u201c\u201d]"  # a source name runs to the next comma, colon, bracket or quote
_SPEECH = (
    r"said|says|say|stated|states|claimed|claims|reported|reports|announced|announces|alleged|alleges|told|tells"
    r"|confirmed|confirms|asserted|asserts|insisted|insists|added|adds|noted|wrote|warned|saying|claiming|alleging"
    r"|declared|declares|proclaimed|acknowledged|acknowledges|admitted|admits|argued|argues|cautioned|explained"
    r"|revealed|disclosed|maintained|contended|estimated|countered|responded|replied|announcing|stating|suggested"
    r"|judged|assessed|assesses|believed|believes|documented|recorded"
)
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
        rf"\s+(?:(?:later|also|earlier|then|quickly|\w+ly)\s+)?(?P<verb>{_SPEECH})\b",
        "subject",
        needles="state",
    ),
    # "as reported by state television on Tuesday", "figures cited by the UN", "quoted by Reuters" (not
    # "published by": a publisher is not a speaker).
    _rule(
        "reported_by",
        "reported",
        rf"(?P<phrase>\b(?:as\s+)?(?:reported|cited|quoted)\s+by)\s+(?P<source>{_SOURCE}{{1,120}})",
        "groups",
        needles="by",
    ),
    # "The agency quoted a commander as saying …", "cited the monitor as saying".
    _rule(
        "quoted_as_saying",
        "attributed",
        rf"\b(?:cited|quoted|citing|quoting)\s+(?P<source>{_SOURCE}{{1,100}}?)\s+as\s+saying\b",
        "groups",
        needles="saying",
    ),
    _rule(
        "claimed_to",
        "alleged",
        r"\b(?:also\s+)?(?P<verb>claim(?:s|ed|ing)?)(?:\s+(?:on\s+)?(?:\w+day|\d{1,2}\s+[A-Z][a-z]+))?\s+to\b",
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
    # Headline passive without its auxiliary: "Rebels said to have repelled the attack".
    _rule(
        "said_to",
        "reported",
        r"\b(?:said|reported|rumou?red)\s+to\s+(?:have|be)\b",
        needles="said|reported|rumo",
    ),
    # Opinion in the passive: "It is regarded by some military analysts to be the bloodiest battle".
    _rule(
        "passive_opinion",
        "attributed",
        r"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:widely\s+|generally\s+|often\s+)?"
        rf"(?:(?:regarded|considered)(?:\s+by\s+(?P<source>{_SOURCE}{{1,80}}?))?\s+(?:as|to\s+be)"
        rf"|(?:seen|viewed|described)\s+by\s+(?P<source2>{_SOURCE}{{1,80}}?)\s+as)\b",
        "groups",
        needles="regarded|considered|seen|viewed|described",
    ),
    # Inverted: "…entered the town from two sides, said the monitoring group." The speaker follows.
    _rule(
        "said_inverted",
        "attributed",
        r"(?:[,;][\"\u201d\u2019']?|[\"\u201d])\s*(?P<phrase>(?:said|says|added|stated|claimed|reported|wrote"
        r"|noted|warned|insisted))\s+(?P<source>(?:(?:the|a|an|another)\b|(?-i:[A-Z]))[^,;:()\[\]\"\u201c\u201d]{0,100}?)"
        r"(?=\s*[,;]|\s*\.?\s*$|\s+(?:who|which|whose)\b)",
        "groups",
        needles="said|says|added|stated|claimed|reported|wrote|noted|warned|insisted",
        accept=_not_an_np_with_a_verb,
    ),
    _rule(
        "said_that",
        "attributed",
        rf"(?<!\bthat\s)(?<!\bhaving\s)(?<!\bto\s)(?<!\bnot\s)(?<!\bthe\s)\b(?P<verb>{_SPEECH})\b",
        "subject",
        needles=_SPEECH,
        accept=_introduces_claim,
    ),
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
    # An accusation: "Zelenskyy accused Russia of destroying the city" (the passive "was accused of" is
    # passive_alleged's). Its speaker is the subject.
    _rule(
        "accused_of",
        "alleged",
        r"(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)(?<!\bis\s)(?<!\bare\s)\b(?P<verb>accus(?:ed|es|ing))"
        r"\s+[^,;.]{1,80}?\s+of\b",
        "subject",
        needles="accus",
    ),
    # A characterisation: "X described the front as 'the most brutal sector'".
    _rule(
        "described_as",
        "attributed",
        r"(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)(?<!\bis\s)(?<!\bare\s)\b(?P<verb>describ(?:ed|es|ing)|characteri[sz](?:ed|es))"
        r"\s+[^,;.]{1,80}?\s+as\b",
        "subject",
        needles="describ|characteri",
    ),
    # A characterisation in the speaker's own words: "X called the attacks “somewhat bold”", "condemned the
    # attacks as a “horrendous crime”". The quoted words open in lower case: "called the ship “Endurance”"
    # names a thing, and the "so-called" of scare quotes holds no speaker.
    _rule(
        "characterised_in_quotes",
        "attributed",
        r"(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)(?<!\bis\s)(?<!\bare\s)(?<!-)(?P<phrase>\b(?P<verb>call(?:ed|s|ing)"
        r"|term(?:ed|s)|brand(?:ed|s)|label(?:l?ed|s)|dubb(?:ed|s)|condemn(?:ed|s|ing)|denounc(?:ed|es|ing)"
        r"|hail(?:ed|s)|prais(?:ed|es)|critici[sz](?:ed|es)|slamm?(?:ed|s))"
        r"\s+(?:[^,;.\"\u201c\u201d]{1,80}?\s+)?(?:as\s+)?(?:(?:a|an|the)\s+)?)(?=[\"\u201c](?-i:[a-z]))",
        "subject",
        needles="call|term|brand|label|dubb|condemn|denounc|hail|prais|critici|slam",
    ),
    # A view held and stated: "Servicemembers … agree that it is heartbreaking", "Experts agreed that …".
    _rule(
        "agree_that",
        "attributed",
        r"(?<!\bto\s)\b(?P<verb>agree(?:s|d)?)\s+that\b",
        "subject",
        needles="agree",
    ),
    # Information handed over: "officials provided updated information that 10 were foreigners".
    _rule(
        "gave_information",
        "attributed",
        r"\b(?P<verb>provided|provides|gave|gives|released|releases|shared|shares)\s+"
        r"(?:(?:new|updated|further|additional|more|detailed)\s+)?(?:information|details|figures|data)"
        r"\s+(?:that|showing|indicating|suggesting)\b",
        "subject",
        needles="information|details|figures|data",
    ),
    # Modal speculation: "The UK may be forced to review", "the aircraft could pose a threat". "Could" only
    # before a verb of possibility or of a state: "could not reach" and "could see" report a past fact.
    _rule(
        "modal",
        "speculative",
        r"\b(?-i:may|might)\s+(?:well\s+|also\s+|soon\s+|still\s+|even\s+)?(?-i:[a-z]+)\b"
        r"|\bcould\s+(?:well\s+|also\s+|soon\s+|potentially\s+|eventually\s+)?"
        r"(?:pose|become|lead|cause|trigger|threaten|mean|face|result|rise|reach|exceed|escalate|spread|signal"
        r"|undermine|affect|take\s+(?:years|months|weeks)|be\s+(?:forced|used|seen\s+as|a|an|the|as|more|higher))\b",
        needles="may|might|could",
        accept=lambda text, match: not _NOT_SPECULATIVE_MODAL.match(match.group() + text[match.end() :]),
    ),
    _rule(
        "seems_to",
        "speculative",
        r"\b(?:seems?|seemed|appears?|appeared)\s+to\s+(?:have|be)\b",
        needles="seem|appear",
    ),
    _rule(
        "denied",
        "disputed",
        r"\b(?P<verb>denied|denies|deny|denying)\b",
        "subject",
        needles="denied|denies|deny|denying",
        accept=_denies_a_statement,
    ),
    _rule(
        "disputed",
        "disputed",
        r"\b(?:disputed|contested)\b",
        needles="disputed|contested",
        accept=lambda text, match: (
            not re.search(
                r"\b(?:the|a|an|this|that|these|those|its|their|his|her)\s+(?:\w+ly\s+)?$",
                text[max(0, match.start() - 25) : match.start()],
                re.IGNORECASE,
            )
        ),  # "the disputed territory" names a place; "the toll is disputed" hedges
    ),
)

# --- Finding the subject of a verb of saying ---------------------------------------------------------------

# Where a clause starts: punctuation, an opening bracket or quote, or a word that opens a clause.
# A typewriter dash (" -- ") is a dash.
_CLAUSE_START = re.compile(
    r"[,;:(\[\u2014\u2013\"\u201c\u201d]|\s--\s|\b(?:that|which|who|whom|whose)\b", re.IGNORECASE
)
_LEADING_LINKS = re.compile(
    r"^(?:(?:and|but|or|while|whereas|as|although|though|because|when|after|before|since|so|then|where|if|with"
    r"|amid)\b\s*)+",
    re.IGNORECASE,
)
_TRAILING_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|again|earlier|previously|then|subsequently|initially|officially|publicly|reportedly"
    r"|had|has|have|would|will|could|did|does|do|now|still|first|further|had\s+also|however|meanwhile"
    r"|separately|repeatedly|recently|at\s+(?:that|the)\s+time|on\s+\w+day|on\s+\d{1,2}\s+[A-Z][a-z]+))+$",
    re.IGNORECASE,
)
# "at that time", "in that city": "that" after a preposition is a determiner, not a clause.
_DETERMINER_THAT = re.compile(r"\b(?:at|in|on|by|for|from|of|with|during|after|before)\s+that$", re.IGNORECASE)
_COORDINATION = re.compile(r"\s+(?:but|and|or|yet)\s+", re.IGNORECASE)
_OPENS_WITH_PREPOSITION = re.compile(
    r"^(?:on|in|at|by|during|after|before|since|according|as|while|when|with|for|from|meanwhile|however"
    r"|concurrently|additionally|also|then|later|despite|following|amid|until)\b",
    re.IGNORECASE,
)
_SUBORDINATOR = re.compile(r"\b(?:although|though|because|whereas|unless)\s+", re.IGNORECASE)
_MAX_SUBJECT_WORDS = 12
_MAX_FIRST_CLAUSE_WORDS = 8
_SUBJECT_WINDOW = 200  # characters


def _clean_subject(words: str) -> str:
    words = _LEADING_LINKS.sub("", _TRAILING_ADVERBS.sub("", " " + words.strip()).strip())
    return words.strip()


def _first_verb(words: list[str]) -> int | None:
    """Index of the first verb among words: a known one, or a lower-case past tense that no determiner
    precedes ("Fighting continued", not "the armed forces" nor "Turkish-backed"); None without one."""
    previous = ""
    for i, word in enumerate(words):
        lowered = _bare(word)
        if _is_verb(word) and not (i and _in_a_name(word, words[i - 1])):
            return i
        if lowered.endswith("ed") and word.islower() and "-" not in word and previous not in _DETERMINERS:
            return i
        previous = lowered
    return None


def _has_verb(words: str) -> bool:
    return _first_verb(words.split()) is not None


def _subject_of_clause(clause: str) -> str:
    """The words of a clause before its first verb ("Russia denied the claim" → "Russia"), or ""."""
    words = clause.split()
    index = _first_verb(words)
    return _clean_subject(" ".join(words[:index])) if index else ""


def _acceptable(subject: str) -> bool:
    words = subject.split()
    if not words or len(words) > _MAX_SUBJECT_WORDS:
        return False
    if _bare(words[-1]) in _SUBJECT_PRONOUNS:
        return False  # "In recent talks he accused": the speaker is the pronoun, which names nobody
    if all(_bare(w) in _PRONOUNS | _CONJUNCTIONS for w in words):
        return False
    # A name does not end in "the" or "of", nor hold a verb ("Russia denied the" is half a clause).
    return _bare(words[-1]) not in _DETERMINERS | _PREPOSITIONS and not _has_verb(subject)


_PROPER_NAME = re.compile(r"(?:[A-Z][\w\u2019'.-]+\s+){1,3}[A-Z][\w\u2019'-]+")


def _before_apposition(text: str, comma: int, window: int) -> str:
    """The name before an aside set off by commas: "After the video appeared, Serhiy Cherevatyi, spokesman
    for the eastern command, told …" → "Serhiy Cherevatyi"; "" when the words there are no name."""
    opening = text.rfind(",", window, comma)
    if opening < 0:
        return ""
    before = text.rfind(",", window, opening)
    name = text[before + 1 : opening].strip()
    words = name.split()
    if not words or len(words) > _MAX_SUBJECT_WORDS or _OPENS_WITH_PREPOSITION.match(name):
        return ""
    if not (words[0][0].isupper() or _bare(words[0]) in _DETERMINERS) or noun_phrase(name) != name.rstrip("."):
        return ""
    aside = text[opening + 1 : comma].strip()
    if _PROPER_NAME.fullmatch(aside):
        # "Ukraine's governor of Donetsk, Pavlo Kyrylenko, said": the aside is the speaker's name, the
        # words before it his title; both together are the speaker as written.
        return f"{name}, {aside}"
    return name


def _clause_start_before(text: str, window: int, position: int) -> re.Match[str] | None:
    """The last clause start in text[window:position]; a bracket closed before ``position`` is an aside, not a
    clause ("the Observatory (SOHR) said"), and "that" after a preposition a determiner."""
    for found in reversed(list(_CLAUSE_START.finditer(text, window, position))):
        if found.group() in "([" and text.find(")]"[found.group() == "["], found.end(), position) >= 0:
            continue
        if found.group().lower() == "that" and _DETERMINER_THAT.search(text, max(0, found.start() - 12), found.end()):
            continue
        return found
    return None


def _subject(text: str, verb_start: int) -> tuple[str, ...]:
    """The subject of the verb at ``verb_start``, as written, or () when there is none worth keeping."""
    # Look back a bounded window only: a subject of at most 12 words fits in it, and a sentence with
    # thousands of verbs stays linear.
    window = max(0, verb_start - _SUBJECT_WINDOW)
    last = _clause_start_before(text, window, verb_start)
    if last is not None and last.group() == "," and not text[last.end() : verb_start].strip():
        # A participle after a comma ("…, saying", "…, claiming") shares the subject of the clause it
        # follows: "Shortly after the attacks began, a spokesman called VOA, saying …" → "a spokesman".
        if text[verb_start:].split(None, 1)[0].lower().endswith("ing"):
            before = _clause_start_before(text, window, last.start())
            main = _subject_of_clause(text[before.end() if before else 0 : last.start()])
            if _acceptable(main):
                return (main,)
    if last is None and window > 0:
        return ()  # the clause began before the window: far too long to be a subject
    if last is not None and last.group().lower() in ("which", "who", "whom", "whose"):
        return ()  # a relative clause: the subject is a noun elsewhere
    clause_start = last.end() if last else 0
    candidate = text[clause_start:verb_start]
    # "…, while partly encircling its outskirts although officials described …": a subordinate clause
    # opened inside the stretch has its own subject, after the conjunction.
    candidate = _SUBORDINATOR.split(candidate)[-1]
    # "Russia denied the claim but said …": a verb coordinated with an earlier one shares its subject;
    # "Fighting went on and the army said …": a new clause after a conjunction has its own.
    pieces = _COORDINATION.split(candidate)
    if len(pieces) > 1 and _has_verb(" ".join(pieces[:-1])):
        own = _clean_subject(pieces[-1])
        subject = own if own else _subject_of_clause(pieces[0])
    else:
        subject = _clean_subject(candidate)
    if _has_verb(subject):  # "Local rebel groups issued a statement claiming that": the clause's subject
        subject = _subject_of_clause(subject)
    if not subject and last is not None and last.group() == ",":
        subject = _before_apposition(text, last.start(), window)
    first_comma = text.find(",", 0, _SUBJECT_WINDOW)
    if not subject and last is not None and last.group() == "," and first_comma > 0:
        first_clause = text[:first_comma]
        if (
            len(first_clause.split()) <= _MAX_FIRST_CLAUSE_WORDS
            and not _OPENS_WITH_PREPOSITION.match(first_clause)
            and not first_clause.lstrip().startswith(('"', "\u201c", "'", "\u2018"))  # a quotation, not a name
        ):
            subject = _clean_subject(first_clause)
            if _has_verb(subject):
                subject = _subject_of_clause(subject)
    return (subject,) if _acceptable(subject) else ()


def _attributed_to(rule: HedgeRule, text: str, match: re.Match[str]) -> tuple[str, ...]:
    if rule.attribution == "groups":
        names = [match.group(name) for name in ("source", "source2") if name in rule.pattern.groupindex]
        return tuple(phrase for name in names if name and (phrase := noun_phrase(name)))
    if rule.attribution == "subject":
        return _subject(text, match.start("verb") if "verb" in rule.pattern.groupindex else match.start())
    return ()


def _phrase(rule: HedgeRule, match: re.Match[str], attributed: tuple[str, ...]) -> str:
    """The words reported: the ``phrase`` group (or the whole match), cut after the speaker's noun phrase
    when the phrase ends with the source ("According to a source familiar with the matter")."""
    if "phrase" not in rule.pattern.groupindex:
        return match.group().strip()
    phrase = match.group("phrase")
    if "source" in rule.pattern.groupindex and match.group("source") and match.end("phrase") == match.end("source"):
        source = match.group("source")
        offset = len(source) - len(source.lstrip())
        if attributed and source.lstrip().startswith(attributed[0]):
            phrase = phrase[: len(phrase) - len(source) + offset + len(attributed[0])]
    return phrase.strip()


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
            if rule.accept is not None and not rule.accept(text, match):
                continue
            attributed = _attributed_to(rule, text, match)
            phrase = _phrase(rule, match, attributed)
            if phrase.endswith(".") and not text[match.end() :].strip():
                phrase = phrase[:-1].rstrip()  # the sentence's own full stop is not part of the hedge
            hedge = Hedge(rule.kind, phrase, attributed, rule.name)
            starts.insert(at, start)
            taken.insert(at, (start, end, hedge))
    return tuple(hedge for _, _, hedge in taken)
