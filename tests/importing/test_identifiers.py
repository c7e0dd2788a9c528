"""Citation identifiers: which become a URL (the resolver Wikipedia links them to) and which stay data."""

import pytest

from claims.importing import identifiers as ids


@pytest.mark.parametrize(
    ("found", "url"),
    [
        ({"doi": "10.1000/a(b)c", "pmid": "1"}, "https://doi.org/10.1000/a(b)c"),
        ({"pmid": "16341006", "oclc": "5"}, "https://pubmed.ncbi.nlm.nih.gov/16341006"),
        ({"hdl": "10023/1234"}, "https://hdl.handle.net/10023/1234"),
        ({"jstor": "1234567"}, "https://www.jstor.org/stable/1234567"),
        ({"bibcode": "2005Natur.438..803L"}, "https://ui.adsabs.harvard.edu/abs/2005Natur.438..803L"),
        ({"oclc": "62265494"}, "https://www.worldcat.org/oclc/62265494"),
        ({"isbn": "978-0-8018-8221-0", "issn": "1038-5762"}, ""),
    ],
)
def test_resolver_url_prefers_the_work_and_never_links_an_isbn(found, url):
    assert ids.resolver_url(found) == url


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://doi.org/10.1101%2Fgr.197517.115", ("doi", "10.1101/gr.197517.115")),
        ("http://dx.doi.org/10.1038/nature04338", ("doi", "10.1038/nature04338")),
        ("https://www.ncbi.nlm.nih.gov/pubmed/24453982", ("pmid", "24453982")),
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3894170", ("pmc", "3894170")),
        ("https://www.worldcat.org/oclc/62265494", ("oclc", "62265494")),
        ("https://www.worldcat.org/issn/1038-5762", ("issn", "1038-5762")),
        ("https://arxiv.org/abs/1706.03762", ("arxiv", "1706.03762")),
        ("https://www.reuters.com/world/abc", None),
    ],
)
def test_rendered_links_are_recognised_as_identifiers(link, expected):
    assert ids.from_link(link) == expected


def test_invalid_values_and_text_mentions():
    assert ids.clean("isbn", "12345") == "" and ids.clean("doi", "not a doi") == ""
    assert ids.clean("pmc", "PMC3894154") == "3894154"
    assert ids.in_text("Oxford, 1999, ISBN 0-19-280243-X. doi:10.1000/xyz.") == {
        "isbn": "0-19-280243-X", "doi": "10.1000/xyz",
    }  # fmt: skip
    assert ids.is_resolver("https://doi.org/10.1/x") and not ids.is_resolver("https://www.nature.com/x")
