"""Writes of saved filters: save (a name already used replaces its query) and delete. Each user
only their own; one transaction each, audited."""

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.roles import role_of
from core.services import audit_record
from savedfilters.models import ListPage, SavedFilter

MAX_PER_LIST = 20
#: Parameters that are not a filter: where the user was in the list, htmx's own.
NOT_FILTERS = {"page", "csrfmiddlewaretoken"}


def clean_query(query: str) -> str:
    """The filters of a query string, empty values and the page number left out, in a stable order."""
    params = QueryDict(query or "", mutable=True)
    kept = QueryDict(mutable=True)
    for key in sorted(params.keys()):
        if key in NOT_FILTERS:
            continue
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


@transaction.atomic
def saved_filter_save(*, by, page: str, name: str, query: str) -> SavedFilter:
    if role_of(by) is None:
        raise PermissionDenied(_("You have no role in the system."))
    if page not in ListPage.values:
        raise ApplicationError(_("Filters of this list cannot be saved."), fields={"page": [_("Unknown list.")]})
    name = " ".join((name or "").split())
    if not name:
        message = _("Give the filter a name.")
        raise ApplicationError(message, fields={"name": [message]})
    if len(name) > 40:
        message = _("At most 40 characters.")
        raise ApplicationError(message, fields={"name": [message]})
    query = clean_query(query)
    if not query:
        message = _("Choose some filters first: there is nothing to save.")
        raise ApplicationError(message, fields={"query": [message]})
    if len(query) > 1000:
        message = _("These filters are too long to save.")
        raise ApplicationError(message, fields={"query": [message]})
    existing = SavedFilter.objects.select_for_update().filter(user=by, page=page, name=name).first()
    if existing is None:
        if SavedFilter.objects.filter(user=by, page=page).count() >= MAX_PER_LIST:
            message = _("At most %(n)d saved filters per list: delete one first.") % {"n": MAX_PER_LIST}
            raise ApplicationError(message, fields={"name": [message]})
        saved = SavedFilter.objects.create(user=by, page=page, name=name, query=query)
        action = "saved_filter.create"
    else:
        existing.query = query
        existing.save(update_fields=["query"])
        saved, action = existing, "saved_filter.update"
    audit_record(actor=by, action=action, obj=saved, changes={"page": page, "name": name, "query": query})
    return saved


@transaction.atomic
def saved_filter_delete(*, by, saved_filter: SavedFilter) -> None:
    if saved_filter.user_id != by.pk:
        raise PermissionDenied(_("This is not your saved filter."))
    audit_record(actor=by, action="saved_filter.delete", obj=saved_filter, changes={"name": saved_filter.name})
    saved_filter.delete()
