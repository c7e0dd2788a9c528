"""URL fuzz: every admin and export view, found from the URL resolver (which includes every registered model's
admin and its extra pages), with odd path ids and query parameters — non-ASCII digits, NUL, huge values —
answers with anything but a 500 (an exception here fails the test: the test client re-raises it)."""

import re

from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from claims.exports import formats
from claims.models import Claim
from claims.services import claim_decide, claim_start_review
from tests.factories import ClaimCitationFactory, ClaimFactory, RelationFactory, SourceFactory, UserFactory
from tests.hardening.fuzz import EXAMPLES, TALLY

ODD = ["¹", "²", "١", "٣٤", "۱", "߁", "१", "\x00", "1\x00", "%00", "9" * 40, "-1", "0", "1.5", "1e9", "x" * 3000,
       "\u202e1", "' OR 1=1 --", "<script>", "..", "", " ", "1,2,¹"]  # fmt: skip
PARAM_NAMES = [
    "article", "source", "status", "band", "hedge", "tag", "from", "to", "q", "decided", "id", "provenance", "p",
    "o", "e", "all", "_popup", "_to_field", "_changelist_filters", "status__exact", "article__id__exact",
    "hedge_kind__exact", "anchor_state__exact", "queue", "reopened", "event_date__year", "event_date__month",
    "event_date__day", "seen_version", "action", "note", "other", "kind", "value", "reason", "citations_page",
    "relations_page", "claim__id__exact", "grade__exact", "kind__exact", "state__exact", "detector__exact",
]  # fmt: skip


def url_templates() -> list[str]:
    """Every URL pattern under the admin and the app, as a template with one `{}` per path parameter."""
    out = []

    def walk(patterns, prefix):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                full = (prefix + route).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\/", "/")
                out.append(re.sub(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)", "{}", full))

    walk(get_resolver().url_patterns, "/")
    return sorted(set(out))


TEMPLATES = url_templates()
EXPORT_FORMATS = sorted(formats.FORMATS)


class UrlFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin_user = UserFactory(username="fuzz-admin", is_superuser=True)
        reviewer = UserFactory(username="fuzz-reviewer", role="Reviewer")
        link = ClaimCitationFactory(citation__source=SourceFactory())
        RelationFactory(claim_a=link.claim, claim_b=ClaimFactory(revision=link.claim.revision))
        decided = ClaimFactory(revision=link.claim.revision)
        claim = claim_start_review(claim_id=decided.pk, actor=reviewer)
        claim_decide(claim_id=claim.pk, status="disputed", note="ok", seen_version=claim.version, actor=reviewer)
        cls.ids = [str(pk) for pk in Claim.objects.values_list("pk", flat=True)]

    def test_the_walk_found_every_admin_model_and_the_exports(self):
        for model in admin.site._registry:
            opts = model._meta
            assert f"/admin/{opts.app_label}/{opts.model_name}/{{}}/change/" in TEMPLATES, opts.label
        assert "/exports/claims.{}" in TEMPLATES and "/articles/{}/report/" in TEMPLATES

    @settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=EXAMPLES <= 500,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(
        template=st.sampled_from(TEMPLATES),
        path_value=st.one_of(st.sampled_from(ODD), st.sampled_from(["1", "2", "3"]), st.sampled_from(EXPORT_FORMATS)),
        params=st.lists(
            st.tuples(st.sampled_from(PARAM_NAMES), st.one_of(st.sampled_from(ODD), st.text(max_size=12))), max_size=4
        ),
        method=st.sampled_from(["get", "get", "post"]),
    )
    def test_no_view_answers_odd_input_with_a_500(self, template, path_value, params, method):
        TALLY["admin and export URLs"] += 1
        if template.endswith("logout/") or "password" in template:
            return  # signing out or changing the fuzzing account's password would end the run's session
        path = template.format(*[path_value] * template.count("{}"))
        if "\x00" in path:
            path = path.replace("\x00", "%00")
        data = dict(params)
        client = Client()
        client.force_login(self.admin_user)
        if method == "get":
            response = client.get(path, data)
        else:
            data.pop("action", None)  # no bulk action on everything the fuzz reaches
            response = client.post(path, data)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # a stream fails while it is read, not when it starts
        assert response.status_code < 500, (method, path, data, response.status_code)
