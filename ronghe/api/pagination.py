"""Lists in the API come in pages: ``{"items": [...], "count": total}``, ``?page=&page_size=``.

Django Ninja's page number pagination with its inputs bounded: a page number or size outside the
bounds is a 422 with the field named, never an offset the database cannot hold.

The total is counted only when the page does not tell it: a page shorter than the page size is the
last one, so the total is its offset plus its length (a list that fits in one page is one query).
A list may give its rows and the queryset to count apart (:class:`Rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="page number, from 1")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE,
                                      description=f"items per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE})")

    def __init__(self, page_size: int = PAGE_SIZE, max_page_size: int = MAX_PAGE_SIZE, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)

    def paginate_queryset(self, queryset: Any, pagination: Input, **params: Any) -> dict[str, Any]:
        rows, counted = (queryset.rows, queryset.counted) if isinstance(queryset, Rows) else (queryset, queryset)
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        items = list(rows[offset:offset + page_size])
        last = len(items) < page_size and (items or offset == 0)
        count = offset + len(items) if last else counted() if callable(counted) else self._items_count(counted)
        return {self.items_attribute: items, "count": count}


@dataclass(frozen=True)
class Rows:
    """What a paginated list returns when the rows it shows are not the queryset to count: e.g. its
    ``.values()`` with columns of joined tables, which a count would join for every counted row.
    ``counted``: the queryset to count, or a function that returns the count (a cached one, say)."""

    rows: Any
    counted: Any
