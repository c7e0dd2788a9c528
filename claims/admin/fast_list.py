"""The claim list's rows, written the way Django's admin writes them but with the per-column work done once.

Django's `items_for_result` decides for every cell what kind of column it is (model field, admin method, …),
reverses the row's change URL and re-parses the preserved filters into it (a URL `resolve()` per row), and
renders the action checkbox through the form-widget templates. On a 50-row page of 11 columns that was about
half the page's time (cProfile, 100k-claim desk). Here the column kinds, CSS classes and the change URL with its
preserved filters are worked out once per page; each cell then costs its own value and one escape. The HTML is
the same as Django's, byte for byte (tests/admin/test_fast_list.py compares them); lists this does not cover
(editable lists, popups, `to_field`, columns that are neither model fields nor admin methods) get Django's own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name, items_for_result
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    quote,
)
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

PK_MARKER = "claims-pk-marker"  # stands for the row's pk in the change URL built once per page


def result_rows(cl) -> list[ResultList]:
    cells = _compile(cl)
    if cells is None:
        return [ResultList(None, items_for_result(cl, result, None)) for result in cl.result_list]
    return [ResultList(None, [cell(result) for cell in cells]) for result in cl.result_list]


def _compile(cl) -> list[Callable] | None:
    """One function per column, from result to the cell's HTML; None when Django's own rows are needed."""
    if cl.formset or cl.is_popup or cl.to_field or cl.list_display_links is None:
        return None
    admin = cl.model_admin
    opts = cl.lookup_opts
    try:
        url = cl.url_for_result(_Marker())
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    if url.count(PK_MARKER) != 1:
        return None
    before, after = (conditional_escape(part) for part in url.split(PK_MARKER))
    cells = []
    first = True
    for index, name in enumerate(cl.list_display):
        link = (first and not cl.list_display_links) or name in cl.list_display_links
        tag = "td"
        if link:
            tag, first = ("th" if first else "td"), False
        cell = _column(admin, opts, index, name, link, tag, before, after)
        if cell is None:
            return None
        cells.append(cell)
    return cells


class _Marker:
    """What `url_for_result` reads of a result: its pk, here a marker replaced by each row's own."""

    def __getattr__(self, name):
        return PK_MARKER


def _column(admin, opts, index, name, link, tag, before, after) -> Callable | None:
    """The cell function of one column, or None when Django must decide (see the module's docstring)."""
    empty = admin.get_empty_value_display()
    classes = [f"field-{_coerce_field_name(name, index)}"]
    try:
        field = _get_non_gfk_field(opts, name) if isinstance(name, str) else None
    except FieldDoesNotExist:
        field = None
    except Exception:  # noqa: BLE001 - a foreign key's column name and the like: Django's rows handle those
        return None
    if field is not None and not field.auto_created:
        if isinstance(field, models.DateField | models.TimeField | models.ForeignKey):
            classes.append("nowrap")
        many_to_one = isinstance(field.remote_field, models.ManyToOneRel)

        def value_of(result):
            value = getattr(result, name)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if many_to_one:
                shown = getattr(result, field.name)
                return (empty if shown is None else shown), False
            return display_for_field(value, field, empty, avoid_link=link), False

    else:
        if callable(name):
            method = name
        elif isinstance(name, str) and hasattr(admin, name) and name != "__str__":
            method = getattr(admin, name)
        else:
            return None
        empty = getattr(method, "empty_value_display", empty)
        boolean = getattr(method, "boolean", False)
        if name == "action_checkbox":
            classes = ["action-checkbox"]

        def value_of(result):
            value = method(result)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return display_for_value(value, empty, boolean), isinstance(value, datetime.date | datetime.time)

    plain = " ".join(classes)
    nowrap = " ".join([*classes, "nowrap"])

    def cell(result):
        shown, dated = value_of(result)
        body = conditional_escape(shown)
        if link:
            body = f'<a href="{before}{conditional_escape(quote(result.pk))}{after}">{body}</a>'
        return mark_safe(f'<{tag} class="{nowrap if dated else plain}">{body}</{tag}>')  # noqa: S308 - escaped above

    return cell
