"""Whatever bytes a user uploads, each reader answers with a parsed article or a ParseError, nothing else."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.importing import ParseError
from claims.importing.html import parse_html
from claims.importing.news import parse_news
from claims.importing.wikitext import parse_wikitext

# Text made of the markup each reader cares about, so the examples reach its branches.
PIECES = st.sampled_from([
    "'''X''' ", "Text. ", "[[A|b]] ", "[[File:x.png|thumb]]", "{{cite web|url=https://a.org|title=T}}", "<ref>",
    "</ref>", "<ref name=a/>", "{{efn|n}}", "{{sfn|A|2000}}", "{{citation needed}}", "{{Infobox x|a=b}}", "\n",
    "\n== H ==\n", "{|\n|a\n|}", "<p>", "</p>", "<sup class='reference'><a href='#cite_note-1'>[1]</a></sup>",
    "<li id='cite_note-1'>", "<div class='mw-parser-output'>", "<table>", "&amp;", "#REDIRECT [[X]]", "}}", "{{",
])  # fmt: skip
MARKUP = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


@pytest.mark.parametrize("reader", [parse_wikitext, parse_html, parse_news])
@settings(max_examples=60, deadline=None)
@given(text=MARKUP)
def test_property_readers_parse_or_refuse(reader, text):
    try:
        parsed = reader(text, title="T")
    except ParseError:
        return
    assert parsed.paragraphs
    labels = [r.label for r in parsed.references]
    assert len(labels) == len(set(labels))  # one reference per label
