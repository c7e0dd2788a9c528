"""Claim-list filters over long lists (articles, sources, people) as one autocomplete box each.

Django's related-field filter lists every article as a link: a few hundred links on each page view at a million
claims, each with its own query string built in Python. These filters list nothing: the sidebar shows the
chosen value (one query by primary key, and none when nothing is chosen) and a select2 box that asks
`ClaimAdmin.filter_choices_view` for matches as the person types. The query-string keys stay those of the
filters they replace (`article__id__exact`, `source`), so links and bookmarks keep working.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q, QuerySet
from django.urls import reverse

from .. import selectors
from ..inputs import is_id
from ..models import Article, Source

PAGE = 20  # matches per request of the autocomplete box


class AutocompleteListFilter(admin.SimpleListFilter):
    """A list filter on one related row, chosen in an autocomplete box. Subclasses say which rows it offers
    (`options`, `label_of`) and how a chosen id narrows the claims (`narrow`)."""

    template = "admin/claims/filter_autocomplete.html"
    kind = ""  # the name of its choices in ClaimAdmin.filter_choices_view

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        if not is_id(value):
            raise IncorrectLookupParameters(f"{self.parameter_name} must be an id")
        label = self.chosen(int(value))
        return [(value, label if label is not None else f"#{value} (not found)")]

    def has_output(self):
        return True

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": True,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value and is_id(value):
            return self.narrow(queryset, int(value))
        return queryset

    @property
    def choices_url(self) -> str:
        return reverse("admin:claims_claim_filter_choices", args=[self.kind])

    # ---- what subclasses say ----
    @classmethod
    def options(cls, term: str) -> QuerySet:
        """(id, label) rows matching what was typed, in the order they are offered."""
        raise NotImplementedError

    @classmethod
    def label_of(cls, pk: int) -> str | None:
        raise NotImplementedError

    def chosen(self, pk: int) -> str | None:
        """The chosen row's label for the sidebar; a filter may read there what `narrow` will need."""
        return self.label_of(pk)

    def narrow(self, queryset, pk: int):
        raise NotImplementedError


class ArticleFilter(AutocompleteListFilter):
    title = "article"
    parameter_name = "article__id__exact"  # the key of the related-field filter it replaces
    kind = "article"

    @classmethod
    def options(cls, term):
        return Article.objects.filter(title__icontains=term).order_by("title", "pk").values_list("pk", "title")

    @classmethod
    def label_of(cls, pk):
        return Article.objects.filter(pk=pk).values_list("title", flat=True).first()

    def narrow(self, queryset, pk):
        return queryset.filter(article_id=pk)


class SourceFilter(AutocompleteListFilter):
    """Claims citing a given source (through their citations)."""

    title = "cited source"
    parameter_name = "source"
    kind = "source"
    cited: list[int] | None = None  # the chosen source's cited citations, read with its name (`chosen`)

    @classmethod
    def options(cls, term):
        found = Source.objects.filter(Q(name__icontains=term) | Q(domain__icontains=term))
        return found.order_by("name", "pk").values_list("pk", "name")

    @classmethod
    def label_of(cls, pk):
        return Source.objects.filter(pk=pk).values_list("name", flat=True).first()

    def chosen(self, pk):
        # The source's name and the ids of its cited citations in one query: the list needs the ids.
        name, self.cited = selectors.source_and_cited_citations(pk) or (None, [])
        return name

    def narrow(self, queryset, pk):
        # A semi-join on the links of the source's cited citations, given as constants (see the selector).
        cited = self.cited
        if cited is None:
            cited = (selectors.source_and_cited_citations(pk) or (None, []))[1]
        return selectors.claims_citing(queryset, cited)


class AssigneeFilter(AutocompleteListFilter):
    title = "assigned to"
    parameter_name = "assigned_to__id__exact"
    kind = "assignee"

    @classmethod
    def options(cls, term):
        people = selectors.reviewers()
        if term:
            people = people.filter(
                Q(username__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
            )
        return people.values_list("pk", "username")

    @classmethod
    def label_of(cls, pk):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=pk).values_list("username", flat=True).first()

    def narrow(self, queryset, pk):
        return queryset.filter(assigned_to_id=pk)


AUTOCOMPLETE_FILTERS = {f.kind: f for f in (ArticleFilter, SourceFilter, AssigneeFilter)}


def filter_choices(kind: str, term: str, page: int) -> dict:
    """One page of an autocomplete filter's options, as select2 reads them (one query)."""
    rows = list(AUTOCOMPLETE_FILTERS[kind].options(term.strip())[(page - 1) * PAGE : page * PAGE + 1])
    return {
        "results": [{"id": str(pk), "text": label} for pk, label in rows[:PAGE]],
        "pagination": {"more": len(rows) > PAGE},
    }
