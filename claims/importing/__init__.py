"""Pure-Python article parsing: text in, paragraphs, sentences, markers, tags, hedges and dates out.

No Django import anywhere in this package (the import service in claims.services turns the result into
rows).
"""

from .dates import EventDate
from .hedges import Hedge, find_hedges
from .parser import JunkLine, Marker, Paragraph, ParsedArticle, ParseError, Sentence, parse_article
from .segment import split_sentences

__all__ = [
    "EventDate",
    "Hedge",
    "JunkLine",
    "Marker",
    "Paragraph",
    "ParseError",
    "ParsedArticle",
    "Sentence",
    "find_hedges",
    "parse_article",
    "split_sentences",
]
