"""Cursor pagination for ``accounts.search``, ``ds.search``, ``audit.search``
(docs/protocol.md section 8), as pure functions: the first page's parameters and
the next page's, read from the previous answer."""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional

__all__ = ["MAX_PAGE_SIZE", "with_limit", "first_page_params", "next_page_params", "CursorPager"]

#: Largest LIMIT CDC accepts with cursors.
MAX_PAGE_SIZE = 1000
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_LIMIT = re.compile(r"\blimit\s+\d+\s*;?\s*\Z", re.IGNORECASE)
_NO_CURSOR = re.compile(r"\bgroup\s+by\b|\bstart\s+\d+", re.IGNORECASE)


def with_limit(query: str, page_size: int) -> str:
    """*query* with ``LIMIT page_size`` appended unless it already ends with a LIMIT.

    Raises ``ValueError`` for queries cursors cannot page (``GROUP BY``, ``START``).
    """
    if not isinstance(query, str) or not query.strip():
        raise ValueError("query must be a non-empty str")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError("page_size must be an int from 1 to %d" % MAX_PAGE_SIZE)
    unquoted = _QUOTED.sub('""', query)
    if _NO_CURSOR.search(unquoted):
        raise ValueError("cursor search cannot page queries with GROUP BY or START")
    if _LIMIT.search(unquoted):
        return query
    return "%s LIMIT %d" % (query.rstrip().rstrip(";").rstrip(), page_size)


def first_page_params(query: str, page_size: int, extra: Mapping[str, object]) -> Dict[str, object]:
    """Parameters of the first page: ``query`` (with LIMIT), ``openCursor=true`` and *extra*."""
    params: Dict[str, object] = dict(extra)
    params["query"] = with_limit(query, page_size)
    params["openCursor"] = True
    return params


def next_page_params(data: Mapping[str, Any], extra: Mapping[str, object]) -> Optional[Dict[str, object]]:
    """Parameters of the next page (only ``cursorId``, plus an ``apiKey`` override), or None after the last."""
    cursor = data.get("nextCursorId")
    if not isinstance(cursor, str) or not cursor:
        return None
    params: Dict[str, object] = {"cursorId": cursor}
    if "apiKey" in extra:
        params["apiKey"] = extra["apiKey"]
    return params


class CursorPager:
    """The parameters of each page of one cursor search; the sync and async clients drive it.

    :attr:`params` is the next request (None once the search is over); call
    :meth:`advance` with each page's answer (a mapping of its JSON data).
    """

    __slots__ = ("params", "_extra")

    def __init__(self, query: str, page_size: int, extra: Mapping[str, object]) -> None:
        self._extra = extra
        self.params: Optional[Dict[str, object]] = first_page_params(query, page_size, extra)

    def advance(self, page: Mapping[str, Any]) -> None:
        """Move past *page*: an empty page or one without ``nextCursorId`` ends the search."""
        if not page.get("results"):
            self.params = None
            return
        data = getattr(page, "data", page)
        self.params = next_page_params(data, self._extra)
