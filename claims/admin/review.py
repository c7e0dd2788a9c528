"""The review log in the admin: readable by all, written only by the workflow services, never edited."""

from django.contrib import admin

from ..models import Review
from .base import ReadOnlyAdmin


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "claim", "reviewer", "from_status", "to_status", "note", "claim_version")
    list_filter = ("to_status", "reviewer")
    list_select_related = ("claim", "reviewer")
    search_fields = ("note", "claim__text")
    date_hierarchy = None
    show_full_result_count = False
    readonly_fields = ("claim", "reviewer", "from_status", "to_status", "note", "claim_version", "created_at")
