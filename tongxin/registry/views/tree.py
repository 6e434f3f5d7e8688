from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tongxin.accounts.policies import get_visible_or_404
from tongxin.core.errors import NotFoundOrForbidden

from ..access import registry_page
from ..tree_panel import TREES, children_of, tree_search
from .common import search_text


@registry_page
def tree_children(request: HttpRequest, tree: str, pk: int) -> HttpResponse:
    """One level of the left panel's tree, asked for when the user expands a node: the same 404
    for a node that is not there and one the account may not see."""
    if tree not in TREES:
        raise NotFoundOrForbidden(_("未找到该记录,或您无权查看。"))
    spec = TREES[tree]
    parent = get_visible_or_404(request.user, spec.model, pk)
    children, more = children_of(request.user, spec, parent)
    context = {"tree": spec, "nodes": children, "more": more, "parent": parent}
    return render(request, "registry/tree/_nodes.html", context)


@registry_page
def tree_search_page(request: HttpRequest) -> HttpResponse:
    """The panel's search box: names, full pinyin or pinyin initials, across both trees."""
    query = search_text(request)
    context = {"query": query, "groups": tree_search(request.user, query) if query else []}
    return render(request, "registry/tree/_search_results.html", context)
