"""The audit log for the supervision office: search by actor, object, action and day range; paged;
exported as .xlsx through the one workbook writer (dashboards.excel, which writes text cells safely).

The entries are core.models.AuditEntry rows (append-only, kept at least six months); who may read
them is core.selectors.can_read_audit.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.filters import page_of
from core.selectors import audit_entries_visible_to, can_read_audit
from dashboards.audit_filters import AuditFilter
from dashboards.columns import XColumn
from dashboards.excel import table_workbook, xlsx_response

PER_PAGE = 50
# An export is a search's result, not a backup of the trail: past this many rows, narrow the search.
EXPORT_MAX_ROWS = 100_000
CHANGES_MAX_CHARS = 2000


def changes_text(changes) -> str:
    """The recorded change as one readable line: `field: old → new; …` (other facts as key: value)."""
    if not changes:
        return ""
    parts = []
    for key, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{key}: {_plain(value[0])} → {_plain(value[1])}")
        else:
            parts.append(f"{key}: {_plain(value)}")
    return "; ".join(parts)[:CHANGES_MAX_CHARS]


def _plain(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _object_type(entry) -> str:
    return f"{entry.content_type.app_label}.{entry.content_type.model}"


AUDIT_COLUMNS = [
    XColumn(gettext_lazy("At"), lambda e: e.at, "datetime", 18),
    XColumn(gettext_lazy("Actor"), lambda e: e.actor_name or (e.actor.get_username() if e.actor else ""), width=22),
    XColumn(gettext_lazy("Login"), lambda e: e.actor.get_username() if e.actor else "", width=14),
    XColumn(gettext_lazy("Action"), lambda e: e.action, width=24),
    XColumn(gettext_lazy("Object type"), _object_type, width=20),
    XColumn(gettext_lazy("Object id"), lambda e: e.object_id, width=10),
    XColumn(gettext_lazy("Object"), lambda e: e.object_repr, width=30),
    XColumn(gettext_lazy("Changes"), lambda e: changes_text(e.changes), width=60),
]


def _filtered(request) -> tuple[AuditFilter, object]:
    if not can_read_audit(request.user):
        raise PermissionDenied
    filters = AuditFilter(request.GET, queryset=audit_entries_visible_to(request.user), request=request)
    return filters, filters.qs


@login_required
def audit_view(request):
    filters, rows = _filtered(request)
    page = page_of(request, rows, PER_PAGE, filters)
    entries = list(page.object_list)
    for entry in entries:
        entry.changes_text = changes_text(entry.changes)
        entry.object_type = _object_type(entry)
    context = {"filters": filters, "form": filters.form, "page": page, "entries": entries}
    return render(request, "dashboards/audit.html", context)


@login_required
def audit_export_view(request):
    """The search's entries (at most EXPORT_MAX_ROWS, newest first), read from the database in chunks."""
    _filters, rows = _filtered(request)
    rows = rows[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
    name = _("Audit log")
    data = table_workbook(AUDIT_COLUMNS, rows, sheet=name)
    return xlsx_response(data, f"{name}-{timezone.localdate():%Y%m%d}.xlsx")
