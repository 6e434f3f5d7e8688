"""The API's viewsets: thin. Rows come from the access policy (accounts.policies.visible), writes
go through the domain services with the caller as the audited actor, and every POST that creates
honours an Idempotency-Key."""

import dataclasses
from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from tongxin.accounts.policies import Action, person_to_reveal, visible
from tongxin.core.actor import Actor
from tongxin.core.errors import NotFoundOrForbidden
from tongxin.orgs.models import Organization
from tongxin.orgs.selectors import units_with_org_flag
from tongxin.orgs.services import organization_create
from tongxin.people.models import Membership, Person
from tongxin.people.selectors import persons_matching
from tongxin.people.services import (
    DUPLICATE_MEMBERSHIP_MESSAGE,
    MembershipData,
    PersonData,
    membership_save,
    person_create,
    person_reveal,
    person_update,
)
from tongxin.territory.models import Territory
from tongxin.territory.services import territory_create, territory_rename
from tongxin.units.models import Unit
from tongxin.units.services import unit_create, unit_update

from . import filters as api_filters
from . import serializers as s
from .filters import MAX_ID
from .idempotency import idempotent
from .schema import api_docs
from .throttles import RevealThrottle

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class PinyinOrdering(filters.OrderingFilter):
    """?ordering=name sorts people by the pinyin of their names (Person.name_sort), as Chinese
    registers do, not by code point; the parameter keeps the field's plain name."""

    ALIASES = {"name": "name_sort", "person__name": "person__name_sort"}

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        return [self._alias(term) for term in super().get_ordering(request, queryset, view) or []]

    def _alias(self, term: str) -> str:
        sign, field = ("-", term[1:]) if term.startswith("-") else ("", term)
        return sign + self.ALIASES.get(field, field)


def with_parent(nodes: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate each tree node with its parent's id, read from the materialised path."""
    model = nodes.model
    parents = model._default_manager.filter(
        path=Left(OuterRef("path"), (OuterRef("depth") - 1) * model.steplen)
    ).values("pk")[:1]
    return nodes.annotate(parent_id=Subquery(parents))


def row_id(value: Any) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。")) from None
    if not 1 <= number <= MAX_ID:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    return number


class ScopedViewSet(viewsets.GenericViewSet[Any]):
    """Rows the caller may see (reads) or change (writes), from the one policy module. A row out
    of scope and a missing row give the same 404."""

    model: type[Model]
    permission_classes = [IsAuthenticated]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            # DRF checks throttles only after authentication and permissions pass; count refused
            # callers against the anonymous budget too, so that guessing tokens is slowed down.
            self.check_throttles(request)
            raise

    def get_object(self) -> Any:
        # A path id the database cannot hold is simply not there (not an overflow in the driver).
        self.kwargs[self.lookup_field] = row_id(self.kwargs.get(self.lookup_field))
        return super().get_object()

    def policy_action(self) -> Action:
        return Action.VIEW if self.request.method in SAFE_METHODS else Action.CHANGE

    def get_queryset(self) -> QuerySet[Any]:
        return self.shape(visible(self.request.user, self.model, self.policy_action()))

    def shape(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows

    def shown(self, obj: Model) -> dict[str, Any]:
        """The row as a read returns it (annotations included)."""
        row = self.shape(visible(self.request.user, self.model)).filter(pk=obj.pk).first()
        return dict(self.get_serializer(row or obj).data)

    def write_serializer(
        self,
        serializer_class: type[serializers.Serializer[Any]],
        *,
        instance: Any = None,
        partial: bool = False,
    ) -> serializers.Serializer[Any]:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        s.narrow_choices(serializer, self.request.user, instance=instance)
        serializer.is_valid(raise_exception=True)
        return serializer


class ReadOnlyScoped(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    pass


class _Writable(ReadOnlyScoped):
    write_serializer_class: type[serializers.Serializer[Any]]
    # What an update accepts, when it differs from what a create needs.
    update_serializer_class: type[serializers.Serializer[Any]] | None = None

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create())

    def _create(self) -> Response:
        data = self.write_serializer(self.write_serializer_class).validated_data
        obj = self.perform_write(data, instance=None, actor=Actor.from_request(self.request))
        return Response(self.shown(obj), status=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: Any = None, partial: bool = False) -> Response:
        instance = self.get_object()
        serializer_class = self.update_serializer_class or self.write_serializer_class
        serializer = self.write_serializer(serializer_class, instance=instance, partial=partial)
        obj = self.perform_write(
            serializer.validated_data, instance=instance, actor=Actor.from_request(request)
        )
        return Response(self.shown(obj))

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self.update(request, pk, partial=True)

    def perform_write(self, data: dict[str, Any], *, instance: Any, actor: Actor) -> Model:
        raise NotImplementedError


class _TreeNodes(_Writable):
    """A tree's nodes: in tree order by default, each with its parent's id."""

    search_fields = ["name", "code"]
    ordering_fields = ["path", "name", "code", "id"]
    ordering = ["path"]

    def shape(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return with_parent(rows)


@api_docs("territory", _("属地"), create=s.TerritoryCreateSerializer, update=s.TerritoryRenameSerializer)
class TerritoryViewSet(_TreeNodes):
    """Create a node under one the caller may add to; an update renames (moving a node and
    deleting one stay on the pages, where their consequences are shown)."""

    model = Territory
    serializer_class = s.TerritorySerializer
    write_serializer_class = s.TerritoryCreateSerializer
    update_serializer_class = s.TerritoryRenameSerializer
    filterset_class = api_filters.TerritoryFilter

    def perform_write(self, data: dict[str, Any], *, instance: Territory | None, actor: Actor) -> Model:
        if instance is None:
            return territory_create(**data, by=actor)
        return territory_rename(territory=instance, name=data.get("name", instance.name), by=actor)


@api_docs("organization", _("党组织"), create=s.OrganizationCreateSerializer)
class OrganizationViewSet(_TreeNodes):
    """Create an organisation under one the caller may add to; the rest stays on the pages."""

    model = Organization
    serializer_class = s.OrganizationSerializer
    write_serializer_class = s.OrganizationCreateSerializer
    filterset_class = api_filters.OrganizationFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_write(self, data: dict[str, Any], *, instance: Organization | None, actor: Actor) -> Model:
        return organization_create(**data, by=actor)


@api_docs("unit", _("驻区单位"), create=s.UnitWriteSerializer, update=s.UnitWriteSerializer)
class UnitViewSet(_Writable):
    model = Unit
    serializer_class = s.UnitSerializer
    write_serializer_class = s.UnitWriteSerializer
    filterset_class = api_filters.UnitFilter
    search_fields = ["name", "=credit_code"]
    ordering_fields = ["name", "credit_code", "created_at", "id"]
    ordering = ["name", "id"]

    def shape(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return units_with_org_flag(rows)

    def perform_write(self, data: dict[str, Any], *, instance: Unit | None, actor: Actor) -> Model:
        if instance is None:
            return unit_create(**data, by=actor)
        merged = {f: getattr(instance, f) for f in ("name", "credit_code", "kind", "territory", "address")}
        return unit_update(unit=instance, **{**merged, **data}, by=actor)


@api_docs("person", _("人员"), create=s.PersonWriteSerializer, update=s.PersonWriteSerializer)
class PersonViewSet(_Writable):
    model = Person
    serializer_class = s.PersonSerializer
    write_serializer_class = s.PersonWriteSerializer
    filterset_class = api_filters.PersonFilter
    filter_backends = [DjangoFilterBackend, PinyinOrdering]
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]

    def shape(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        # The same per-row decision as the export: the birth date only where the caller may reveal.
        revealable = visible(self.request.user, Person, Action.REVEAL).filter(pk=OuterRef("pk"))
        return rows.annotate(may_reveal=Exists(revealable))

    def policy_action(self) -> Action:
        return Action.VIEW if self.action == "search" else super().policy_action()

    @extend_schema(
        operation_id="person_search",
        summary=_("按身份证号查找人员"),
        description=_(
            "身份证号放在请求体中提交,不进入网址和访问日志(GET 列表的 search 参数不接受身份证号)。"
            "返回与人员列表相同的内容:您权限范围内的记录,默认遮蔽,分页返回;"
            "身份证号精确匹配,不在范围内的与未登记的一样查不到。"
        ),
        request=s.PersonSearchSerializer,
        responses={200: s.PersonSerializer(many=True)},
        tags=[str(_("人员"))],
    )
    @action(detail=False, methods=["post"], url_path="search", filter_backends=[PinyinOrdering])
    def search(self, request: Request) -> Response:
        query = s.PersonSearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        rows = self.get_queryset()
        if query.validated_data.get("id_number"):
            rows = persons_matching(persons=rows, query=query.validated_data["id_number"])
        if query.validated_data.get("name"):
            rows = rows.filter(name__icontains=query.validated_data["name"])
        page = self.paginate_queryset(self.filter_queryset(rows))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_write(self, data: dict[str, Any], *, instance: Person | None, actor: Actor) -> Model:
        if instance is None:
            return person_create(data=PersonData(**data), by=actor)
        current = {
            f: getattr(instance, f)
            for f in ("name", "id_number", "mobile", "address", "ethnicity", "education", "residence")
        }
        return person_update(person=instance, data=PersonData(**{**current, **data}), by=actor)

    @extend_schema(
        operation_id="person_reveal",
        summary=_("查看一项敏感信息明文"),
        description=_(
            "返回身份证号、手机号或居住地址之一的明文,并记入审计日志。须有查看明文的权限;"
            "无权与不存在一样返回 404(拒绝也记入审计)。频率另有更严的限制。"
        ),
        request=s.RevealRequestSerializer,
        responses={200: s.RevealResponseSerializer},
        tags=[str(_("人员"))],
    )
    @action(
        detail=True,
        methods=["post"],
        throttle_classes=[*api_settings.DEFAULT_THROTTLE_CLASSES, RevealThrottle],
    )
    def reveal(self, request: Request, pk: Any = None) -> Response:
        """Show one sensitive value in clear. The policy is asked again here; a refusal is audited
        as DENIED and answered like a missing person."""
        field = s.RevealRequestSerializer(data=request.data)
        field.is_valid(raise_exception=True)
        name = field.validated_data["field"]
        actor = Actor.from_request(request)
        person = person_to_reveal(request.user, pk, name, by=actor)
        value = person_reveal(person=person, field=name, by=actor)
        return Response({"field": name, "value": value})


@api_docs("membership", _("党员信息"), create=s.MembershipWriteSerializer, update=s.MembershipWriteSerializer)
class MembershipViewSet(_Writable):
    model = Membership
    serializer_class = s.MembershipSerializer
    write_serializer_class = s.MembershipWriteSerializer
    filterset_class = api_filters.MembershipFilter
    filter_backends = [DjangoFilterBackend, PinyinOrdering]
    ordering_fields = ["joined_on", "person__name", "created_at", "id"]
    ordering = ["person__name", "id"]

    def shape(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("person")

    def perform_write(self, data: dict[str, Any], *, instance: Membership | None, actor: Actor) -> Model:
        person = data.pop("person", None)
        if instance is not None:
            if person is not None and person != instance.person:
                raise serializers.ValidationError({"person": [_("党员信息所属人员不能更改。")]})
            person = instance.person
        elif Membership.objects.filter(person=person).exists():
            raise serializers.ValidationError({"person": [str(DUPLICATE_MEMBERSHIP_MESSAGE)]})
        fields = [f.name for f in dataclasses.fields(MembershipData)]
        current = {f: getattr(instance, f) for f in fields} if instance is not None else {}
        values = {**current, **{k: v for k, v in data.items() if k in fields}}
        return membership_save(
            person=person, data=MembershipData(**values), by=actor, today=timezone.localdate()
        )
