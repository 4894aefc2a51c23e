"""The /api/v1/ router: every app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import LogoutView, TokenView, UserDeactivateView
from approvals.api.views import ApprovalItemViewSet, ItemTypeViewSet
from campaigns.api.views import CampaignViewSet
from dashboards.api.audit import AuditEntryViewSet
from enterprises.api.views import (
    ChainViewSet,
    DepartmentViewSet,
    EnterpriseViewSet,
    OfficialViewSet,
    ParkViewSet,
    ServiceTeamViewSet,
)
from funding.api.views import FundingLineViewSet, PolicySupportViewSet
from geo.api.views import ParkBoundaryViewSet, ProjectLocationViewSet
from intake.api.views import CandidateViewSet, DispatchEntryViewSet
from issues.api.views import IssueViewSet, TimeLimitRuleViewSet, VisitViewSet
from notifications.api.views import NotificationViewSet, UnroutedReminderViewSet
from projects.api.views import AnnualTargetViewSet, MilestoneViewSet, ProgressReportViewSet, ProjectViewSet

router = DefaultRouter()
router.register("parks", ParkViewSet, basename="park")
router.register("departments", DepartmentViewSet, basename="department")
router.register("officials", OfficialViewSet, basename="official")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("chains", ChainViewSet, basename="chain")
router.register("service-teams", ServiceTeamViewSet, basename="service-team")
router.register("projects", ProjectViewSet, basename="project")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("annual-targets", AnnualTargetViewSet, basename="annual-target")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("issues", IssueViewSet, basename="issue")
router.register("visits", VisitViewSet, basename="visit")
router.register("time-limit-rules", TimeLimitRuleViewSet, basename="time-limit-rule")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("unrouted-reminders", UnroutedReminderViewSet, basename="unrouted-reminder")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("dispatch-entries", DispatchEntryViewSet, basename="dispatch-entry")
router.register("funding-lines", FundingLineViewSet, basename="funding-line")
router.register("policy-supports", PolicySupportViewSet, basename="policy-support")
router.register("project-locations", ProjectLocationViewSet, basename="project-location")
router.register("park-boundaries", ParkBoundaryViewSet, basename="park-boundary")
router.register("approval-items", ApprovalItemViewSet, basename="approval-item")
router.register("approval-item-types", ItemTypeViewSet, basename="approval-item-type")
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("users/<int:pk>/deactivate/", UserDeactivateView.as_view(), name="user-deactivate"),
    path("", include("dashboards.api.urls")),
    *router.urls,
]
