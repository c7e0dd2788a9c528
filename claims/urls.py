"""The export endpoint and the article report page (included at the site root by tracker/urls.py)."""

from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("exports/claims.<str:fmt>", views.export_claims, name="export"),
    path("articles/<int:article_id>/report/", views.article_report, name="article-report"),
]
