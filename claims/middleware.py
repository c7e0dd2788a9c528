"""Refuse requests whose input no view can use, with a 400 naming the field, before any view runs.

Two kinds of value crash deep inside Django or PostgreSQL rather than in a view that could word a message:
a NUL byte (PostgreSQL text cannot hold one: a DataError 500 wherever it reaches a query) and a number
written in other digits ("¹", "١": `str.isdigit()` says yes, `int()` says no or reads the wrong number).
Catching them here covers every view, the admin's own included, at once. Views that parse ids themselves use
`claims.inputs.parse_id` and may raise `BadInput`; that too becomes a 400 here.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest

from .inputs import BadInput, has_nul, has_odd_digits, shown

# Free search text may legitimately be a number in another script ("١٩٤٨"); it never reaches int().
FREE_TEXT_PARAMS = frozenset({"q"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The admin takes an empty `_to_field` for a field name and fails looking it up (a KeyError 500).
NOT_EMPTY_PARAMS = frozenset({"_to_field"})


def bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(f"Bad request: {message}\n", content_type="text/plain; charset=utf-8")


def odd_input(request) -> str | None:
    """What is wrong with the request's path, query string or form fields, or None."""
    if has_nul(request.path):
        return "the address contains a NUL byte"
    for segment in request.path.split("/"):
        if has_odd_digits(segment):
            return f"the address part {shown(segment)} uses digits other than 0-9"
    places = [("query parameter", request.GET)]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        places.append(("form field", request.POST))
    for place, data in places:
        for key, values in data.lists():
            if has_nul(key):
                return f"a {place} name contains a NUL byte"
            for value in values:
                if has_nul(value):
                    return f"the {place} '{key}' contains a NUL byte"
                if key in NOT_EMPTY_PARAMS and not value.strip():
                    return f"the {place} '{key}' is empty"
                if key not in FREE_TEXT_PARAMS and has_odd_digits(value.strip()):
                    return f"the {place} '{key}' is {shown(value.strip())}: use the digits 0-9"
    return None


class OddInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = odd_input(request)
        if problem:
            return bad_request(problem)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput):
            return bad_request(str(exception))
        return None
