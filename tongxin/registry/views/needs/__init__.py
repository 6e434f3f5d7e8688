"""The staff side of the needs loop: queue, detail with its steps, bulk steps, entry on behalf
of a caller, the location view, the rates and the exports."""

from .bulk import need_bulk_accept, need_bulk_dispatch
from .detail import need_act, need_detail
from .entry import need_entry, need_person_search, need_photo, need_suggest, need_target_search
from .places import need_places
from .queue import need_export, need_queue
from .rates import need_rates_export, need_rates_page

__all__ = [
    "need_act",
    "need_bulk_accept",
    "need_bulk_dispatch",
    "need_detail",
    "need_entry",
    "need_export",
    "need_person_search",
    "need_photo",
    "need_places",
    "need_queue",
    "need_rates_export",
    "need_rates_page",
    "need_suggest",
    "need_target_search",
]
