"""Lists in the API come in pages: ``{"items": [...], "count": total}``, ``?page=&page_size=``.

Django Ninja's page number pagination with its inputs bounded: a page number or size outside the
bounds is a 422 with the field named, never an offset the database cannot hold.
"""

from __future__ import annotations

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
