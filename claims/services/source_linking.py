"""Linking the attributed-to text of a claim ("the Syrian Observatory for Human Rights war monitor", "SOHR",
"the Observatory") to a Source of the registry, so that the source's grade counts in the claim's confidence.

A source is known by its name and its aliases (``Source.aliases``). An attributed-to text names a source
when one of those occurs in it as whole words; the longest wins, so "Syrian Observatory for Human Rights"
beats "the Observatory". Case and a leading "the" do not matter, except for abbreviations (an alias written
in capitals, "SANA", "SOHR"), which must appear in capitals: "Sana" is a name, "SANA" the agency.

An article may also define its own abbreviations: "the Syrian Observatory for Human Rights (SOHR)" or
"SOHR (Syrian Observatory for Human Rights)". ``SourceMatcher.learn(text)`` reads these definitions, and
an abbreviation whose full name is a known source then names that source in this article's attributions
too. What is learned is kept for the one import; the registry is not changed.

Reads only: importing creates the matcher once per import (one query) and matches in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..models import Source

# "Full Name (ABBR)": two to nine capitalised words (with "of", "for", "the" … between them), then the
# abbreviation in brackets. "ABBR (Full Name)" the other way round.
_WORD = r"(?:[a-z]{1,3}-)?[A-Z][\w'’.-]*"  # "Observatory", "al-Sham"
_NAME = rf"[A-Z][\w'’.-]*(?:\s+(?:(?:of|for|the|and|on|in|de|al)\s+)*{_WORD}){{1,8}}"
_ABBREVIATION = r"[A-Z][A-Za-z&]*[A-Z]"  # at least two letters, first and last in capitals: SOHR, HTS, MoD
_DEFINITIONS = (
    re.compile(rf"(?P<name>{_NAME})\s+\((?P<abbr>{_ABBREVIATION})\)"),
    re.compile(rf"\b(?P<abbr>{_ABBREVIATION})\s+\((?P<name>{_NAME})\)"),
)


def _normalise(name: str) -> str:
    name = re.sub(r"[’'`]", "'", name.lower())
    name = re.sub(r"^the\s+", "", name.strip())
    return re.sub(r"\s+", " ", name)


def _is_abbreviation(alias: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&.]*[A-Z0-9.]", alias.strip()))


def abbreviations(text: str) -> dict[str, str]:
    """The abbreviations an article text defines: {"SOHR": "Syrian Observatory for Human Rights"}."""
    found: dict[str, str] = {}
    for pattern in _DEFINITIONS:
        for match in pattern.finditer(text):
            name, abbr = match.group("name"), match.group("abbr")
            initials = "".join(word[0] for word in name.split() if word[0].isupper())
            # The abbreviation's first letter begins one of the name's words: "Syrian Observatory … (SOHR)".
            if abbr[0] in initials and abbr not in found:
                found[abbr] = re.sub(r"^The\s+", "", name)
    return found


class SourceMatcher:
    """Finds the registered source an attributed-to text names (see the module docstring)."""

    def __init__(self, sources: Iterable[Source]):
        self._words: list[tuple[str, Source]] = []  # normalised name or alias, matched ignoring case
        self._capitals: list[tuple[str, Source]] = []  # abbreviations, matched as written
        for source in sources:
            for alias in [source.name, *(source.aliases or [])]:
                self._add(alias, source)
        self._sort()

    def _add(self, alias: str, source: Source) -> None:
        alias = (alias or "").strip()
        if _is_abbreviation(alias) and len(alias) >= 2:
            self._capitals.append((alias, source))
        elif len(_normalise(alias)) >= 3:
            self._words.append((_normalise(alias), source))

    def _sort(self) -> None:
        self._words.sort(key=lambda pair: -len(pair[0]))
        self._capitals.sort(key=lambda pair: -len(pair[0]))
        self._compile()

    def _compile(self) -> None:
        # Compiled once per alias (an import matches thousands of attributions against ~100 aliases), and each
        # attribution text matched once: a long article repeats the same few ("the Syrian Observatory …").
        self._word_patterns = [
            (re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)"), len(alias), source) for alias, source in self._words
        ]
        self._capital_patterns = [
            (re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])"), len(alias), source)
            for alias, source in self._capitals
        ]
        self._matched: dict[str, Source | None] = {}

    def learn(self, text: str) -> dict[str, Source]:
        """Take in the article's own abbreviations whose full name is a known source; returns them."""
        learned = {}
        for abbr, name in abbreviations(text).items():
            if self.match(abbr) is None and (source := self.match(name)) is not None:
                self._capitals.append((abbr, source))
                self._compile()
                learned[abbr] = source
        self._sort()
        return learned

    def match(self, text: str) -> Source | None:
        """The source the text names, or None. Whole words only; the longest name or alias wins."""
        if not text:
            return None
        if text in self._matched:
            return self._matched[text]
        normalised = _normalise(text)
        candidates = []
        for pattern, length, source in self._word_patterns:
            if pattern.search(normalised):
                candidates.append((length, source))
                break  # sorted longest first: the first hit is the longest word alias
        for pattern, length, source in self._capital_patterns:
            if pattern.search(text):
                candidates.append((length, source))
                break
        found = self._matched[text] = max(candidates, key=lambda pair: pair[0])[1] if candidates else None
        return found


def source_for_attribution(text: str, *, article_text: str = "") -> Source | None:
    """The registered source that an attributed-to text names, reading abbreviations the article defines."""
    matcher = SourceMatcher(Source.objects.all())
    if article_text:
        matcher.learn(article_text)
    return matcher.match(text)
