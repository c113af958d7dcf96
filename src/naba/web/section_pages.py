"""The reader's section pages: ``/sections/{section}`` (optionally ``?country=SA``), the newest articles of a
section grouped by day, with every section's count and the section's countries as filters.

Built on the one read model (:func:`naba.engine.section_views.section_view`); the template escapes every value.
An unknown section is the reader's 404 page; a malformed country is ignored (the unfiltered section shows).
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from naba.engine.section_views import country_code, section_view
from naba.errors import InputError
from naba.sections import SECTION_KEYS
from naba.web.backend import ReaderBackend
from naba.web.pages import (
    Renderer,
    SourceLink,
    display_for,
    group_by_day,
    href,
    make_pager,
    page_number,
)

# Countries offered as filters on a section page: the most common among its newest articles.
COUNTRY_FILTERS: Final = 12
COUNTRY_POOL: Final = 300


def section_href(key: str, country: str | None = None) -> str:
    return href(f"/sections/{key}", {"country": country})


def build_section_router(backend: ReaderBackend, render: Renderer) -> APIRouter:
    router = APIRouter()

    @router.get("/sections/{section}", response_class=HTMLResponse)
    def section(
        request: Request, section: str, country: str | None = None, page: str | None = None
    ) -> HTMLResponse:
        if section not in SECTION_KEYS:
            raise HTTPException(status_code=404)
        try:
            code = country_code(country) if country else None
        except InputError:
            code = None
        display = display_for(request)
        size = backend.settings.page_size
        number = page_number(page)
        store = backend.store
        view = section_view(store, section=section, country=code, limit=size, offset=(number - 1) * size)
        total = store.section_total(section=section, country=code)
        stored = store.get_many([a.id for a in view.articles])
        articles = [stored[a.id].article for a in view.articles if a.id in stored]
        pool = store.sections_of(store.section_articles(section=section, limit=COUNTRY_POOL))
        countries: dict[str, int] = {}
        for row in pool.values():
            for c in row.countries[:1]:
                countries[c] = countries.get(c, 0) + 1
        top = sorted(countries, key=lambda c: (-countries[c], c))[:COUNTRY_FILTERS]
        assert view.section is not None
        context = {
            "section": view.section,
            "country": code,
            "total": display.count(total, "article"),
            "days": group_by_day(articles, display),
            "sections": [
                SourceLink(
                    c.section.key,
                    c.section.name_ar,
                    display.num(c.count),
                    section_href(c.section.key),
                    c.section.key == section,
                )
                for c in view.sections
            ],
            "countries": [
                SourceLink(c, c, display.num(countries[c]), section_href(section, c), c == code) for c in top
            ],
            "all_countries_href": section_href(section),
            "pager": make_pager(number, total, size, f"/sections/{section}", {"country": code}, display),
            "tab": f"section:{section}",
        }
        return render(request, "section.html", context)

    return router
