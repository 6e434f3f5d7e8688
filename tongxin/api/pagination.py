from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from .errors import ApiError


class PageNumber(PageNumberPagination):
    """?page=N&page_size=M; the answer carries the total count. A page size above the cap is cut
    to the cap rather than refused."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            # Still `not_found`, but saying which page exists: "no such record" misleads a client
            # that only asked for page 999999.
            pages = max(1, -(-queryset.count() // (self.get_page_size(request) or self.page_size)))
            raise ApiError(
                status_code=404,
                code="not_found",
                message=_("没有这一页:页码应为 1 到 %(pages)s 之间的整数。") % {"pages": pages},
            ) from None
