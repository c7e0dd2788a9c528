"""Importing the sample article: claims anchored to their words, citations, tags, hedges, dates; re-imports."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Article, ArticleRevision, Citation, Claim, ClaimCitation, Job, Review, Source
from claims.services import claim_decide, claim_start_review
from claims.services.importing import ImportRefused, article_import, citations_import_csv, decode_article
from tests.jobs import admin_import

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "northwestern_syria_offensive.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
URL = "https://en.wikipedia.org/wiki/Northwestern_Syria_offensive_(2024)"


@pytest.fixture
def sample(editor, sources):
    report = article_import(text=SAMPLE_TEXT, url=URL, actor=editor)
    return Article.objects.get(pk=report.article_id), report


def claim_containing(article, words: str) -> Claim:
    return Claim.objects.get(article=article, text__contains=words)


def labels(claim: Claim) -> list[str]:
    return list(claim.claim_citations.order_by("position", "pk").values_list("citation__label", flat=True))


def test_title_and_no_claim_from_the_infobox(sample):
    article, report = sample
    assert article.title == "Northwestern Syria offensive"
    assert report.junk_lines >= 12
    infobox_words = ("Belligerents", "Casualties and losses", "Commanders and leaders", "![]()", "|")
    assert not any(Claim.objects.filter(article=article, text__contains=w).exists() for w in infobox_words)


def test_every_marker_of_the_file_becomes_a_citation(sample):
    article, _ = sample
    in_text = set(re.findall(r"\[(\d+|note \d+)\]", SAMPLE_TEXT))
    assert set(Citation.objects.filter(article=article).values_list("label", flat=True)) == in_text
    numeric = {label for label in in_text if label.isdigit()}
    linked = set(ClaimCitation.objects.filter(claim__article=article).values_list("citation__label", flat=True))
    assert numeric <= linked  # every numeric marker is attached to a claim
    assert Citation.objects.get(article=article, label="note 1").kind == "note"
    assert Citation.objects.get(article=article, label="note 3").kind == "note"
    assert Citation.objects.get(article=article, label="54").kind == "reference"


def test_codenamed_sentence_keeps_its_note_and_trailing_markers(sample):
    article, _ = sample
    claim = claim_containing(article, "Codenamed Deterrence of Aggression")
    assert labels(claim)[0] == "note 3"
    assert set(labels(claim)) == {"note 3", "52", "53", "54"}
    assert "[" not in claim.text and "]" not in claim.text
    assert claim.text.endswith("since the March 2020 Idlib ceasefire.")
    # The note stood inside the sentence: its position is inside the text, the others at its end.
    positions = dict(claim.claim_citations.values_list("citation__label", "position"))
    assert positions["note 3"] < len(claim.text) and positions["54"] == len(claim.text)


def test_reportedly_of_russian_origin(sample):
    article, _ = sample
    claim = claim_containing(article, "An airstrike, reportedly of Russian origin")
    assert labels(claim) == ["83"]
    assert claim.hedge_kind == "reported" and "reportedly" in claim.hedge_phrase


def test_better_source_needed_stays_on_its_own_sentence(sample):
    article, _ = sample
    claim = claim_containing(article, "Syrian Free Army advanced into the capital from the southeast")
    assert labels(claim) == ["121", "122"]  # "…into Homs, [121] while the Syrian Free Army … [122]"
    assert claim.tags == ["better_source_needed"]
    following = claim_containing(article, "rebel forces entered the city's Barzeh neighborhood")
    assert following.tags == [] and labels(following) == ["123"]


def test_event_date_of_28_november(sample):
    article, _ = sample
    claim = claim_containing(article, "HTS launched an offensive on the eastern Idlib countryside")
    assert str(claim.event_date) == "2024-11-28"
    assert (claim.event_date_precision, claim.event_date_origin) == ("day", "explicit")


def test_attributions_are_kept_and_linked_to_known_sources(sample):
    article, _ = sample
    kyiv = claim_containing(article, "some Islamist social media accounts said")
    assert "Kyiv Post" in kyiv.attributed_to and "Islamist social media accounts" in kyiv.attributed_to
    assert kyiv.attributed_source == Source.objects.get(name="Kyiv Post")
    iran = claim_containing(article, "Iranian state media reported")
    assert "Iranian state media" in iran.attributed_to
    assert iran.attributed_source.name == "Iranian state media"
    either = claim_containing(article, "either a Syrian or Russian airstrike")
    assert either.hedge_kind == "speculative"


def test_closing_paragraphs_without_markers_need_a_source(sample):
    article, _ = sample
    for words in ("The latest offensive has been led by", "brought into focus the conflict's knotted geopolitics",
                  "also claim to be in control of all of Idlib province"):  # fmt: skip
        claim = claim_containing(article, words)
        assert claim.status == "needs_source" and labels(claim) == []


def test_anchor_points_at_the_words_in_the_revision(sample):
    article, _ = sample
    revision = article.current_revision
    lines = [line for line in revision.text.splitlines()]
    for claim in Claim.objects.filter(article=article)[:40]:
        assert claim.revision_id == revision.pk and claim.anchor_state == "anchored"
        assert claim.start < claim.end
        paragraph = next(line for line in lines if claim.prefix + "" in line and claim.text[:20] in line)
        assert paragraph[claim.start : claim.end].startswith(claim.text[:15])
        assert len(claim.prefix) <= 32 and len(claim.suffix) <= 32


def test_history_names_the_importer_and_the_revision(sample, editor):
    article, report = sample
    reason = f"imported from revision {report.sha256[:12]}"
    claim = Claim.objects.filter(article=article).first()
    first = claim.history.order_by("history_id").first()
    assert first.history_user == editor and first.history_change_reason == reason
    citation = Citation.objects.filter(article=article).first()
    assert citation.history.first().history_change_reason == reason


def test_reimporting_the_same_text_changes_nothing(sample, editor):
    article, _ = sample
    counts = [m.objects.count() for m in (Claim, Citation, ClaimCitation, ArticleRevision)]
    history = [m.history.count() for m in (Claim, Citation, ClaimCitation, Article)]
    report = article_import(text=SAMPLE_TEXT, url=URL, actor=editor)
    assert report.noop and "nothing changed" in report.as_text()
    assert [m.objects.count() for m in (Claim, Citation, ClaimCitation, ArticleRevision)] == counts
    assert [m.history.count() for m in (Claim, Citation, ClaimCitation, Article)] == history


def test_import_cost_grows_with_batches_not_claims(editor, sources):
    small = "Small article\n" + " ".join(f"HTS captured village {i}. [{i}]" for i in range(1, 11)) + "\n"
    big = "Big article\n" + " ".join(f"HTS captured village {i}. [{i}]" for i in range(1, 401)) + "\n"
    with CaptureQueriesContext(connection) as few:
        article_import(text=small, actor=editor, suggest_relations=False)
    with CaptureQueriesContext(connection) as many:
        article_import(text=big, actor=editor, suggest_relations=False)
    assert Claim.objects.filter(article__title="Big article").count() == 400
    # 40× the claims within one batch: the same number of queries, give or take the batched rescoring.
    assert len(many.captured_queries) <= len(few.captured_queries) + 4


def edited(text: str) -> str:
    text = text.replace(
        "Four civilians were killed and two others were injured by HTS shelling",
        "Five civilians were killed and two others were injured by HTS shelling",
    )  # a sentence changed
    text = text.replace(
        "A Russian airstrike killed fifteen civilians in Atarib in the western Aleppo countryside. ", ""
    )  # a sentence deleted
    marker = "On 28 November, HTS launched"
    return text.replace(marker, "A new paragraph was inserted here for the test. [200]\n" + marker)  # inserted


def test_a_new_revision_reanchors_claims(sample, editor, reviewer):
    article, _ = sample
    changed = claim_containing(article, "Four civilians were killed and two others were injured by HTS shelling")
    deleted = claim_containing(article, "A Russian airstrike killed fifteen civilians in Atarib")
    moved = claim_containing(article, "HTS launched an offensive on the eastern Idlib countryside")
    untouched = claim_containing(article, "Codenamed Deterrence of Aggression")
    claim_start_review(claim_id=changed.pk, actor=reviewer)
    changed.refresh_from_db()
    claim_decide(claim_id=changed.pk, status="verified", note="matches SOHR", seen_version=changed.version,
                 actor=reviewer)  # fmt: skip
    before = Claim.objects.filter(article=article).count()

    report = article_import(text=edited(SAMPLE_TEXT), url=URL, actor=editor)

    assert not report.noop and report.created == 1 and report.changed == 1 and report.orphaned == 1
    assert Claim.objects.filter(article=article).count() == before + 1  # orphans are kept, never deleted
    changed.refresh_from_db()
    assert changed.text.startswith("Five civilians") and changed.anchor_state == "changed"
    assert changed.status == "in_review"  # a decided claim whose text changed goes back to review
    assert changed.reopened and Claim.objects.filter(reopened=True).count() == 1  # and is counted as reopened
    assert "back to review" in changed.history.order_by("-history_id").first().history_change_reason
    deleted.refresh_from_db()
    assert deleted.anchor_state == "orphaned"
    moved.refresh_from_db()
    # A paragraph inserted above shifts its paragraph number; its own words and order are unchanged (#10).
    assert moved.anchor_state == "anchored" and moved.paragraph_index > 0
    untouched.refresh_from_db()
    assert untouched.anchor_state == "anchored" and untouched.revision == article.revisions.latest()
    new = claim_containing(article, "A new paragraph was inserted here for the test.")
    assert labels(new) == ["200"]
    decision, reopening = Review.objects.filter(claim=changed).order_by("created_at", "pk")  # both in the log
    assert (decision.to_status, reopening.from_status, reopening.to_status) == ("verified", "verified", "in_review")
    assert reopening.reviewer == editor and "Five civilians" in reopening.note and "Four civilians" in reopening.note
    assert reopening.claim_version == changed.version


def _paragraphs_swapped(text: str, first: str, second: str) -> str:
    lines = text.split("\n")
    a = next(i for i, line in enumerate(lines) if line.startswith(first))
    b = next(i for i, line in enumerate(lines) if line.startswith(second))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def test_moving_one_paragraph_marks_only_its_claims_moved(sample, editor):
    article, _ = sample
    # The "On 2 December, Russia again launched airstrikes" paragraph goes up, above "On 28 November".
    lines = SAMPLE_TEXT.split("\n")
    source = next(i for i, line in enumerate(lines) if line.startswith("On 2 December, Russia again launched"))
    target = next(i for i, line in enumerate(lines) if line.startswith("On 28 November, HTS launched"))
    moving = lines.pop(source)
    lines.insert(target, moving)
    total = Claim.objects.filter(article=article).count()

    report = article_import(text="\n".join(lines), url=URL, actor=editor)

    in_paragraph = Claim.objects.filter(article=article, text__in=[s for s in _sentence_texts(moving)])
    assert in_paragraph.count() >= 2
    assert set(in_paragraph.values_list("anchor_state", flat=True)) == {"moved"}
    assert report.moved == in_paragraph.count()
    assert report.unchanged == total - report.moved
    assert Claim.objects.filter(article=article, anchor_state="anchored").count() == total - report.moved


def _sentence_texts(line: str) -> list[str]:
    from claims.importing import parse_article

    return [s.text for p in parse_article("Title\n" + line).paragraphs for s in p.sentences]


def test_a_sentence_whose_neighbour_changed_is_moved(sample, editor):
    article, _ = sample
    after = claim_containing(article, "Four others were killed in either a Syrian or Russian airstrike")
    far = claim_containing(article, "Codenamed Deterrence of Aggression")
    text = SAMPLE_TEXT.replace(
        "A Russian airstrike killed fifteen civilians in Atarib in the western Aleppo countryside. ", ""
    )
    article_import(text=text, url=URL, actor=editor)
    after.refresh_from_db()
    far.refresh_from_db()
    assert after.anchor_state == "moved"  # the sentence before it is gone: its neighbourhood changed
    assert far.anchor_state == "anchored"


def test_a_decided_claim_whose_sentence_is_removed_is_reopened(sample, editor, reviewer):
    article, _ = sample
    doomed = claim_containing(article, "A Russian airstrike killed fifteen civilians in Atarib")
    kept = claim_containing(article, "Codenamed Deterrence of Aggression")
    for claim in (doomed, kept):
        claim_start_review(claim_id=claim.pk, actor=reviewer)
        claim.refresh_from_db()
        claim_decide(
            claim_id=claim.pk, status="verified", note="checked", seen_version=claim.version, actor=reviewer,
            override_reason="confirmed by the desk's own call to the hospital",  # the Atarib sentence has no marker
        )  # fmt: skip
    text = SAMPLE_TEXT.replace(
        "A Russian airstrike killed fifteen civilians in Atarib in the western Aleppo countryside. ", ""
    )

    report = article_import(text=text, url=URL, actor=editor)

    doomed.refresh_from_db()
    kept.refresh_from_db()
    assert (doomed.anchor_state, doomed.status) == ("orphaned", "in_review")
    assert kept.status == "verified"
    assert report.orphaned == 1 and report.returned_to_review == 1
    decision, reopening = Review.objects.filter(claim=doomed).order_by("created_at", "pk")
    assert (decision.to_status, reopening.from_status, reopening.to_status) == ("verified", "verified", "in_review")
    assert "sentence removed from the article in revision 2" in reopening.note
    assert reopening.claim_version == doomed.version
    last = doomed.history.order_by("-history_id").first()
    assert "sentence removed from the article in revision 2" in last.history_change_reason
    assert last.history_user == editor


def test_import_report_lists_skipped_lines_by_kind(editor):
    text = (
        "Siege of Example\n"
        "Kurdistan[7]\n"
        "For the later battle, see Second Siege of Example.\n"
        "The garrison surrendered on 4 May 2021. [1]\n"
        "Banner of the 5th Corps.svg Ali Example\n"
    )
    report = article_import(text=text, actor=editor)
    assert report.created == 1 and report.junk_lines == 3
    assert {kind: [r["line"] for r in rows] for kind, rows in report.junk_by_kind().items()} == {
        "file name": [5], "hatnote": [3], "not a sentence": [2],
    }  # fmt: skip
    out = report.as_text()
    assert "skipped lines (not claims), by kind:" in out and "line 2: Kurdistan[7]" in out
    assert ArticleRevision.objects.get(article_id=report.article_id).report["junk"][0]["kind"] == "not a sentence"


def test_given_title_keeps_the_first_line_as_a_claim(editor):
    text = "Rebels took the bridge at dawn, the army said.\nTroops fled south. [3]\n"
    report = article_import(text=text, title="Bridge battle", actor=editor)
    article = Article.objects.get(pk=report.article_id)
    assert article.title == "Bridge battle"
    assert list(article.claims.order_by("paragraph_index").values_list("text", flat=True)) == [
        "Rebels took the bridge at dawn, the army said.", "Troops fled south.",
    ]  # fmt: skip
    # The same title-less text gets its title from its lead, and still keeps the lead as a claim.
    untitled = article_import(text="Rebels took the bridge at dawn.\nTroops fled.\n", actor=editor)
    assert untitled.title == "Rebels took the bridge at dawn." and untitled.created == 2


def snapshot():
    models = (Article, ArticleRevision, Citation, Claim, ClaimCitation)
    return [m.objects.count() for m in models] + [m.history.count() for m in models if hasattr(m, "history")]


BAD_BYTES = [
    (b"", "the file is empty"),
    (b"   \n\n  ", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Title\nCaf\u00e9 au lait.\n".encode("latin-1"), "not valid UTF-8"),
    (b"Title | ||||\n---|---|---|\n| ||||\n![]() | ||||\n", "no prose"),
]


@pytest.mark.parametrize(("data", "message"), BAD_BYTES, ids=["empty", "blank", "binary", "latin1", "junk"])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(editor, data, message, tmp_path):
    before = snapshot()
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message) as err:
        call_command("import_article", str(path), "--user", "editor")
    assert str(path) in str(err.value)
    assert snapshot() == before


def test_too_large_is_refused(editor, settings):
    settings.CLAIMS_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportRefused, match="larger than the import limit of 1,000 bytes"):
        decode_article(SAMPLE_TEXT.encode(), name="big.txt")


def test_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="unknown user 'nobody'"):
        call_command("import_article", str(SAMPLE), "--user", "nobody")


def test_a_viewer_may_not_import(viewer):
    with pytest.raises(Exception, match="may not import"):
        article_import(text=SAMPLE_TEXT, actor=viewer)
    assert not Article.objects.exists()


def test_command_prints_the_report_and_dry_run_saves_nothing(editor, sources, capsys):
    call_command("import_article", str(SAMPLE), "--user", "editor", "--dry-run")
    out = capsys.readouterr().out
    assert "DRY RUN" in out and "claims:" in out and "junk lines skipped" in out and "without citation" in out
    assert not Claim.objects.exists()
    call_command("import_article", str(SAMPLE), "--user", "editor", "--url", URL)
    out = capsys.readouterr().out
    assert re.search(r"claims: \d+ created", out) and "better_source_needed 1" in out
    assert Claim.objects.exists()


REFS_HEADER = "label,url,title,author,publisher,published,accessed,archive_url,quote\n"


def test_references_csv_completes_citations_and_links_publishers(sample, editor):
    article, _ = sample
    data = REFS_HEADER + (
        '54,https://www.reuters.com/world/x,"Syrian rebels launch offensive",Staff,Reuters,2024-11-27,2024-12-01,,\n'
        "58,https://www.kyivpost.com/post/1,Ukraine trained rebels?,,Kyiv Post,2024-12-02,,,\n"
    )
    report = citations_import_csv(article=article, data=data.encode(), actor=editor, name="refs.csv")
    assert report.updated == 2 and report.sources_linked == 2
    c54 = Citation.objects.get(article=article, label="54")
    assert c54.title == "Syrian rebels launch offensive" and c54.source.name == "Reuters"
    assert str(c54.published) == "2024-11-27"
    assert c54.history.order_by("-history_id").first().history_change_reason == "completed from refs.csv"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("label,url,title\n54,,x\n", "line 1: missing column(s) author, publisher, published"),
        (REFS_HEADER + "54,,,,,2024-13-01,,,\n", "line 2: published '2024-13-01' is not a date"),
        (REFS_HEADER + "999,,,,,,,,\n", "line 2: label '999' is not a citation"),
        (REFS_HEADER + "54,ftp://x,,,,,,,\n", "line 2: url 'ftp://x' is not an http"),
        (REFS_HEADER + "54,,,,,,,http://0,\n", "line 2: archive_url 'http://0' is not a valid URL"),  # make fuzz
        ("", "the file is empty"),
    ],
    ids=["missing-columns", "bad-date", "unknown-label", "bad-url", "hostless-archive-url", "empty"],
)
def test_malformed_references_csv_is_refused_whole(sample, editor, data, message):
    article, _ = sample
    good_row = "53,https://www.reuters.com/y,Fine row,,Reuters,2024-11-28,,,\n"
    data = data + good_row if data.startswith(REFS_HEADER) else data
    before = snapshot()
    with pytest.raises(ImportRefused, match=re.escape(message)) as err:
        citations_import_csv(article=article, data=data.encode(), actor=editor, name="refs.csv")
    assert "refs.csv" in str(err.value)
    assert snapshot() == before
    assert Citation.objects.get(article=article, label="53").title == ""


def test_admin_import_page_for_editors(client, editor, sources, viewer):
    client.force_login(editor)
    page = client.get("/admin/claims/article/import/")
    assert page.status_code == 200
    # A dry run answers at once with the report; a real import becomes a background job (tests/test_jobs.py).
    response = client.post("/admin/claims/article/import/", {"text": SAMPLE_TEXT, "url": URL, "dry_run": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Import report" in body and "claims:" in body and "dry run" in body
    assert not Claim.objects.filter(article__url=URL).exists()
    queued = client.post("/admin/claims/article/import/", {"text": SAMPLE_TEXT, "url": URL})
    job = Job.objects.get(started_by=editor, kind=Job.Kind.IMPORT)
    assert queued.status_code == 302 and queued["Location"] == f"/admin/claims/job/{job.pk}/change/"
    assert job.state == Job.State.QUEUED and job.params["url"] == URL
    refused = client.post("/admin/claims/article/import/", {"file": SimpleUploadedFile("a.bin", b"\x00\x01 binary")})
    assert "Nothing was imported" in refused.content.decode() and "a.bin" in refused.content.decode()
    assert Job.objects.count() == 1
    client.force_login(viewer)
    assert client.get("/admin/claims/article/import/").status_code == 403


def test_references_command(sample, editor, tmp_path, capsys):
    article, _ = sample
    good = tmp_path / "refs.csv"
    good.write_text(REFS_HEADER + "83,https://www.aljazeera.com/news/x,Airstrike on Aleppo,,Al Jazeera,2024-11-30,,,\n")
    call_command("import_references", str(article.pk), str(good), "--user", "editor")
    assert "1 citation(s) completed" in capsys.readouterr().out
    assert Citation.objects.get(article=article, label="83").source.name == "Al Jazeera"
    bad = tmp_path / "bad.csv"
    bad.write_text(REFS_HEADER + "83,,,,,30/11/2024,,,\n")
    with pytest.raises(CommandError, match=r"bad.csv: line 2: published '30/11/2024' is not a date"):
        call_command("import_references", article.title, str(bad), "--user", "editor")
    with pytest.raises(CommandError, match="no article 'Nope'"):
        call_command("import_references", "Nope", str(good))


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as in production
def test_admin_import_page_lists_the_skipped_lines_by_kind(client, editor):
    client.force_login(editor)
    text = (
        "Siege of Example\n"
        "Picture describing Troops patrol the old city\n"
        "Kurdistan[7]\n"
        "The garrison surrendered on 4 May 2021. [1]\n"
    )
    body = admin_import(client, {"text": text})  # the job page the import lands on, once the worker ran it
    assert 'id="skipped-lines"' in body and "2 lines did not become claims" in body
    assert "caption or link (1)" in body and "Picture describing Troops patrol the old city" in body
    assert "not a sentence (1)" in body and "Kurdistan[7]" in body
    # With a title given, the first line is content: here a heading, so it is listed rather than dropped.
    body = admin_import(client, {"text": text, "title": "Siege of Example, 2021"})
    assert "3 lines did not become claims" in body and "Siege of Example</td>" in body
