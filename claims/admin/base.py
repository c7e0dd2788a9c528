"""What every admin page shares: writes go through the services, with the actor and a reason."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from ..services import ADMIN_REASON


class ReasonForm(forms.ModelForm):
    """A model form with the "why" that history records next to the change."""

    change_reason = forms.CharField(
        required=False,
        max_length=500,
        label="Reason for this change",
        help_text=f'Kept in the history. Leave empty for "{ADMIN_REASON}".',
        widget=forms.TextInput(attrs={"size": 80}),
    )


def reason_of(form) -> str:
    reason = form.cleaned_data.get("change_reason", "") if form is not None and hasattr(form, "cleaned_data") else ""
    return (reason or "").strip() or ADMIN_REASON


def error_text(err: Exception) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(err.messages)
    return str(err) or "not allowed"


def changed_values(form, fields) -> dict:
    """The form's changed model fields and their new values, ready for a service's **changes."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}


def save_inlines(formset, *, create, update, remove) -> None:
    """Write an inline formset through services: `remove(obj)` per deleted row, `create(form)` per new row,
    `update(form)` per changed row (the admin's own formset.save() would bypass history reasons)."""
    formset.save(commit=False)  # fills deleted_objects; writes nothing
    for obj in formset.deleted_objects:
        remove(obj)
    for inline_form in formset.forms:
        if inline_form in formset.deleted_forms or not inline_form.has_changed():
            continue
        (create if inline_form.instance.pk is None else update)(inline_form)


def new_values(form, fields) -> dict:
    """A new inline row's model fields, ready for a create service's **fields."""
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


class HistoryChanges(HistoricalRecordContextHelper):
    """The history page's "changes" column, with an empty value shown as "—" (simple-history prints "None",
    and a null key as "Deleted user (pk=None)", which reads as if someone had been deleted)."""

    def prepare_delta_change_value(self, change, value):
        if value is None or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        return super().prepare_delta_change_value(change, value)


def value_fits(target, value) -> bool:
    """Whether `value` (a string from a request) is one the model field `target` can hold ("1.5" is no id)."""
    try:
        target.run_validators(target.to_python(value))  # the validators hold the column's range
    except (ValidationError, TypeError, ValueError):
        return False
    return True


def initial_fits(model, name: str, value) -> bool:
    """Whether `?name=value` on an add page is a value the model's field can hold."""
    try:
        field = model._meta.get_field(name)
        target = field.target_field if field.is_relation else field
    except (FieldDoesNotExist, AttributeError):
        return True  # not a model field: the form ignores it
    return all(value_fits(target, item) for item in (value if isinstance(value, list) else [value]))


class _FittingValues:
    """For the admin's autocomplete widgets: a submitted value its field cannot hold ("article=1.5") is shown as
    no choice — the form says the value is invalid — instead of being passed to the query for the selected row
    (a 500 found by `make fuzz`)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if value_fits(target, v)], attr)


class SafeAutocompleteSelect(_FittingValues, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_FittingValues, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For model admins and inlines: autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ServiceAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose saves and deletes call services (see subclasses' `create`/`update`/`remove`).

    A refusal raised by a service (permission, four-eyes, frozen, stale) rolls the whole save back and
    comes back to the person as an error message on the same page instead of a server error.
    """

    form = ReasonForm
    show_full_result_count = False

    def get_changeform_initial_data(self, request):
        """The admin takes `?field=value` as a new object's initial value. A value its field cannot hold is left
        out (the field starts blank): handed to an autocomplete widget, "?article=1.5" made its query fail, a
        500 (found by `make fuzz`)."""
        initial = super().get_changeform_initial_data(request)
        return {name: value for name, value in initial.items() if initial_fits(self.model, name, value)}

    history_list_display: list[str] = []
    object_history_list_template = "admin/claims/object_history_list.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version is for reading: its page must not save anything (simple-history would save a POST
        through the model form even with revert disabled)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if "change_reason" in fields:  # keep the reason last, right above the save buttons
            fields.remove("change_reason")
            fields.append("change_reason")
        return fields

    def history_view(self, request, object_id, extra_context=None):
        # simple-history looks the id up without checking it is one ("/source/abc/history/" was a 500); the
        # admin's own pages answer such an address with "doesn't exist", so this one does too.
        try:
            self.opts.pk.to_python(unquote(object_id))
        except ValidationError:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as err:
            if request.method != "POST":
                raise
            messages.error(request, f"Nothing was saved: {error_text(err)}")
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ValidationError, PermissionDenied) as err:
            if request.method != "POST":
                raise
            messages.error(request, f"Nothing was deleted: {error_text(err)}")
            return HttpResponseRedirect(request.get_full_path())

    # Subclasses implement these three with one service call each.
    def create(self, request, obj, form):
        raise NotImplementedError

    def update(self, request, obj, form):
        raise NotImplementedError

    def remove(self, request, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        saved = self.update(request, obj, form) if change else self.create(request, obj, form)
        if saved is not None and saved is not obj:
            # The admin goes on using `obj` (log entry, redirect): give it the saved row's state.
            obj.pk = saved.pk
            obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def delete_model(self, request, obj):
        self.remove(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.remove(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody edits through the admin (the review log, revisions)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
