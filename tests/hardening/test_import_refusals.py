"""Imports refuse NUL bytes, control characters, over-long titles and fields with a message naming the
input and the place, and write nothing; UTF-16 with a byte-order mark is read."""

import codecs
import csv

import pytest
from django.urls import reverse

from claims.models import Article, ArticleRevision, Citation, Claim
from claims.services.importing import ImportRefused, article_import, citations_import_csv, decode_article
from tests.factories import ArticleFactory, CitationFactory
from tests.jobs import admin_import

pytestmark = pytest.mark.django_db

TEXT = "A short article\nThe airport was captured on 30 November.[1] The ceasefire held.[2]\n"
HEADER = "label,url,title,author,publisher,published,accessed,archive_url,quote\n"


def nothing_written():
    return not (Article.objects.exists() or ArticleRevision.objects.exists() or Claim.objects.exists())


def test_a_nul_byte_past_the_first_8_kb_of_a_file_is_refused_naming_its_line():
    data = (TEXT + "Filler sentence number one.\n" * 400).encode() + b"Broken \x00 line.\n"
    assert len(data) > 8192
    with pytest.raises(ImportRefused, match=r"upload\.txt: contains a NUL byte at line 403"):
        decode_article(data, name="upload.txt")


def test_pasted_text_with_a_nul_is_refused_and_nothing_is_written(editor):
    with pytest.raises(ImportRefused, match="the pasted text: contains a NUL byte at line 2"):
        article_import(text=TEXT.replace("held", "he\x00ld"), actor=editor, name="the pasted text")
    assert nothing_written()


def test_pasted_text_gets_the_control_character_check(editor):
    junk = TEXT + "\x01\x02\x03\x04\x05\x06\x07\x08" * 4
    with pytest.raises(ImportRefused, match="control characters"):
        article_import(text=junk, actor=editor, name="the pasted text")
    assert nothing_written()


def test_pasted_text_with_a_nul_through_the_admin_is_a_400_naming_the_field(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:claims_article_import"), {"text": TEXT + "\x00"})
    assert response.status_code == 400
    assert "'text'" in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_decoded(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    assert decode_article(bom + TEXT.encode(codec), name="a.txt") == TEXT


def test_utf16_without_a_byte_order_mark_is_refused_as_not_text():
    with pytest.raises(ImportRefused, match="a.txt: contains a NUL byte"):
        decode_article(TEXT.encode("utf-16-le"), name="a.txt")


def test_a_first_line_over_500_characters_is_refused_naming_the_title(editor):
    text = "T" * 600 + "\nThe airport was captured on 30 November.[1]\n"
    with pytest.raises(ImportRefused, match="the first line \\(used as the title\\) is 600 characters long"):
        article_import(text=text, actor=editor, name="long.txt")
    assert nothing_written()


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as in production
def test_a_first_line_over_500_characters_through_the_admin_is_a_form_message(client, editor):
    client.force_login(editor)
    text = "T" * 600 + "\nThe airport was captured on 30 November.[1]\n"
    page = admin_import(client, {"text": text})  # refused by the import job: its page says why
    assert "600 characters long" in page and "Nothing was changed" in page
    assert nothing_written()


@pytest.fixture
def article(db):
    article = ArticleFactory()
    CitationFactory(article=article, label="1")
    return article


def refused_csv(article, lead, body, match):
    before = list(Citation.objects.values_list("pk", "url", "title", "updated_at"))
    with pytest.raises(ImportRefused, match=match):
        citations_import_csv(article=article, data=(HEADER + body).encode(), actor=lead, name="refs.csv")
    assert list(Citation.objects.values_list("pk", "url", "title", "updated_at")) == before


def test_references_csv_with_a_nul_is_refused(article, lead):
    refused_csv(article, lead, "1,https://example.org/,Ti\x00tle,,,,,,\n", r"refs\.csv: line 2 contains a NUL byte")


def test_references_csv_title_over_500_characters_is_refused(article, lead):
    refused_csv(article, lead, f"1,,{'t' * 600},,,,,,\n", "line 2: title is 600 characters long; at most 500")


def test_references_csv_url_over_1000_characters_is_refused(article, lead):
    url = "https://example.org/" + "a" * 1200
    refused_csv(article, lead, f"1,{url},,,,,,,\n", "line 2: url is 1,220 characters long; at most 1000")


def test_references_csv_field_over_the_csv_limit_is_refused(article, lead):
    huge = "q" * (csv.field_size_limit() + 10)
    refused_csv(article, lead, f'1,,,,,,,,"{huge}"\n', "line 2: a field is longer than 131,072 characters")


def test_references_csv_refusal_through_the_admin_is_a_message(client, article, lead):
    client.force_login(lead)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("refs.csv", (HEADER + f"1,,{'t' * 600},,,,,,\n").encode())
    response = client.post(reverse("admin:claims_article_references", args=[article.pk]), {"file": upload})
    assert response.status_code == 200
    assert "title is 600 characters long" in response.content.decode()


def test_references_csv_header_over_the_csv_limit_is_refused(article, lead):
    huge = "h" * (csv.field_size_limit() + 10)
    with pytest.raises(ImportRefused, match="refs.csv: line 1: a field is longer than"):
        citations_import_csv(article=article, data=f'label,"{huge}"\n'.encode(), actor=lead, name="refs.csv")
