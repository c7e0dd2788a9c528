"""A synthetic article generator: prose in the sample's style, with markers, tags, hedges and dates.

Sentences are built from templates over actors, places, dates and numbers, so that a large article has
the variety of a real one (some claims share an event, most do not) instead of one paragraph repeated.
"""

from __future__ import annotations

import random

ACTORS = [
    "HTS",
    "the SNA",
    "the SDF",
    "the SAA",
    "opposition forces",
    "pro-government forces",
    "Russian forces",
    "the Southern Operations Room",
    "Turkish-backed militias",
    "Iranian-backed militias",
    "revolutionary groups",
]
MONTHS = ["November", "December"]
HEDGES = ["", "", "", "reportedly ", "allegedly "]
SOURCES = ["The Syrian Observatory for Human Rights", "Iranian state media", "Reuters", "SANA", "the Kyiv Post"]
TEMPLATES = [
    "On {day} {month}, {actor} {hedge}captured the village of {place}.",
    "{actor_cap} {hedge}took control of {place} after heavy fighting.",
    "{source} reported that {n} fighters were killed near {place}.",
    "According to {source_lc}, {actor} shelled {place}, killing {n} civilians.",
    "By the evening, {actor} had advanced towards {place} and cut the road to {place2}.",
    "Four others were killed in either a Syrian or Russian airstrike in {place}.",
    "A drone strike on {place} killed {n} people and injured {n2} others.",
    "The next day, {actor} withdrew from {place} to positions around {place2}.",
]


def _place(rng: random.Random) -> str:
    syllables = ["Al", "Tal", "Kafr", "Ain", "Deir", "Jabal", "Maarat", "Khan", "Abu", "Sheikh"]
    roots = ["Batikh", "Nabl", "Rifaat", "Hasel", "Zayn", "Qubtan", "Saloum", "Anaz", "Hawr", "Dabaa", "Numan"]
    return f"{rng.choice(syllables)} {rng.choice(roots)}{rng.randint(1, 400)}"


def sentence(rng: random.Random, marker: int) -> str:
    actor = rng.choice(ACTORS)
    source = rng.choice(SOURCES)
    text = rng.choice(TEMPLATES).format(
        day=rng.randint(26, 30) if rng.random() < 0.7 else rng.randint(1, 8), month=rng.choice(MONTHS),
        actor=actor, actor_cap=actor[0].upper() + actor[1:], hedge=rng.choice(HEDGES), place=_place(rng),
        place2=_place(rng), source=source, source_lc=source[0].lower() + source[1:] if source.startswith("the")
        else source, n=rng.randint(2, 60), n2=rng.randint(2, 60),
    )  # fmt: skip
    roll = rng.random()
    if roll < 0.75:
        text += f" [{marker}]"
    elif roll < 0.8:
        text += f" [{marker}] [ better source needed ]"
    return text


def article(n_sentences: int, *, seed: int = 7, per_paragraph: int = 6, title: str = "Synthetic offensive") -> str:
    rng = random.Random(seed)
    lines = [f"{title} | ||||||", "---|---|---|", "Belligerents | |||"]
    paragraph: list[str] = []
    for i in range(n_sentences):
        paragraph.append(sentence(rng, i + 1))
        if len(paragraph) == per_paragraph:
            day = rng.randint(26, 30)
            lines.append(f"On {day} November 2024, the offensive continued. " + " ".join(paragraph))
            paragraph = []
    if paragraph:
        lines.append(" ".join(paragraph))
    return "\n".join(lines) + "\n"
