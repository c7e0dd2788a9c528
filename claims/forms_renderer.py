"""The form renderer: Django's own, with its commonest widget templates written directly in Python.

A claim page renders about 250 widgets (25 citation-link forms of 8 fields, the claim's form, the review
forms): each a template with an `{% include %}` of the attributes template, each option of a select another
include. That was half the page's time (cProfile, 100k-claim desk); the same HTML built in Python costs a
tenth of it. Only Django's own templates are replaced (an app overriding one of them gets its template back),
only for values whose rendering is plain (strings, numbers given as strings, None, booleans in attributes);
anything else goes to the template. tests/test_forms_renderer.py compares both outputs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeData

DJANGO_FORMS_TEMPLATES = Path(django.__file__).resolve().parent / "forms" / "templates"
INPUTS = {f"django/forms/widgets/{kind}.html" for kind in ("text", "number", "hidden", "checkbox", "email", "url")}
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
ERRORS = ("django/forms/errors/list/ul.html", "django/forms/errors/list/default.html")


class Unsupported(Exception):
    """A value this module does not render exactly as the template would: the template renders it."""


def _text(value) -> str:
    """`{{ value }}` of a string."""
    if isinstance(value, SafeData):
        return str(value)
    if isinstance(value, str | Promise):
        return escape(value)
    raise Unsupported


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: any value as %s, escaped unless it was safe."""
    if callable(value) or isinstance(value, tuple):
        raise Unsupported
    text = "%s" % value  # noqa: UP031 - exactly what the stringformat filter does
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _option(option: dict) -> str:
    if option.get("template_name") != OPTION or not _is_djangos(OPTION):
        raise Unsupported
    return f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            out.append("\n  " + _option(option))
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    body = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{body}</textarea>\n'


@cache
def _is_djangos(template_name: str) -> bool:
    """Whether the form renderer's engine finds Django's own file for this name (not an app's override)."""
    from django.forms.renderers import get_default_renderer

    renderer = get_default_renderer()
    engine = getattr(renderer, "engine", None)
    if engine is None:
        return False
    origin = engine.get_template(template_name).template.origin.name
    return Path(origin).resolve().is_relative_to(DJANGO_FORMS_TEMPLATES)


def render_fast(template_name: str, context: dict) -> str | None:
    """The template's output built in Python, or None to let the template render it."""
    try:
        if template_name in ERRORS:
            return "" if not context.get("errors") and _is_djangos(template_name) else None
        if not _is_djangos(template_name):
            return None
        widget = context.get("widget")
        if widget is None:
            return None
        if template_name in INPUTS:
            return _input(widget)
        if template_name == SELECT:
            return _select(widget)
        if template_name == TEXTAREA:
            return _textarea(widget)
    except Unsupported:
        return None
    return None


class FastWidgetTemplates(DjangoTemplates):
    """Django's form renderer, with `render_fast` first."""

    def render(self, template_name, context, request=None):
        fast = render_fast(template_name, context)
        # Stripped as Django's renderer strips a template's output.
        return fast.strip() if fast is not None else super().render(template_name, context, request)
