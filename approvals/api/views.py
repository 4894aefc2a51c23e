"""API of approvals: the items (list with the list page's FilterSet, detail, change, steps,
documents), checklist generation, the per-department figures, the item types. Querysets come
from approvals.selectors (an item the user may not see is a 404); writes are services calls."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from approvals.api.serializers import (
    ApprovalItemSerializer,
    ChecklistSerializer,
    DepartmentFiguresSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    ItemTypeSerializer,
    ItemUpdateSerializer,
    TransitionSerializer,
)
from approvals.filters import ApprovalItemFilter
from approvals.models import ApprovalDocument
from approvals.permissions import can_update_item, can_view_department_figures, may_generate_checklists
from approvals.selectors import department_figures, item_list, item_types_in_use, items_visible_to
from approvals.services import checklist_generate, document_add, item_transition, item_update
from core.api.permissions import WriteRule
from core.api.schema import write_responses
from core.api.viewsets import ServiceViewSet
from core.errors import PermissionDenied


@extend_schema_view(
    list=extend_schema(summary=_("Approval items")),
    retrieve=extend_schema(summary=_("An approval item")),
)
class ApprovalItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ServiceViewSet):
    """Pre-construction approval items (前期手续) of the projects the user may see, and of the
    department a handler works in."""

    serializer_class = ApprovalItemSerializer
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = ApprovalItemFilter
    ordering_fields = ["due_date", "applied_on", "approved_on", "sort_order"]
    ordering = ["project__code", "sort_order", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Permission before validation (core.api.permissions): the step's own actors are checked by
    # the service; who may change nothing of the item learns nothing about the input.
    write_rules = {
        "partial_update": WriteRule(obj=can_update_item),
        "transition": WriteRule(obj=can_update_item),
        "documents": WriteRule(obj=can_update_item),
        "generate": WriteRule(user=may_generate_checklists),
    }

    def get_queryset(self):
        return item_list(user=self.request.user).prefetch_related("documents__uploaded_by__official")

    @extend_schema(
        summary=_("Change an approval item's details"),
        description=_(
            "Time limit (the due date follows), the applied and approved dates once a step set them, the "
            "document number, the blocking issue (of the same project), the note; the approving department "
            "(supervision office only)."
        ),
        request=ItemUpdateSerializer(partial=True),
        responses=write_responses(200, ApprovalItemSerializer),
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        return self.respond(
            item_update(item=item, by=request.user, **self.validated(ItemUpdateSerializer, partial=True))
        )

    @extend_schema(
        summary=_("Take a step"),
        description=_(
            "start (applied_on), approve (approved_on, approval_number), return (note), not_applicable (note), "
            "restore (note), reopen (note; supervision office). 409 when the step does not apply to the status."
        ),
        request=TransitionSerializer,
        responses=write_responses(200, ApprovalItemSerializer),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        data = self.validated(TransitionSerializer)
        return self.respond(item_transition(item=item, by=request.user, **data))

    @extend_schema(
        summary=_("Add a document"),
        description=_("multipart/form-data: `file` (PDF or image), optional `title`."),
        request={"multipart/form-data": DocumentUploadSerializer},
        responses=write_responses(201, DocumentSerializer),
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        item = self.get_object()
        data = self.validated(DocumentUploadSerializer)
        document = document_add(item=item, by=request.user, upload=data["file"], title=data.get("title", ""))
        document = ApprovalDocument.objects.select_related("uploaded_by__official").get(pk=document.pk)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Generate a project's checklist"),
        description=_(
            "Sets the project's type and adds the approval items it needs that the project lacks (idempotent). "
            "Answers the project's items."
        ),
        request=ChecklistSerializer,
        responses=write_responses(200, ApprovalItemSerializer(many=True), detail=False),
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        data = self.validated(ChecklistSerializer)
        checklist_generate(by=request.user, **data)
        items = self.get_queryset().filter(project=data["project"]).order_by("sort_order", "pk")
        return Response(ApprovalItemSerializer(items, many=True).data)

    @extend_schema(
        summary=_("Approvals by department (审批提速)"),
        description=_(
            "Per approving department: in progress, overdue, approved this year, of them late, average working "
            "days to approve; over the items the user may see."
        ),
        responses=DepartmentFiguresSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def departments(self, request):
        if not can_view_department_figures(request.user):
            raise PermissionDenied(_("You may not see these figures."))
        today = timezone.localdate()
        figures = department_figures(items_visible_to(request.user), today=today, year=today.year)
        return Response(DepartmentFiguresSerializer(figures, many=True).data)


@extend_schema_view(
    list=extend_schema(summary=_("Approval item types")),
    retrieve=extend_schema(summary=_("An approval item type")),
)
class ItemTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The kinds of approval in use, in checklist order, with the department, the default time limit
    and the project types that need them (edited by the supervision office in the admin)."""

    serializer_class = ItemTypeSerializer
    pagination_class = None

    def get_queryset(self):
        return item_types_in_use()
