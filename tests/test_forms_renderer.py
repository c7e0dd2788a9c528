"""The fast form renderer writes the HTML Django's widget templates write, whatever the widget is given."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe

from claims.forms_renderer import FastWidgetTemplates, render_fast
from tests.factories import ClaimCitationFactory, ClaimFactory, RelationFactory

CHOICES = [("", "---------"), ("a", "A & B"), ("<b>", mark_safe("<i>safe</i>")), ("Group", [("x", "X"), ("y", '"y"')])]


class EveryWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'say "hi" & <bye>', "autofocus": True}))
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "disabled": False}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=CHOICES)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    grade = forms.TypedChoiceField(choices=[(1, "one"), (2, 2)], coerce=int)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    email = forms.EmailField()
    url = forms.URLField()


DATA = [
    {},
    {
        "text": "a \"quoted\" <tag> & 'apostrophe'",
        "number": "12",
        "hidden": "h&h",
        "flag": "on",
        "choice": "<b>",
        "many": ["a", "y"],
        "grade": "2",
        "note": "line one\nline <two> & three",
        "email": "x@example.org",
        "url": "https://e.org/?a=1&b=2",
    },  # fmt: skip
    {"text": "", "number": "not a number", "choice": "nope", "grade": "9", "note": ""},
]


@pytest.mark.parametrize("data", DATA)
def test_every_widget_renders_as_its_template_does(data):
    for bound in (True, False):
        form = EveryWidget(data if bound else None, initial=None if bound else data)
        if bound:
            form.is_valid()
        slow = EveryWidget(data if bound else None, initial=None if bound else data, renderer=DjangoTemplates())
        fast = EveryWidget(data if bound else None, initial=None if bound else data, renderer=FastWidgetTemplates())
        if bound:
            slow.is_valid(), fast.is_valid()
        for name in form.fields:
            assert str(fast[name]) == str(slow[name]), name
            assert str(fast[name].errors) == str(slow[name].errors), name
        assert fast.as_div() == slow.as_div()


def test_values_it_does_not_know_go_to_the_template():
    widget = {"name": "x", "value": None, "attrs": {"data-f": print}, "type": "text", "template_name": ""}
    assert render_fast("django/forms/widgets/text.html", {"widget": widget}) is None
    assert render_fast("django/forms/widgets/radio.html", {"widget": widget}) is None


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_the_claim_page_is_the_same_html_with_either_renderer(client, lead, settings):
    claim = ClaimFactory(text='A claim with "quotes" & <angles>.', tags=["dubious"])
    for _ in range(3):
        ClaimCitationFactory(claim=claim, citation__article=claim.article, quote="said <so> & more")
    RelationFactory(claim_a=claim)
    client.force_login(lead)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    fast = client.get(url).content.decode()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    slow = client.get(url).content.decode()
    assert "<select" in fast and "<textarea" in fast
    assert without_tokens(fast) == without_tokens(slow)
