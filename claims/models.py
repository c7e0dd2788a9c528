"""The claim domain: sources, articles and their revisions, citations, claims, relations and reviews.

Models are thin: fields, constraints in the database, `__str__` and small properties. Every write goes
through `claims.services`, which records the acting user and a reason in history.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalChanges, HistoricalRecords


class RecordHistory(HistoricalRecords):
    """simple-history whose rows keep the user who made each change: deleting a user named in the record is
    refused (PROTECT), where simple-history would null the rows' user — an UPDATE of the append-only record,
    which the app's database role may not run (docs/operations.md), and a change with nobody behind it. Such a
    user is deactivated instead (claims/admin/users.py says so on the delete page)."""

    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        user = fields["history_user"]
        fields["history_user"] = models.ForeignKey(
            user.remote_field.model,
            null=True,
            related_name=self.user_related_name,
            on_delete=models.PROTECT,
            db_constraint=self.user_db_constraint,
        )
        return fields


def tracked(*, excluded_fields: tuple[str, ...] = ()) -> HistoricalRecords:
    """History with a big integer id, the change reason as free text and no per-column indexes copied."""
    return RecordHistory(
        history_id_field=models.BigAutoField(primary_key=True, serialize=False),
        history_change_reason_field=models.TextField(null=True),
        excluded_fields=list(excluded_fields),
        no_db_index=["source", "article", "revision", "citation", "claim", "claim_a", "claim_b", "publisher"],
    )


def history_models() -> list[type[models.Model]]:
    """The claims app's simple-history tables (every history model derives from HistoricalChanges)."""
    from django.apps import apps

    return [m for m in apps.get_app_config("claims").get_models() if issubclass(m, HistoricalChanges)]


class SourceManager(models.Manager):
    def get_by_natural_key(self, name: str) -> "Source":
        return self.get(name=name)


class Source(models.Model):
    """An outlet or organisation that citations point to, with how far the desk trusts it."""

    class Kind(models.TextChoices):
        NEWS_AGENCY = "news_agency", "news agency"
        NEWSPAPER = "newspaper", "newspaper"
        BROADCASTER = "broadcaster", "broadcaster"
        STATE_MEDIA = "state_media", "state media"
        MONITOR = "monitor", "monitor / NGO"
        GOVERNMENT = "government", "government / military"
        SOCIAL_MEDIA = "social_media", "social media"
        WIKI = "wiki", "wiki"
        ACADEMIC = "academic", "academic"
        OTHER = "other", "other"

    class Reliability(models.TextChoices):
        """The classes of Wikipedia's perennial sources list (WP:RSP)."""

        GENERALLY_RELIABLE = "generally_reliable", "generally reliable"
        NO_CONSENSUS = "no_consensus", "no consensus"
        GENERALLY_UNRELIABLE = "generally_unreliable", "generally unreliable"
        DEPRECATED = "deprecated", "deprecated"
        UNKNOWN = "unknown", "unknown"

    class Grade(models.TextChoices):
        """Admiralty (NATO) source reliability grade."""

        A = "A", "A – completely reliable"
        B = "B", "B – usually reliable"
        C = "C", "C – fairly reliable"
        D = "D", "D – not usually reliable"
        E = "E", "E – unreliable"
        F = "F", "F – reliability cannot be judged"

    name = models.CharField(max_length=200, unique=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names the article may use, e.g. ['SOHR', 'Syrian Observatory'].",
    )
    domain = models.CharField(max_length=200, blank=True, help_text="Web domain, e.g. kyivpost.com.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    reliability = models.CharField(max_length=24, choices=Reliability.choices, default=Reliability.UNKNOWN)
    grade = models.CharField(max_length=1, choices=Grade.choices, default=Grade.F)
    party_to_conflict = models.BooleanField(
        default=False,
        help_text="The source speaks for a party to the conflict it reports on (a belligerent's own media).",
    )
    reliability_basis = models.TextField(blank=True, help_text="Where the reliability class comes from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    objects = SourceManager()

    class Meta:
        ordering = ["name"]
        verbose_name = "source"
        verbose_name_plural = "sources"
        permissions = [("set_source_reliability", "Can set a source's reliability and grade")]
        constraints = [
            models.CheckConstraint(condition=Q(grade__in=["A", "B", "C", "D", "E", "F"]), name="source_grade_a_to_f"),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class Article(models.Model):
    """A published text whose statements the desk checks; its texts over time are ArticleRevisions."""

    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    language = models.CharField(max_length=16, default="en")
    licence = models.CharField(max_length=200, blank=True, help_text="e.g. CC BY-SA 4.0")
    attribution = models.TextField(blank=True, help_text="Who wrote it and where it came from.")
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Publication date, if known: dates wire copy's “on Thursday”, “yesterday”, “last week”.",
    )
    current_revision = models.ForeignKey(
        "ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        permissions = [("import_article", "Can import an article's text as claims")]
        indexes = [models.Index(fields=["url"], name="article_url_idx")]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """One imported text of an article, identified by its sha256; imports of the same text are no-ops."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    retrieved_at = models.DateTimeField(null=True, blank=True, help_text="When the text was fetched, if known.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    report = models.JSONField(default=dict, blank=True, help_text="The import report of this revision.")

    class Format(models.TextChoices):
        TEXT = "text", "plain text"
        WIKITEXT = "wikitext", "wikitext"
        HTML = "html", "Wikipedia HTML"
        NEWS = "news", "news page"

    format = models.CharField(max_length=10, choices=Format.choices, default=Format.TEXT)
    source = models.TextField(
        blank=True,
        help_text="The input as imported (wikitext or HTML) when it was not plain text; `text` is then the plain "
        "text the claims are anchored to, and sha256 is the input's.",
    )

    class Meta:
        ordering = ["article", "-imported_at", "-pk"]
        get_latest_by = "imported_at"
        verbose_name = "article revision"
        verbose_name_plural = "article revisions"
        constraints = [
            models.UniqueConstraint(fields=["article", "sha256"], name="revision_unique_per_article_sha256"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="revision_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.article} @ {self.sha256[:12]}"


class Citation(models.Model):
    """A reference as the article numbers it (`[54]`, `[note 3]`), completed by editors with its details."""

    class Kind(models.TextChoices):
        REFERENCE = "reference", "reference"
        NOTE = "note", "note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    label = models.CharField(max_length=40, help_text="As the article numbers it, without brackets: 54, note 3, a.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REFERENCE)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True, help_text="The publisher as the reference names it.")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="citations")
    published = models.DateField(null=True, blank=True)
    accessed = models.DateField(null=True, blank=True)
    archive_url = models.URLField(max_length=1000, blank=True)
    quote = models.TextField(blank=True)
    identifiers = models.JSONField(
        default=dict,
        blank=True,
        help_text='The work\'s identifiers by kind, e.g. {"doi": "10.1038/x", "isbn": "978-0-19-…"}. A DOI, PMID, '
        "arXiv… also gives the URL when the reference had none; an ISBN never does.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    class Meta:
        ordering = ["article", "kind", "pk"]
        verbose_name = "citation"
        verbose_name_plural = "citations"
        constraints = [
            models.UniqueConstraint(fields=["article", "label"], name="citation_unique_label_per_article"),
            models.CheckConstraint(condition=~Q(label=""), name="citation_label_not_empty"),
        ]

    def __str__(self) -> str:
        return f"[{self.label}] {self.title}".rstrip() if self.title else f"[{self.label}]"

    @property
    def is_complete(self) -> bool:
        return bool(self.url or self.title)


class ClaimStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "unreviewed"
    NEEDS_SOURCE = "needs_source", "needs source"
    IN_REVIEW = "in_review", "in review"
    VERIFIED = "verified", "verified"
    DISPUTED = "disputed", "disputed"
    REFUTED = "refuted", "refuted"
    UNVERIFIABLE = "unverifiable", "unverifiable"


OPEN_STATUSES = (ClaimStatus.UNREVIEWED, ClaimStatus.NEEDS_SOURCE, ClaimStatus.IN_REVIEW)
DECIDED_STATUSES = (
    ClaimStatus.VERIFIED,
    ClaimStatus.DISPUTED,
    ClaimStatus.REFUTED,
    ClaimStatus.UNVERIFIABLE,
)


class HedgeKind(models.TextChoices):
    NONE = "", "none"
    REPORTED = "reported", "reported"
    ALLEGED = "alleged", "alleged"
    ATTRIBUTED = "attributed", "attributed"
    SPECULATIVE = "speculative", "speculative"
    DISPUTED = "disputed", "disputed"


class CleanupTag(models.TextChoices):
    """Wikipedia cleanup tags kept as flags on a claim."""

    BETTER_SOURCE_NEEDED = "better_source_needed", "better source needed"
    CITATION_NEEDED = "citation_needed", "citation needed"
    CLARIFICATION_NEEDED = "clarification_needed", "clarification needed"
    DUBIOUS = "dubious", "dubious"
    FAILED_VERIFICATION = "failed_verification", "failed verification"
    ACCORDING_TO_WHOM = "according_to_whom", "according to whom?"
    WHEN = "when", "when?"


class Claim(models.Model):
    """One factual statement of an article, anchored to its exact words in a revision."""

    Status = ClaimStatus

    class AnchorState(models.TextChoices):
        ANCHORED = "anchored", "anchored"
        MOVED = "moved", "moved"
        CHANGED = "changed", "changed"
        ORPHANED = "orphaned", "orphaned"

    class DatePrecision(models.TextChoices):
        NONE = "", "none"
        DAY = "day", "day"
        MONTH = "month", "month"
        YEAR = "year", "year"

    class DateOrigin(models.TextChoices):
        NONE = "", "none"
        EXPLICIT = "explicit", "explicit"
        RELATIVE = "relative", "relative to the paragraph's date"
        INHERITED = "inherited", "inherited from the paragraph"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    # Anchor: where the words stand in the revision they were last matched to.
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="claims")
    paragraph_index = models.PositiveIntegerField()
    sentence_index = models.PositiveIntegerField()
    section = models.CharField(max_length=300, blank=True, help_text="The heading the sentence stands under.")
    start = models.PositiveIntegerField(help_text="Offset of the sentence in its paragraph.")
    end = models.PositiveIntegerField()
    prefix = models.CharField(max_length=64, blank=True, help_text="~32 characters before the sentence.")
    suffix = models.CharField(max_length=64, blank=True, help_text="~32 characters after the sentence.")
    anchor_state = models.CharField(max_length=10, choices=AnchorState.choices, default=AnchorState.ANCHORED)
    # What the article says about it.
    event_date = models.DateField(null=True, blank=True)
    event_date_end = models.DateField(
        null=True, blank=True, help_text="Last day when the article gives a range (“On 6–7 December”)."
    )
    event_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, blank=True)
    event_date_origin = models.CharField(max_length=10, choices=DateOrigin.choices, blank=True)
    event_date_phrase = models.CharField(max_length=100, blank=True)
    hedge_kind = models.CharField(max_length=12, choices=HedgeKind.choices, blank=True)
    hedge_phrase = models.CharField(max_length=300, blank=True)
    attributed_to = models.CharField(max_length=500, blank=True)
    attributed_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="attributed_claims"
    )
    hedges = models.JSONField(default=list, blank=True, help_text="Every hedge found: kind, phrase, attributed_to.")
    tags = models.JSONField(default=list, blank=True, help_text="Cleanup tags, e.g. ['better_source_needed'].")
    # Review state.
    status = models.CharField(max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.UNREVIEWED)
    confidence = models.PositiveSmallIntegerField(default=0)
    confidence_factors = models.JSONField(default=list, blank=True)
    confidence_override = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_override_reason = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    priority = models.SmallIntegerField(default=0, help_text="Higher comes first in the review queue.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="created_claims"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_claims",
        help_text="Last person to change the text or citations (four-eyes: may not decide).",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change (optimistic locking).")
    decided_at = models.DateTimeField(null=True, blank=True)
    reopened = models.BooleanField(
        default=False,
        editable=False,
        help_text="Sent back to review after a decision (reopened, or its sentence changed); cleared by the next.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The words searched (claims/search.py), kept by a PostgreSQL trigger (migration 0005); unused on SQLite.
    search_document = SearchVectorField(null=True, editable=False)
    history = tracked(excluded_fields=("search_document",))

    class Meta:
        ordering = ["article", "paragraph_index", "sentence_index", "pk"]
        verbose_name = "claim"
        verbose_name_plural = "claims"
        permissions = [
            ("review_claim", "Can take and decide claims"),
            ("assign_claim", "Can assign claims to others"),
            ("reopen_claim", "Can reopen decided claims"),
            ("override_confidence", "Can override a claim's confidence"),
            ("export_claims", "Can export claim lists"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(confidence__lte=100), name="claim_confidence_0_100"),
            models.CheckConstraint(
                condition=Q(confidence_override__isnull=True) | Q(confidence_override__lte=100),
                name="claim_confidence_override_0_100",
            ),
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="claim_offsets_ordered"),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
            models.CheckConstraint(condition=Q(hedge_kind__in=HedgeKind.values), name="claim_hedge_kind_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            # A range ends after it starts, and only a dated claim has one.
            models.CheckConstraint(
                condition=Q(event_date_end__isnull=True) | Q(event_date__lt=F("event_date_end")),
                name="claim_event_date_range_ordered",
            ),
        ]
        # At a million claims every list the admin offers must come off an index in its own order: each sortable
        # column has an index ending in id (the list's tie-break, kept in the column's direction by the admin).
        indexes = [
            models.Index(fields=["status", "id"], name="claim_status_id_idx"),
            models.Index(
                fields=["article", "paragraph_index", "sentence_index", "id"], name="claim_article_anchor_id_idx"
            ),
            models.Index(fields=["assigned_to", "status"], name="claim_assignee_status_idx"),
            models.Index(fields=["hedge_kind", "id"], name="claim_hedge_kind_id_idx"),
            models.Index(fields=["event_date", "id"], name="claim_event_date_id_idx"),
            models.Index(fields=["confidence", "id"], name="claim_confidence_id_idx"),
            models.Index(fields=["priority", "id"], name="claim_priority_id_idx"),
            models.Index(fields=["updated_at", "id"], name="claim_updated_id_idx"),
            models.Index(fields=["anchor_state", "id"], name="claim_anchor_state_id_idx"),
            # The review queue only ever scans open claims: a partial index keeps the queue lists cheap.
            models.Index(
                fields=["-priority", "created_at", "id"],
                name="claim_open_queue_idx",
                condition=Q(status__in=["unreviewed", "needs_source", "in_review"]),
            ),
            # "Take next" and the desk queue want unassigned open claims only: assigned ones at the head of the
            # queue would otherwise be read and skipped one by one.
            models.Index(
                fields=["-priority", "created_at", "id"],
                name="claim_desk_queue_idx",
                condition=Q(status__in=["unreviewed", "needs_source", "in_review"], assigned_to__isnull=True),
            ),
            # Reopened claims are few: the filter and the dashboard count read only them.
            models.Index(fields=["id"], name="claim_reopened_idx", condition=Q(reopened=True, status="in_review")),
        ]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return f"#{self.pk} {text}"

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES

    @property
    def effective_confidence(self) -> int:
        return self.confidence if self.confidence_override is None else self.confidence_override


class ClaimCitation(models.Model):
    """A claim's use of a citation: where its marker stood, and how far the cited work supports the claim."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "supports"
        CONTRADICTS = "contradicts", "contradicts"
        MENTIONS = "mentions", "mentions"

    class InfoGrade(models.IntegerChoices):
        """Admiralty (NATO) information credibility grade."""

        CONFIRMED = 1, "1 – confirmed by other sources"
        PROBABLY_TRUE = 2, "2 – probably true"
        POSSIBLY_TRUE = 3, "3 – possibly true"
        DOUBTFUL = 4, "4 – doubtful"
        IMPROBABLE = 5, "5 – improbable"
        CANNOT_JUDGE = 6, "6 – truth cannot be judged"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="claim_citations")
    citation = models.ForeignKey(Citation, on_delete=models.CASCADE, related_name="claim_citations")
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.SUPPORTS)
    info_grade = models.PositiveSmallIntegerField(choices=InfoGrade.choices, default=InfoGrade.CANNOT_JUDGE)
    position = models.PositiveIntegerField(null=True, blank=True, help_text="Marker offset in the claim text.")
    quote = models.TextField(blank=True, help_text="The words of the cited work that bear on the claim.")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["claim", "position", "pk"]
        verbose_name = "claim citation"
        verbose_name_plural = "claim citations"
        # The claims citing a source, read from the index alone (the cited-source filter's semi-join): with the
        # citation id only, each link's row had to be fetched for its claim id, and PostgreSQL scanned the table.
        indexes = [models.Index(fields=["citation", "claim"], name="claimcitation_citation_claim")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "citation"], name="claimcitation_unique_pair"),
            models.CheckConstraint(
                condition=Q(info_grade__gte=1) & Q(info_grade__lte=6), name="claimcitation_info_grade_1_6"
            ),
        ]

    def __str__(self) -> str:
        return f"claim #{self.claim_id} {self.get_stance_display()} [{self.citation.label}]"


class ClaimRelation(models.Model):
    """Two claims that bear on each other: a conflict to resolve, a duplicate, a refinement."""

    class Kind(models.TextChoices):
        CONFLICTS = "conflicts", "conflicts"
        DUPLICATES = "duplicates", "duplicates"
        REFINES = "refines", "refines"
        SUPERSEDES = "supersedes", "supersedes"

    class State(models.TextChoices):
        SUGGESTED = "suggested", "suggested"
        CONFIRMED = "confirmed", "confirmed"
        DISMISSED = "dismissed", "dismissed"
        RESOLVED = "resolved", "resolved"

    class Detector(models.TextChoices):
        MANUAL = "manual", "manual"
        DATE_MISMATCH = "date_mismatch", "date mismatch"
        ACTOR_MISMATCH = "actor_mismatch", "actor mismatch"
        NUMBER_MISMATCH = "number_mismatch", "number mismatch"
        QUANTIFIER_MISMATCH = "quantifier_mismatch", "quantifier mismatch"
        CROSS_ARTICLE = "cross_article", "same sentence in another article, different actor"
        NEAR_DUPLICATE = "near_duplicate", "near duplicate"

    class Resolution(models.TextChoices):
        NONE = "", "none"
        A_STANDS = "a_stands", "claim A stands"
        B_STANDS = "b_stands", "claim B stands"
        BOTH_PARTLY = "both_partly", "both partly"
        UNRESOLVED = "unresolved", "unresolved"

    # The pair is stored ordered (claim_a.pk < claim_b.pk) so that each pair exists once.
    claim_a = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_as_a")
    claim_b = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations_as_b")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONFLICTS)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUGGESTED)
    detector = models.CharField(max_length=20, choices=Detector.choices, default=Detector.MANUAL)
    evidence = models.TextField(blank=True, help_text="Why the detector (or person) related the two claims.")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Similarity 0–100, if any.")
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = tracked()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = "claim relation"
        verbose_name_plural = "claim relations"
        permissions = [
            ("confirm_relation", "Can confirm or dismiss suggested relations"),
            ("resolve_relation", "Can resolve confirmed conflicts"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(claim_a__lt=F("claim_b")), name="relation_pair_ordered_distinct"),
            models.UniqueConstraint(fields=["claim_a", "claim_b"], name="relation_unique_pair"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="relation_score_0_100"),
        ]
        indexes = [
            models.Index(fields=["state", "kind"], name="relation_state_kind_idx"),
            models.Index(fields=["claim_b"], name="relation_claim_b_idx"),
            models.Index(fields=["-created_at", "id"], name="relation_created_idx"),  # the list's default order
        ]

    def __str__(self) -> str:
        return f"#{self.claim_a_id} {self.get_kind_display()} #{self.claim_b_id} ({self.get_state_display()})"

    def other(self, claim: Claim) -> Claim:
        return self.claim_b if claim.pk == self.claim_a_id else self.claim_a


class ReviewQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Reviews are an append-only log: they cannot be changed.")

    def delete(self):
        raise ValidationError("Reviews are an append-only log: they cannot be deleted.")


class Review(models.Model):
    """An append-only record of one decision on a claim; never edited, never deleted."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    from_status = models.CharField(max_length=12, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=12, choices=ClaimStatus.choices)
    note = models.TextField()
    claim_version = models.PositiveIntegerField(help_text="The claim version the decision was made on.")
    override_reason = models.TextField(
        blank=True,
        help_text="Why the claim was verified although the verification rule was not met (no supporting "
        "citation, or an open or lost conflict); empty when the rule was met.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "created_at", "pk"]
        verbose_name = "review"
        verbose_name_plural = "reviews"
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="review_note_required")]
        indexes = [
            models.Index(fields=["reviewer", "created_at"], name="review_reviewer_idx"),
            # Exports and the review page look up each claim's latest decision.
            models.Index(fields=["claim", "-created_at", "-id"], name="review_claim_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"claim #{self.claim_id}: {self.from_status} → {self.to_status} by {self.reviewer}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Reviews are an append-only log: they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Reviews are an append-only log: they cannot be deleted.")


class ClaimKey(models.Model):
    """What a claim is about, as short strings (claims.keys.claim_keys): `e:el fasher` (a name), `c:killed` (a
    counted measure), `d:2024-11-30` (a date), `n:471` (a number). Conflict detection picks the claims to compare
    with an imported article by joining on `key` with this table's index, not by reading every claim.
    Derived data (recomputed from the claim's text), so it has no history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "key"], name="claimkey_unique")]
        indexes = [models.Index(fields=["key", "claim"], name="claimkey_key_claim")]

    def __str__(self) -> str:
        return f"#{self.claim_id} {self.key}"


from .job_models import Job  # noqa: E402, F401  (the background jobs' records, claims/job_models.py)
