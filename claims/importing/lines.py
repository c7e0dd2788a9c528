"""Which lines of a scraped article are prose, which are junk (and of what kind), and whether the first
line is a title.

A line is prose only when it reads as a sentence. The signals are general ones, none tuned to one text:

- *shape*: table rows (pipes), image and link stubs ``![…](…)`` / ``[…](…)`` (their URLs may hold
  brackets), bare URLs, file names (``Flag of X.svg``), hatnotes ("For other uses, see …", "Main article:"),
  ``label: value`` rows of an infobox;
- *lists*: a bulleted row of names, flags (regional-indicator emoji) or units that has no verb;
- *captions and links* of news pages: "Picture describing …", "Photo by …", "Read more …", "Watch: …";
- *page chrome* a scraper keeps around the article: accessibility and navigation links ("Accessibility
  links", "Skip to main content", "Jump to navigation"), account and sharing buttons ("Forgot Password?",
  "Bookmark and Share"), site notices ("Maintenance window scheduled …", "We use cookies …");
- *sentence*: a sentence end (``. ! ?``, closing quotes allowed) and two words or more, except a lone short
  question (a related-article link: a question asserts nothing); without a sentence end, a verb and either
  more words than a heading has (a paragraph that lost its full stop) or a citation marker at the end. A
  verb is an auxiliary, a common irregular form or a regular ``-ed`` / ``-ing`` form. Short lines without
  a sentence end are headings, headlines of related articles or infobox cells.

Each junk line gets a kind, so the import report can list what was skipped and why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .segment import Annotation

# Kinds of skipped lines, as the import report names them.
TABLE = "table row"
STUB = "image or link stub"
FILE = "file name"
HATNOTE = "hatnote"
LABEL = "label row"
LIST = "list of names"
CAPTION = "caption or link"
CHROME = "page chrome"
QUESTION = "question"
FRAGMENT = "not a sentence"

_TABLE_ROW = re.compile(r"^\||\|$|\|\s*\|")
# Image and link stubs; the caption and the URL may hold one level of nested brackets ("File_(01).jpg").
_STUB = re.compile(r"!?\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\((?:[^()\s]|\([^()\s]*\))*\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_FILE_NAME = re.compile(r"\S\.(?:svg|png|jpe?g|gif|tiff?|webp|pdf|ogg|ogv|webm|mp3|mp4)\b|\b(?:File|Image):\S", re.I)
_HATNOTE = re.compile(
    r"^(?:For (?:other|the|a|an|more|further|information)\b.{0,120}?,?\s*see"
    r"|(?:Main|Further) (?:articles?|information)\s*:"
    r"|See also\s*:"
    r"|This article is about\b"
    r"|Not to be confused with\b"
    r"|\S.{0,60} redirects here\b"
    r"|\"[^\"]{1,60}\" redirects here\b)",
    re.I,
)
# Picture captions and link lines that scrapers of news pages keep.
_CAPTION = re.compile(
    r"^(?:Picture describing|Pictured?:|Photo(?:graph)?:|(?:Photo(?:graph)?|Image|Video)\s+(?:by|courtesy of)\b"
    r"|Image:|Caption:|Video:|Watch:|Listen:|Read more\b|Related:|Also read\b|Click here\b|Sign up\b|Subscribe\b)",
    re.I,
)
# Page chrome: the labels of a page's accessibility, navigation, account and sharing links, and the notices a
# site shows on every page. A whole line of it, nothing else: "Breaking News" alone is a label, not a headline.
_CHROME = re.compile(
    r"^(?:accessibility links|skip (?:to (?:the )?)?(?:main )?(?:content|navigation)|skip navigation"
    r"|(?:jump to (?:navigation|content|search)\s*)+|toggle navigation|main menu|menu|search|home|breaking news"
    r"|sign in|log ?in|sign up|register|subscribe|forgot (?:your )?(?:password|username)\s*\??"
    r"|bookmark and share|share(?: this(?: article| story)?)?|print(?: this (?:article|story|page))?|e-?mail"
    r"|advertisement|close)\s*$"
    r"|^(?:scheduled )?(?:site )?maintenance (?:window|is scheduled)\b"
    r"|^(?:this (?:web)?site uses|we use) cookies\b|^your (?:web )?browser (?:is|does)\b"
    r"|^javascript is (?:disabled|required)\b",
    re.I,
)
# "Status: victory", "Units2: X Armed Forces, * X Army": a short label, a colon, a value.
_LABEL_VALUE = re.compile(r"^[\W\d_]*[A-Z][\w'’()/.-]*(?: [\w'’()/.-]+){0,3}\s*:\s")
_BULLET = re.compile(r"^\s*(?:[*#\u2022\u25aa\u25e6\u2023\u2043-]+|\d{1,3}[.)])\s")
_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TERMINALS = ".!?\u2026"
_CLOSERS = "\"')]\u201d\u2019\u00bb"
# A label row of an infobox or a section heading has at most this many words; a longer line without a
# final full stop is more likely a paragraph that lost it, and is kept when it has a verb.
_LABEL_MAX_WORDS = 12

# Auxiliaries, modals and the irregular forms that news prose uses most; regular verbs are caught by their
# -ed / -ing endings. Lower case; a word matches when its lower-case form is here.
_VERBS = frozenset(
    """
    is are was were be been being am isn't aren't wasn't weren't has have had having hasn't haven't hadn't
    do does did doesn't didn't done will would shall should can could may might must won't wouldn't can't
    cannot couldn't shouldn't
    say says said tell tells told take takes took taken go goes went gone come comes came fall falls fell
    fallen lead leads led hold holds held begin begins began begun fight fights fought leave leaves left
    make makes made see sees saw seen win wins won lose loses lost hit hits run runs ran become becomes
    became get gets got gotten give gives gave given find finds found keep keeps kept meet meets met send
    sends sent set sets strike strikes struck shoot shoots shot rise rises rose risen break breaks broke
    broken build builds built bring brings brought think thinks thought know knows knew known seek seeks
    sought stand stands stood spend spends spent pay pays paid put puts read reads cut cuts let lets lie
    lies lay lain drive drives drove driven fly flies flew flown withdraw withdraws withdrew withdrawn
    overrun overruns overran retake retakes retook retaken undertake undertook forgo forgoes forgone
    speak speaks spoke spoken stay stays remain remains seem seems appear appears mean means meant
    claim claims report reports state states deny denies accuse accuses warn warns vow vows urge urges
    kill kills die dies dead wound wounds capture captures seize seizes enter enters attack attacks
    launch launches open opens close closes end ends start starts continue continues include includes
    """.split()
)


def _words(prose: str) -> list[str]:
    return _WORD.findall(prose)


def has_verb(words: list[str]) -> bool:
    for word in words:
        lower = word.lower()
        if lower in _VERBS:
            return True
        if len(lower) >= 5 and (lower.endswith("ed") or lower.endswith("ing")) and not word[0].isupper():
            return True
    return False


def _ends_like_sentence(prose: str) -> bool:
    tail = prose.rstrip().rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _TERMINALS


def remove(text: str, annotations: list[Annotation]) -> str:
    """``text`` without its annotations (markers, tags, empty brackets), each replaced by a space."""
    pieces, last = [], 0
    for note in annotations:
        pieces.append(text[last : note.start])
        last = note.end
    pieces.append(text[last:])
    return " ".join(pieces)


def junk_kind(line: str, annotations: list[Annotation]) -> str | None:
    """The kind of junk ``line`` is, or None when it reads as prose."""
    stripped = line.strip()
    if _TABLE_ROW.search(stripped):
        return TABLE
    bare = remove(line, annotations)
    unstubbed = _URL.sub(" ", _STUB.sub(" ", bare)).replace("|", " ")
    words = _words(unstubbed)
    if not words:
        return STUB if (_STUB.search(bare) or _URL.search(bare)) else FRAGMENT
    if _FILE_NAME.search(unstubbed) and len(words) <= _LABEL_MAX_WORDS:
        return FILE
    if _HATNOTE.match(unstubbed.strip()):
        return HATNOTE
    if _CAPTION.match(unstubbed.strip()):
        return CAPTION
    if _CHROME.match(stripped):
        return CHROME
    verb = has_verb(words)
    sentence_end = _ends_like_sentence(unstubbed)
    if _LABEL_VALUE.match(unstubbed) and not (sentence_end and verb):
        return LABEL
    if _FLAG.search(unstubbed) or (_BULLET.match(unstubbed) and not verb):
        return LIST
    if sentence_end and len(words) >= 2:  # a sentence end is a strong signal: when in doubt, keep text
        return QUESTION if _lone_question(unstubbed) and len(words) <= _QUESTION_MAX_WORDS else None
    if verb and (len(words) > _LABEL_MAX_WORDS or len(words) >= 3 and _ends_with_marker(line, annotations)):
        return None
    return LIST if "," in unstubbed and len(words) >= 3 else FRAGMENT


_QUESTION_MAX_WORDS = 15


def _lone_question(prose: str) -> bool:
    body = prose.strip().rstrip(_CLOSERS)
    return body.endswith("?") and not any(mark in body[:-1] for mark in ".!?")


def _ends_with_marker(line: str, annotations: list[Annotation]) -> bool:
    last = annotations[-1] if annotations else None
    return last is not None and last.kind in ("reference", "note") and not line[last.end :].strip()


# --- The title ---------------------------------------------------------------------------------------------
# The first line is the title when it looks like one. A scraped page may open with page chrome instead
# ("Accessibility links", a masthead, a site notice): then the headline is looked for below it, among the
# lines before the first paragraph of prose (claims/importing/parser.py).

_TITLE_TAIL = re.compile(r"[|\s-]+$")
# A dated lead ("On 27 November 2024, …", "By 8 December …") or a wire dateline ("BEIRUT (Reuters) - …").
_DATED_START = re.compile(
    r"^(?:On|By|In|As of|Since|Until|From|Early on|Late on)\s+(?:the\s+)?\d"
    r"|^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w .]+)?\s*(?:\([\w .]+\)\s*)?[-\u2013\u2014]\s",
)
_TITLE_MAX_WORDS = 20


# A logo's alt text, a form's placeholder or a note wholly in brackets, a byline: never the headline.
_LOGO = re.compile(r"\blogo$", re.I)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_BYLINE = re.compile(r"^By\s+[A-Z]")


def _script(text: str) -> str | None:
    """The writing system most of the letters of ``text`` are in ("LATIN", "BENGALI", "CYRILLIC", "CJK"…)."""
    counts = Counter(
        "LATIN" if char.isascii() else unicodedata.name(char, "").split(" ", 1)[0] for char in text if char.isalpha()
    )
    return counts.most_common(1)[0][0] if counts else None


def is_page_chrome(line: str, text_script: str | None = None) -> bool:
    """Whether a line at the top of a page is page chrome rather than a headline: a link or button label or a
    site notice, a logo's alt text ("… Logo"), a placeholder in brackets ("(e.g. yourname@email.com)"), a
    name printed twice ("Department of Defense Department of Defense": a logo's alt text, then the name), or
    a line in another script than the text's (the site's own language: "অ্যাকসেসিবিলিটি লিংক" above an
    English story)."""
    stripped = " ".join(line.split())
    if not stripped:
        return False
    if _CHROME.match(stripped) or _LOGO.search(stripped) or _BRACKETED.fullmatch(stripped):
        return True
    words = stripped.split()
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return True
    script = _script(stripped)
    return text_script is not None and script is not None and script != text_script


def text_script(text: str) -> str | None:
    """The script of a text, from a sample of its letters (enough to tell; a long text stays cheap)."""
    return _script(text[:2000])


def headline_candidate(line: str, annotations: list[Annotation], script: str | None) -> int:
    """The number of words of ``line`` when it may be the headline below page chrome, else 0."""
    if is_page_chrome(line, script) or _BYLINE.match(line.strip()) or not looks_like_title(line, annotations):
        return 0
    return len(clean_title(line, annotations).split())


def clean_title(line: str, annotations: list[Annotation]) -> str:
    return " ".join(_TITLE_TAIL.sub("", remove(line, annotations)).lstrip("\ufeff").split())  # BOM: not space


def looks_like_title(line: str, annotations: list[Annotation]) -> bool:
    """A title is short, has no sentence end and is not a dated lead or a dateline."""
    title = clean_title(line, annotations)
    if not title or _TABLE_ROW.search(title) or _DATED_START.match(title):
        return False
    if len(title.split()) > _TITLE_MAX_WORDS:
        return False
    return not _ends_like_sentence(title) or title.endswith("?") and len(title.split()) <= 12
