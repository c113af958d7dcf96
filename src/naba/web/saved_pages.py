"""The reader's saved searches: ``/saved`` lists them (each with its search page and feeds) and offers a form
to save one, prefilled from ``?q=&source=`` so a search page can link here; saving or deleting posts the form
back with a write token (the same rule as the API: a change needs a write token, so a forged cross-site form
without the token does nothing).

Same rules as :mod:`naba.web.pages`: plain strings into autoescaped templates. The form is parsed here
(``application/x-www-form-urlencoded``, bounded by the API's body limit) and answers 303 to ``/saved``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from naba.engine import access as engine_access
from naba.errors import ApiError, NabaError, ReadOnlyError
from naba.store.access import SavedSearch
from naba.web.api.guard import require_token
from naba.web.backend import ReaderBackend
from naba.web.feed_links import FeedLink, links
from naba.web.pages import Renderer, href, publisher_label

FORM_MAX_BYTES: Final = 16 * 1024
READ_ONLY_MESSAGE: Final = (
    "هذا الخادم يقرأ من نسخة للقراءة فقط من قاعدة البيانات، فلا يحفظ شيئًا: احفظ البحث من الخادم الرئيسي."
)


@dataclass(frozen=True, slots=True)
class SavedLine:
    id: int
    name: str
    query: str
    outlets: tuple[str, ...]
    search_href: str
    feeds: tuple[FeedLink, ...]


def saved_line(s: SavedSearch) -> SavedLine:
    params = {"q": s.query, "source": s.sources[0] if len(s.sources) == 1 else None}
    if s.date_from:
        params["from"] = s.date_from.isoformat()
    if s.date_to:
        params["to"] = s.date_to.isoformat()
    return SavedLine(
        s.id, s.name, s.query, tuple(publisher_label(o) for o in s.sources), href("/search", params),
        links("saved", {"id": str(s.id)}, s.name),
    )  # fmt: skip


def build_saved_router(backend: ReaderBackend, render: Renderer) -> APIRouter:
    router = APIRouter()

    def page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
        context = {
            "saved": [saved_line(s) for s in backend.access.saved_searches()],
            "form_q": request.query_params.get("q", ""),
            "form_source": request.query_params.get("source", ""),
            "error": error,
        }
        return render(request, "saved.html", context, status=status)

    @router.get("/saved", response_class=HTMLResponse)
    def saved(request: Request) -> HTMLResponse:
        return page(request)

    @router.post("/saved", response_class=HTMLResponse)
    async def change(request: Request) -> Response:
        raw = await request.body()
        if len(raw) > FORM_MAX_BYTES:
            return page(request, "النموذج أكبر من المسموح.", 413)
        form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        try:
            require_token(form.get("token", "").strip() or None, backend.access, "write")
            if form.get("action") == "delete":
                engine_access.delete_saved_search(backend.access, int(form.get("id", "0") or 0))
            else:
                sources = [form["source"]] if form.get("source") else []
                engine_access.save_search(backend.access, form.get("name", ""), form.get("q", ""), sources)
        except ApiError:
            return page(request, "يلزم رمز كتابة صالح (naba tokens create --scope write).", 401)
        except ReadOnlyError:
            return page(request, READ_ONLY_MESSAGE, 503)
        except (NabaError, ValueError) as exc:
            return page(request, f"تعذّر الحفظ: {exc}", 400)
        return RedirectResponse("/saved", status_code=303)

    return router
