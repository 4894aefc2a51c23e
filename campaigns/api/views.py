"""API of campaigns: the list with countdown, milestone counts and reminder ladder, a campaign's
milestones (scoped to what the user may see) and its statistics. Figures come from
campaigns.selectors (one definition each)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from campaigns.api.serializers import CampaignSerializer, CampaignStatisticsSerializer
from campaigns.models import Campaign
from campaigns.selectors import (
    MILESTONE_STATUSES,
    campaign_milestones,
    campaign_ranking,
    campaign_statistics,
    campaigns_visible_to,
)
from core.api.schema import NOT_FOUND
from core.api.viewsets import ServiceViewSet
from projects.api.serializers import MilestoneSerializer


class MilestoneParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MILESTONE_STATUSES, required=False, help_text=_("met, due (not done, not late) or overdue.")
    )


@extend_schema_view(
    list=extend_schema(summary=_("Campaigns")),
    retrieve=extend_schema(summary=_("A campaign")),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Push campaigns (专项行动) with their countdown, milestone counts and reminder ladder."""

    serializer_class = CampaignSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["start_date", "end_date", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Campaign.objects.none()
        return campaigns_visible_to(self.request.user, today=timezone.localdate()).select_related("reminder_policy")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        summary=_("A campaign's milestones"),
        parameters=[MilestoneParamsSerializer],
        responses={200: MilestoneSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def milestones(self, request, pk=None):
        campaign = self.get_object()
        params = MilestoneParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        qs = campaign_milestones(campaign=campaign, user=request.user, status=params.validated_data.get("status"))
        page = self.paginate_queryset(qs)
        data = MilestoneSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary=_("A campaign's statistics"),
        description=_(
            "Countdown, milestones met / due / overdue, progress against the goals, and the ranking of "
            "parks and responsible units by milestones met on time (over the whole campaign)."
        ),
        responses={200: CampaignStatisticsSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def statistics(self, request, pk=None):
        campaign = self.get_object()
        today = timezone.localdate()
        stats = campaign_statistics(campaign=campaign, today=today)
        stats.ranking_parks = campaign_ranking(campaign=campaign, by="park", today=today)
        stats.ranking_units = campaign_ranking(campaign=campaign, by="unit", today=today)
        return Response(CampaignStatisticsSerializer(stats).data)
