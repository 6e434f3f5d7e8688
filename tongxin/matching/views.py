"""Pages of the matching app (being written)."""

from django.http import Http404, HttpRequest, HttpResponse


def need_helpers(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def batch(request: HttpRequest) -> HttpResponse:
    raise Http404


def my_profile(request: HttpRequest) -> HttpResponse:
    raise Http404
