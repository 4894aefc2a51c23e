"""Admin for industry chains, enterprises and service teams."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedAdmin
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam


class ChainSegmentInline(admin.TabularInline):
    model = ChainSegment
    extra = 0
    fields = ["name", "position", "sort_order"]


@admin.register(IndustryChain)
class IndustryChainAdmin(AuditedAdmin):
    list_display = ["name", "chief", "segment_count", "gap_count", "sort_order"]
    list_select_related = ["chief"]
    search_fields = ["name"]
    autocomplete_fields = ["chief"]
    inlines = [ChainSegmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_segments=Count("segments", distinct=True),
                n_gaps=Count("segments", filter=Q(segments__enterprises__isnull=True), distinct=True),
            )
        )

    @admin.display(description=_("segments"), ordering="n_segments")
    def segment_count(self, chain):
        return chain.n_segments

    @admin.display(description=_("gaps (no enterprise)"), ordering="n_gaps")
    def gap_count(self, chain):
        return chain.n_gaps


@admin.register(ChainSegment)
class ChainSegmentAdmin(AuditedAdmin):
    list_display = ["name", "chain", "position", "sort_order"]
    list_filter = ["chain", "position"]
    list_select_related = ["chain"]
    search_fields = ["name", "chain__name"]


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "credit_code", "park", "industry", "is_key"]
    list_filter = ["is_key", "park", "segments__chain"]
    list_select_related = ["park"]
    search_fields = ["name", "short_name", "name_initials", "credit_code"]
    autocomplete_fields = ["park"]
    filter_horizontal = ["segments"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "segments":
            # A segment's label names its chain: fetch them together.
            kwargs["queryset"] = ChainSegment.objects.select_related("chain")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ServiceTeam)
class ServiceTeamAdmin(AuditedAdmin):
    list_display = ["name", "lead", "stationed", "member_count"]
    list_filter = ["stationed"]
    list_select_related = ["lead"]
    search_fields = ["name", "lead__name", "members__name"]
    autocomplete_fields = ["lead"]
    filter_horizontal = ["members", "enterprises"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_members=Count("members", distinct=True))

    @admin.display(description=_("members"), ordering="n_members")
    def member_count(self, team):
        return team.n_members
