from rest_framework.pagination import PageNumberPagination


class PageNumber(PageNumberPagination):
    """?page=N&page_size=M; the answer carries the total count. A page size above the cap is cut
    to the cap rather than refused."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
