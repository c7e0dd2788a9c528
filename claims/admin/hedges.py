"""Hedges on the claim form: one row per hedge (kind, phrase, attributed to) instead of the JSON the model
keeps, and a read-friendly list where the claim is read-only."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from ..models import HedgeKind

KINDS = [(value, label) for value, label in HedgeKind.choices if value]
EMPTY_ROWS = 2  # room to add hedges without any script
MANUAL_RULE = "manual"  # what a hedge typed in the form says about where it came from


def _names(value) -> list[str]:
    """attributed_to as stored (a list) or as typed ("A; B")."""
    if isinstance(value, str):
        value = value.split(";")
    return [name.strip() for name in value or [] if isinstance(name, str) and name.strip()]


def normalised(hedges) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a hedge list says, for comparing a posted form with the stored value (the detector's rule name is
    bookkeeping the form carries along, not something a person changes)."""
    if not isinstance(hedges, list):
        return []
    return [
        (str(h.get("kind") or ""), " ".join(str(h.get("phrase") or "").split()), tuple(_names(h.get("attributed_to"))))
        for h in hedges
        if isinstance(h, dict)
    ]  # fmt: skip


def hedge_text(hedge: dict) -> str:
    """One hedge in words: 'reported: “reportedly” — attributed to the Kyiv Post'."""
    kind = dict(HedgeKind.choices).get(hedge.get("kind") or "", hedge.get("kind") or "hedge")
    text = f"{kind}: “{hedge.get('phrase') or ''}”"
    names = _names(hedge.get("attributed_to"))
    return text + (f" — attributed to {'; '.join(names)}" if names else "")


def hedges_html(hedges):
    """The read-only list; a dash when there is none."""
    items = [h for h in hedges or [] if isinstance(h, dict)]
    if not items:
        return "—"
    return format_html(
        '<ul class="hedge-list">{}</ul>', format_html_join("", "<li>{}</li>", ((hedge_text(h),) for h in items))
    )


class HedgesWidget(forms.Widget):
    """A small table of rows; a row left empty is dropped, so emptying a row removes that hedge."""

    def _rows(self, value) -> list[dict]:
        rows = [h for h in value if isinstance(h, dict)] if isinstance(value, list) else []
        return rows + [{} for _ in range(EMPTY_ROWS)]

    def post_data(self, name: str, value) -> dict[str, str]:
        """What a browser posts for this value, unchanged (the rows as rendered)."""
        rows = self._rows(value)
        data = {f"{name}-rows": str(len(rows))}
        for i, hedge in enumerate(rows):
            data[f"{name}-{i}-kind"] = hedge.get("kind") or ""
            data[f"{name}-{i}-phrase"] = hedge.get("phrase") or ""
            data[f"{name}-{i}-attributed_to"] = "; ".join(_names(hedge.get("attributed_to")))
            data[f"{name}-{i}-rule"] = hedge.get("rule") or ""
        return data

    def render(self, name, value, attrs=None, renderer=None):
        posted = self.post_data(name, value)
        rows = []
        for i in range(int(posted[f"{name}-rows"])):
            kind = posted[f"{name}-{i}-kind"]
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((v, " selected" if v == kind else "", label) for v, label in [("", "—"), *KINDS]),
            )
            rows.append(
                format_html(
                    '<tr><td><select name="{0}-{1}-kind" aria-label="hedge {2}: kind">{3}</select></td>'
                    '<td><input type="text" name="{0}-{1}-phrase" value="{4}" size="30" aria-label="hedge {2}: phrase">'
                    '</td><td><input type="text" name="{0}-{1}-attributed_to" value="{5}" size="30" '
                    'aria-label="hedge {2}: attributed to"><input type="hidden" name="{0}-{1}-rule" value="{6}"></td>'
                    "</tr>",
                    name,
                    i,
                    i + 1,
                    options,
                    posted[f"{name}-{i}-phrase"],
                    posted[f"{name}-{i}-attributed_to"],
                    posted[f"{name}-{i}-rule"],
                )  # fmt: skip
            )
        return format_html(
            '<table class="hedges-widget" id="id_{0}"><thead><tr><th>kind</th><th>phrase</th>'
            "<th>attributed to (names separated by ;)</th></tr></thead><tbody>{1}</tbody></table>"
            '<input type="hidden" name="{0}-rows" value="{2}">',
            name, format_html_join("", "{}", ((row,) for row in rows)), posted[f"{name}-rows"],
        )  # fmt: skip

    def value_from_datadict(self, data, files, name):
        raw = data.get(f"{name}-rows", "")
        if not raw.isdigit():
            return None  # not posted: the field keeps what is stored (see HedgesField.has_changed)
        rows = []
        for i in range(min(int(raw), 200)):
            rows.append(
                {key: data.get(f"{name}-{i}-{key}", "").strip() for key in ("kind", "phrase", "attributed_to", "rule")}
            )
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-rows" not in data


class HedgesField(forms.Field):
    """Rows in, the model's list of {"kind", "phrase", "attributed_to": [...], "rule"} out."""

    widget = HedgesWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None:
            return None
        hedges, problems = [], []
        for number, row in enumerate(value, start=1):
            if not (row.get("kind") or row.get("phrase") or row.get("attributed_to")):
                continue  # an empty row: nothing, or a hedge removed
            if row.get("kind") not in dict(KINDS):
                problems.append(f"hedge {number}: choose its kind ({', '.join(label for _, label in KINDS)})")
            if not row.get("phrase"):
                problems.append(f"hedge {number}: give the words that hedge the claim")
            hedges.append({
                "kind": row.get("kind") or "",
                "phrase": " ".join(row.get("phrase", "").split()),
                "attributed_to": _names(row.get("attributed_to")),
                "rule": row.get("rule") or MANUAL_RULE,
            })  # fmt: skip
        if problems:
            raise ValidationError("; ".join(problems))
        return hedges

    def clean(self, value):
        cleaned = super().clean(value)
        return [] if cleaned is None else cleaned

    def has_changed(self, initial, data):
        if data is None:
            return False
        try:
            posted = self.to_python(data)
        except ValidationError:
            return True
        return normalised(posted) != normalised(initial or [])
