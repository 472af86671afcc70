"""docs/protocol.md section 10: every ``vector`` row is what both kernel implementations compute.

The inputs are restated here (the doc describes them in prose); the expected
values are read from the doc, so a vector can be neither mistyped there nor
changed here without the other. Each is also checked against a plain
standard-library HMAC.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Callable, List, Tuple

import pytest

from tests.kernels._reference import b64_hmac_sha1
from tests.kernels._vectors import OAUTH_PARAMS, OAUTH_SECRET

PROTOCOL_MD = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"

pytestmark = pytest.mark.skipif(not PROTOCOL_MD.is_file(), reason="needs the source checkout's docs/")

DOC_SECRET = "c2VjcmV0LWtleS1mb3ItZG9jcw=="
NOW = 1700000000
CALL_URL = "https://accounts.eu1.gigya.com/accounts.getAccountInfo"
CALL_PARAMS = {
    "apiKey": "3_docs",
    "UID": "user-1",
    "include": "profile,data",
    "format": "json",
    "httpStatusCodes": "false",
    "sdk": "gigya_fast_python_0.1.0",
    "timestamp": NOW,
    "nonce": "0123456789abcdef0123456789abcdef",
    "userKey": "AKey1",
}
WEBHOOK_BODY = b'{"events":[],"nonce":"n-1","timestamp":1700000000}'


# (kind, what the kernels compute, what a plain stdlib HMAC gives), in the doc's order.
Compute = Callable[[ModuleType], str]
CASES: List[Tuple[str, Compute, Callable[[], str]]] = [
    *[
        (
            "request-sig",
            (lambda k, u=url: k.Signer(OAUTH_SECRET).sign_request("POST", u, OAUTH_PARAMS)[1]),
            (lambda u=url: ""),
        )
        for url in (
            "http://photos.example.net/photos",
            "http://photos.example.net:8080/photos",
            "https://photos.example.net:4433/photos",
        )
    ],
    ("encode", lambda k: k.percent_encode("!*'();:@&=+$,/?%#[] "), lambda: ""),
    (
        "uid",
        lambda k: k.calc_signature("1700000000_user-1", DOC_SECRET),
        lambda: b64_hmac_sha1(DOC_SECRET, b"1700000000_user-1"),
    ),
    (
        "friend",
        lambda k: k.calc_signature("1700000000_friend-2_user-1", DOC_SECRET),
        lambda: b64_hmac_sha1(DOC_SECRET, b"1700000000_friend-2_user-1"),
    ),
    (
        "session",
        lambda k: k.get_dynamic_session_signature("LT3_token|UUID=x", 600, DOC_SECRET, now=NOW),
        lambda: "1700000600_" + b64_hmac_sha1(DOC_SECRET, b"LT3_token_1700000600"),
    ),
    (
        "session-user",
        lambda k: k.get_dynamic_session_signature_user_signed("LT3_token|UUID=x", 600, "AKey1", DOC_SECRET, now=NOW),
        lambda: "1700000600_AKey1_" + b64_hmac_sha1(DOC_SECRET, b"LT3_token_1700000600_AKey1"),
    ),
    (
        "webhook",
        lambda k: k.Signer(DOC_SECRET).sign_bytes(WEBHOOK_BODY),
        lambda: b64_hmac_sha1(DOC_SECRET, WEBHOOK_BODY),
    ),
    (
        "query",
        lambda k: k.build_query_string({"b": True, "a": 1.5, "c": {"k": "ü"}, "d": None, "e": [1, 2]}),
        lambda: "",
    ),
    (
        "call-sig",
        lambda k: k.Signer(DOC_SECRET).sign_request("POST", CALL_URL, CALL_PARAMS)[1],
        lambda: "",
    ),
]


def _documented() -> List[Tuple[str, str]]:
    """(kind, expected) of each ``| vector <kind> | ... | `expected` |`` row, in order."""
    rows = []
    for line in PROTOCOL_MD.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| vector ([a-z-]+) \|.*\| `([^`]+)` \|$", line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


def _fenced_blocks() -> List[str]:
    return re.findall(r"```\n(.*?)\n```", PROTOCOL_MD.read_text(encoding="utf-8"), re.S)


def test_the_doc_lists_these_vectors() -> None:
    """One row per case, same kinds, same order."""
    assert [kind for kind, _ in _documented()] == [kind for kind, _, _ in CASES]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_documented_vector(kernels: ModuleType, index: int) -> None:
    """The kernels compute the doc's value, and so does the standard library where it applies."""
    kind, compute, stdlib = CASES[index]
    expected = _documented()[index][1]
    assert compute(kernels) == expected, kind
    reference = stdlib()
    assert reference in ("", expected), kind


def test_documented_base_strings(kernels: ModuleType) -> None:
    """The two base strings shown in the doc are the kernels' own."""
    blocks = _fenced_blocks()
    oauth = kernels.build_base_string("POST", "http://photos.example.net/photos", OAUTH_PARAMS)
    call = kernels.build_base_string("POST", CALL_URL, CALL_PARAMS)
    assert oauth in blocks and call in blocks
    assert b64_hmac_sha1(OAUTH_SECRET, oauth.encode()) == "j4/Jwtp11HLWl7KG3QlsczfRRpU="
    assert b64_hmac_sha1(DOC_SECRET, call.encode()) == _documented()[-1][1]
