"""The admin index shows each person's work: assigned to me, waiting for my decision, reopened."""

from django.contrib import admin


def install() -> None:
    admin.site.index_template = "admin/claims_index.html"
    admin.site.site_header = "Claim tracker"
    admin.site.site_title = "Claim tracker"
    admin.site.index_title = "Desk"
    # The claim and conflict lists are wide (claims side by side, evidence); the model sidebar costs a quarter of it.
    admin.site.enable_nav_sidebar = False
