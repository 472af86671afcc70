"""The SQL-like subset of ``accounts.search`` the local server understands.

``SELECT * | count(*) | field[, field...] FROM accounts
[WHERE cond [AND|OR cond ...]] [ORDER BY field [ASC|DESC]] [LIMIT n] [START n]``

A condition is ``field op literal`` (``= != <> < <= > >=``), ``field IS [NOT]
NULL`` or ``field CONTAINS "text"``; parentheses group; literals are quoted
strings, numbers, ``true``, ``false`` and ``null``; fields are dotted paths
such as ``profile.email``. Keywords are case-insensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Tuple

__all__ = ["Query", "QueryError", "parse_query", "get_path", "project"]


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<op><>|!=|<=|>=|=|<|>|\(|\)|,|\*)
      | (?P<word>[A-Za-z_$@][\w.$@-]*(?:\(\*\))?)
    )""",
    re.VERBOSE,
)
_MISSING = object()
Row = Dict[str, Any]
Predicate = Callable[[Row], bool]


class QueryError(ValueError):
    """The query is not in the supported subset."""


@dataclass
class Query:
    """A parsed query."""

    fields: List[str] | None  # None = every field
    table: str
    where: Predicate | None = None
    order_by: Tuple[str, bool] | None = None  # (field, descending)
    limit: int | None = None
    start: int | None = None
    count: bool = False
    text: str = field(default="", repr=False)

    def run(self, rows: List[Row]) -> List[Row]:
        """Filter and order *rows* (every match; LIMIT/START are applied by the caller)."""
        matched = [row for row in rows if self.where is None or self.where(row)]
        if self.order_by is not None:
            path, descending = self.order_by
            present = [r for r in matched if get_path(r, path) is not _MISSING]
            absent = [r for r in matched if get_path(r, path) is _MISSING]
            present.sort(key=lambda r: _sort_key(get_path(r, path)), reverse=descending)
            matched = present + absent
        return matched


def _sort_key(value: Any) -> Tuple[int, Any]:
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


def get_path(row: Row, path: str) -> Any:
    """The value at dotted *path* in *row*, or a private MISSING marker."""
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def project(row: Row, fields: List[str] | None) -> Row:
    """Only the requested dotted *fields* of *row*, nested as in the row."""
    if fields is None:
        return row
    out: Row = {}
    for path in fields:
        value = get_path(row, path)
        if value is _MISSING:
            continue
        target = out
        parts = path.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return out


def _tokenize(text: str) -> List[Tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip().rstrip(";")
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise QueryError(f"unexpected text at position {pos}: {text[pos : pos + 20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "=":
        return bool(left == right)
    if op in ("!=", "<>"):
        return bool(left != right)
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if not numeric and not (isinstance(left, str) and isinstance(right, str)):
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> Tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def next(self) -> Tuple[str, str]:
        token = self.peek()
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.upper() == word:
            self.pos += 1
            return True
        return False

    def expect_keyword(self, word: str) -> None:
        if not self.keyword(word):
            raise QueryError("expected {}, found {!r}".format(word, self.peek()[1] or "end of query"))

    def field_name(self) -> str:
        kind, value = self.next()
        if kind != "word" or value.upper() in {"AND", "OR", "FROM", "WHERE", "LIMIT", "ORDER", "START"}:
            raise QueryError("expected a field name, found %r" % (value or "end of query"))
        return value

    def integer(self) -> int:
        kind, value = self.next()
        if kind != "num" or not value.isdigit():
            raise QueryError("expected a non-negative integer, found %r" % (value or "end of query"))
        return int(value)

    def literal(self) -> Any:
        kind, value = self.next()
        if kind == "str":
            return re.sub(r"\\(.)", r"\1", value[1:-1])
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "word" and value.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value.lower()]
        raise QueryError("expected a value, found %r" % (value or "end of query"))

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("OR"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.condition()]
        while self.keyword("AND"):
            parts.append(self.condition())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def condition(self) -> Predicate:
        if self.peek() == ("op", "("):
            self.next()
            inner = self.disjunction()
            if self.next() != ("op", ")"):
                raise QueryError("missing closing parenthesis")
            return inner
        path = self.field_name()
        if self.keyword("IS"):
            negate = self.keyword("NOT")
            self.expect_keyword("NULL")
            return lambda row: (get_path(row, path) in (_MISSING, None)) != negate
        if self.keyword("CONTAINS"):
            needle = str(self.literal()).lower()
            return lambda row: (
                needle in str(get_path(row, path)).lower() if get_path(row, path) is not _MISSING else False
            )
        kind, op = self.next()
        if kind != "op" or op not in ("=", "!=", "<>", "<", "<=", ">", ">="):
            raise QueryError(f"expected a comparison after {path!r}")
        value = self.literal()

        def compare(row: Row) -> bool:
            found = get_path(row, path)
            if found is _MISSING:
                found = None
            return _compare(op, found, value)

        return compare


def parse_query(text: str) -> Query:
    """Parse *text*; ``QueryError`` explains what is not supported."""
    parser = _Parser(text)
    parser.expect_keyword("SELECT")
    fields: List[str] | None = None
    count = False
    if parser.peek() == ("op", "*"):
        parser.next()
    elif parser.peek()[0] == "word" and parser.peek()[1].lower() == "count(*)":
        parser.next()
        count = True
    else:
        fields = [parser.field_name()]
        while parser.peek() == ("op", ","):
            parser.next()
            fields.append(parser.field_name())
    parser.expect_keyword("FROM")
    table = parser.field_name()
    query = Query(fields, table, count=count, text=text)
    if parser.keyword("WHERE"):
        query.where = parser.disjunction()
    if parser.keyword("ORDER"):
        parser.expect_keyword("BY")
        path = parser.field_name()
        descending = parser.keyword("DESC")
        if not descending:
            parser.keyword("ASC")
        query.order_by = (path, descending)
    while parser.peek()[0] != "end":
        if parser.keyword("LIMIT"):
            query.limit = parser.integer()
        elif parser.keyword("START"):
            query.start = parser.integer()
        else:
            raise QueryError(f"unexpected {parser.peek()[1]!r}")
    return query
