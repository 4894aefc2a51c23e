"""API of campaigns (their milestones and statistics) and of the current user's notifications.

Campaign figures come from projects.campaigns; the milestone list is scoped to what the user may
see. Notifications are always the requesting user's own: another user's id is a 404.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api.schema import NOT_FOUND
from core.api.viewsets import ServiceViewSet
from notifications.api.serializers import (
    CampaignSerializer,
    CampaignStatisticsSerializer,
    NotificationSerializer,
    ReadAllSerializer,
    UnreadCountSerializer,
)
from notifications.models import Notification
from notifications.selectors import notifications_for, unread_count
from notifications.services import notification_mark_read, notifications_mark_all_read
from projects.api.serializers import MilestoneSerializer
from projects.campaigns import (
    MILESTONE_STATUSES,
    campaign_milestones,
    campaign_ranking,
    campaign_statistics,
    campaigns_visible_to,
)
from projects.models import Campaign


class MilestoneParamsSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MILESTONE_STATUSES, required=False, help_text=_("met, due (not done, not late) or overdue.")
    )


class NotificationParamsSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("true: only unread; false: only read.")
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


@extend_schema_view(
    list=extend_schema(
        summary=_("My notifications"),
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description=_("true: only unread; false: only read."))
        ],
    ),
    retrieve=extend_schema(summary=_("One of my notifications")),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """The current user's reminders and notices, newest first."""

    serializer_class = NotificationSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        unread = None
        if self.action == "list":
            params = NotificationParamsSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            unread = params.validated_data.get("unread")
        return notifications_for(self.request.user, unread=unread)

    @extend_schema(summary=_("Mark one notification read"), request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(summary=_("Mark all my notifications read"), request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = notifications_mark_all_read(by=request.user)
        return Response({"marked": marked, "unread": unread_count(request.user)})

    @extend_schema(summary=_("How many of my notifications are unread"), responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": unread_count(request.user)})
