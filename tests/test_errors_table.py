"""The errorCode -> exception class table, row by row, as docs/protocol.md documents it.

Each row is checked three ways: ``error_for_code``, a ``Response`` carrying the
code, and a real answer from a LocalCDC on 127.0.0.1 through ``Client.call``.
The table in docs/protocol.md is compared with ``ROWS`` when the docs are
beside the tests (a source checkout).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List, Tuple, Type

import pytest

from gigya_fast import errors
from gigya_fast.errors import (
    APIError,
    AuthenticationError,
    DataCenterError,
    InvalidRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    error_for_code,
)
from gigya_fast.rest import Client, Response
from gigya_fast.testing import LocalCDC

PROTOCOL_MD = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"

# (errorCode, class, the built-in exceptions it must also be)
Row = Tuple[int, Type[APIError], Tuple[Type[BaseException], ...]]
ROWS: List[Row] = [
    (100001, APIError, ()),
    (200009, APIError, ()),
    (206001, APIError, ()),
    (206002, APIError, ()),
    (301001, DataCenterError, ()),
    (400001, InvalidRequestError, (ValueError,)),
    (400002, InvalidRequestError, (ValueError,)),
    (400003, InvalidRequestError, (ValueError,)),
    (400006, InvalidRequestError, (ValueError,)),
    (400008, InvalidRequestError, (ValueError,)),
    (400009, InvalidRequestError, (ValueError,)),
    (400093, InvalidRequestError, (ValueError,)),
    (401020, APIError, ()),
    (401030, APIError, ()),
    (403000, AuthenticationError, (PermissionError,)),
    (403002, AuthenticationError, (PermissionError,)),
    (403003, AuthenticationError, (PermissionError,)),
    (403004, AuthenticationError, (PermissionError,)),
    (403005, AuthenticationError, (PermissionError,)),
    (403006, AuthenticationError, (PermissionError,)),
    (403007, AuthenticationError, (PermissionError,)),
    (403010, AuthenticationError, (PermissionError,)),
    (403025, AuthenticationError, (PermissionError,)),
    (403036, AuthenticationError, (PermissionError,)),
    (403041, AuthenticationError, (PermissionError,)),
    (403042, AuthenticationError, (PermissionError,)),
    (403047, NotFoundError, (LookupError,)),
    (403048, RateLimitError, ()),
    (403100, AuthenticationError, (PermissionError,)),
    (403120, AuthenticationError, (PermissionError,)),
    (404000, NotFoundError, (LookupError,)),
    (404001, NotFoundError, (LookupError,)),
    (404003, NotFoundError, (LookupError,)),
    (409001, APIError, ()),
    (409030, RateLimitError, ()),
    (410000, APIError, ()),
    (413001, InvalidRequestError, (ValueError,)),
    (413003, InvalidRequestError, (ValueError,)),
    (500000, ServerError, ()),
    (500001, ServerError, ()),
    (500026, ServerError, ()),
    (500028, ServerError, ()),
    (504001, ServerError, ()),
    (504002, ServerError, ()),
]

_BUILTINS = (ValueError, PermissionError, LookupError, OSError, TimeoutError, ConnectionError)


def _ids(row: Row) -> str:
    return str(row[0])


def _check(error: APIError, row: Row) -> None:
    code, cls, builtins = row
    assert type(error) is cls, (code, type(error))
    assert isinstance(error, errors.GigyaError) and isinstance(error, APIError)
    for builtin in _BUILTINS:
        expected = any(issubclass(declared, builtin) for declared in builtins)
        assert isinstance(error, builtin) == expected, (code, builtin)
    assert error.error_code == code


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_error_for_code(row: Row) -> None:
    """``error_for_code`` gives the row's class, which is exactly the row's built-ins."""
    code, cls, _ = row
    assert error_for_code(code) is cls
    _check(cls("x", error_code=code), row)


@pytest.mark.parametrize("row", ROWS, ids=_ids)
def test_response_to_error(row: Row) -> None:
    """A parsed envelope with the code raises the row's class from ``raise_for_error``."""
    code = row[0]
    response = Response({"errorCode": code, "errorMessage": "m", "callId": "c1"}, method="accounts.x")
    with pytest.raises(APIError) as info:
        response.raise_for_error()
    _check(info.value, row)
    assert info.value.call_id == "c1" and info.value.response is response


@pytest.fixture(scope="module")
def cdc() -> Iterator[LocalCDC]:
    with LocalCDC(seed_accounts=1) as server:
        yield server


@pytest.mark.parametrize("row", [r for r in ROWS if r[0] != 301001], ids=_ids)
def test_wire_answer_raises_the_class(cdc: LocalCDC, row: Row) -> None:
    """A real answer with the code, through ``Client.call`` without retries, raises the row's class.

    (301001 re-routes to another host before it raises; it is checked above.)
    """
    cdc.faults.clear()
    cdc.faults.add("accounts.getAccountInfo", error_code=row[0], times=None)
    try:
        with Client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url) as client:
            with pytest.raises(APIError) as info:
                client.call("accounts.getAccountInfo", UID=cdc.accounts[0]["UID"], retry=False)
    finally:
        cdc.faults.clear()
    _check(info.value, row)
    assert info.value.call_id


def test_unknown_uid_is_not_found(cdc: LocalCDC) -> None:
    """Issue 15: an unknown UID (403047) is a LookupError, no longer a PermissionError."""
    cdc.faults.clear()
    with Client(cdc.api_key, secret=cdc.partner_secret, base_url=cdc.url) as client:
        with pytest.raises(LookupError) as info:
            client.call("accounts.getAccountInfo", UID="no-such-uid")
    assert isinstance(info.value, NotFoundError) and not isinstance(info.value, PermissionError)
    assert info.value.error_code == 403047


def _documented_rows() -> List[Tuple[int, str]]:
    """(code, class name) of each row of the error-code table in docs/protocol.md."""
    text = PROTOCOL_MD.read_text(encoding="utf-8")
    section = text.split("<!-- error-table:start -->", 1)[1].split("<!-- error-table:end -->", 1)[0]
    rows = []
    for line in section.splitlines():
        match = re.match(r"^\|\s*(\d{6})\s*\|[^|]*\|\s*`(\w+)`", line)
        if match:
            rows.append((int(match.group(1)), match.group(2)))
    return rows


@pytest.mark.skipif(not PROTOCOL_MD.is_file(), reason="needs the source checkout's docs/")
def test_docs_table_is_this_table() -> None:
    """docs/protocol.md lists exactly these rows, with these classes."""
    documented = _documented_rows()
    assert documented == [(code, cls.__name__) for code, cls, _ in ROWS]
