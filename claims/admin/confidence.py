"""Confidence in the claim admin: the band filter for the claim list and the reviewer's override view."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html

from .. import services
from ..confidence import BANDS, band
from ..models import Claim
from .base import error_text

BAND_COLOURS = {"none": "#6b7280", "low": "#b91c1c", "medium": "#a16207", "high": "#15803d"}


class ConfidenceBandFilter(admin.SimpleListFilter):
    """Claims by the band of their effective confidence (the reviewer's override when there is one)."""

    title = "confidence band"
    parameter_name = "band"

    def lookups(self, request, model_admin):
        return [(name, f"{name} ({low}–{high})" if low != high else f"{name} ({low})") for name, low, high in BANDS]

    def queryset(self, request, queryset):
        for name, low, high in BANDS:
            if self.value() == name:
                computed = Q(confidence_override__isnull=True, confidence__gte=low, confidence__lte=high)
                overridden = Q(confidence_override__gte=low, confidence_override__lte=high)
                return queryset.filter(computed | overridden)
        return queryset


def confidence_badge(claim: Claim):
    """The score with its band, for list columns: '45 · medium', the override marked."""
    value = claim.effective_confidence
    name = band(value)
    suffix = (
        format_html(" <small>(override; computed {})</small>", claim.confidence)
        if claim.confidence_override is not None
        else ""
    )  # noqa: E501
    return format_html(
        '<span class="confidence confidence-{}" style="color:{};font-weight:600">{} · {}</span>{}',
        name, BAND_COLOURS[name], value, name, suffix,
    )  # fmt: skip


class OverrideForm(forms.Form):
    value = forms.IntegerField(
        min_value=0, max_value=100, required=False, help_text="0–100; leave empty to go back to the computed score."
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 40}), help_text="Required: why.")
    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def override_confidence_view(request, claim_id: int):
    """POST from the claim page's confidence panel: set or remove the reviewer's override (with a reason)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claim = get_object_or_404(Claim, pk=claim_id)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        messages.error(request, f"Confidence not changed: {problems}")
    else:
        value = form.cleaned_data["value"]
        try:
            services.claim_override_confidence(
                claim=claim, value=value, actor=request.user, reason=form.cleaned_data["reason"],
                seen_version=form.cleaned_data["seen_version"],
            )  # fmt: skip
        except (PermissionDenied, ValidationError) as err:
            messages.error(request, f"Confidence not changed: {error_text(err)}")
        else:
            done = f"set to {value}" if value is not None else "back to the computed score"
            messages.success(request, f"Confidence of claim #{claim.pk} {done}.")
    return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]) + "#confidence-panel")
