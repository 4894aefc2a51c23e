"""Saved filters: a user keeps the query string of a list (the projects, the issues) under a name
and comes back to it with one click. Per user; nobody else sees them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListPage(models.TextChoices):
    """The lists whose filters may be saved, by their URL name."""

    PROJECTS = "projects:list", _("Projects")
    ISSUES = "issues:list", _("All issues")


class SavedFilter(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="saved_filters"
    )
    page = models.CharField(_("list"), max_length=40, choices=ListPage.choices)
    name = models.CharField(_("name"), max_length=40)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["page", "name"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
