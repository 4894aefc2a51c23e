"""Reads of enterprises, chains and service teams, scoped by role."""

from django.db.models import Q, QuerySet

from core.roles import official_of
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.permissions import can_view_directory


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """The enterprise directory: readable by every user with a role."""
    if not can_view_directory(user):
        return Enterprise.objects.none()
    return Enterprise.objects.select_related("park").prefetch_related("segments__chain")


def enterprise_search_q(q: str) -> Q:
    """Enterprises whose name, short name, credit code or pinyin initials contain `q`
    (`zxgt` → 中新钢铁); an empty `q` matches every enterprise."""
    q = (q or "").strip()
    if not q:
        return Q()
    return (
        Q(name__icontains=q)
        | Q(short_name__icontains=q)
        | Q(credit_code__icontains=q)
        | Q(name_initials__icontains=q.lower())
    )


def enterprise_search(*, user, q: str = "") -> QuerySet[Enterprise]:
    """Find the enterprises the user may see by name, short name, credit code or pinyin initials."""
    return enterprises_visible_to(user).filter(enterprise_search_q(q))


def enterprises_served_by(user) -> QuerySet[Enterprise]:
    """Enterprises that the user's service teams serve (their first choices when logging issues)."""
    official = official_of(user)
    if official is None:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(service_teams__members=official).distinct()


def chains_visible_to(user) -> QuerySet[IndustryChain]:
    if not can_view_directory(user):
        return IndustryChain.objects.none()
    return IndustryChain.objects.select_related("chief").prefetch_related("segments")


def segments_visible_to(user) -> QuerySet[ChainSegment]:
    if not can_view_directory(user):
        return ChainSegment.objects.none()
    return ChainSegment.objects.select_related("chain")


def service_teams_visible_to(user) -> QuerySet[ServiceTeam]:
    if not can_view_directory(user):
        return ServiceTeam.objects.none()
    return ServiceTeam.objects.select_related("lead").prefetch_related("members", "enterprises")
