from django.db.models import QuerySet

from savedfilters.models import SavedFilter


def saved_filters_for(*, user, page: str) -> QuerySet[SavedFilter]:
    """The user's own saved filters of one list, by name."""
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(user=user, page=page).order_by("name")
