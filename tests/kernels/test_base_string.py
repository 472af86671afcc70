"""build_base_string and normalize_url: URL normalisation rules of docs/protocol.md section 2."""

from __future__ import annotations

from types import ModuleType

import pytest

from ._reference import base_string, rfc3986

PARAMS = {"apiKey": "3_abc", "b": "x y", "n": 3}
PAIRS = [("apiKey", "3_abc"), ("b", "x y"), ("n", "3")]

URLS = [
    # (url as called, normalised url)
    (
        "https://accounts.eu1.gigya.com/accounts.getAccountInfo",
        "https://accounts.eu1.gigya.com/accounts.getAccountInfo",
    ),
    (
        "HTTPS://Accounts.EU1.Gigya.COM/accounts.getAccountInfo",
        "https://accounts.eu1.gigya.com/accounts.getAccountInfo",
    ),
    ("https://host.example:443/p", "https://host.example/p"),
    ("http://host.example:80/p", "http://host.example/p"),
    ("http://host.example:443/p", "http://host.example:443/p"),
    ("https://host.example:80/p", "https://host.example:80/p"),
    ("https://host.example:8443/p", "https://host.example:8443/p"),
    ("http://host.example:8080/p", "http://host.example:8080/p"),
    ("https://host.example/p?query=1&x=2", "https://host.example/p"),
    ("https://host.example/p#fragment", "https://host.example/p"),
    ("https://host.example/p?q#f", "https://host.example/p"),
    ("https://host.example", "https://host.example/"),
    ("https://host.example?x=1", "https://host.example/"),
    ("https://host.example:443", "https://host.example/"),
    ("https://host.example/", "https://host.example/"),
    ("https://host.example/Path/With/CASE", "https://host.example/Path/With/CASE"),
    ("https://host.example/a%20b", "https://host.example/a%20b"),
    ("https://user:pw@host.example/p", "https://host.example/p"),
    ("https://[::1]/p", "https://[::1]/p"),
    ("https://[::1]:443/p", "https://[::1]/p"),
    ("http://[2001:DB8::1]:8080/p", "http://[2001:db8::1]:8080/p"),
    ("https://127.0.0.1:4433/socialize.getUserInfo", "https://127.0.0.1:4433/socialize.getUserInfo"),
]


@pytest.mark.parametrize(("url", "normalized"), URLS)
def test_normalize_url(kernels: ModuleType, url: str, normalized: str) -> None:
    assert kernels.normalize_url(url) == normalized


@pytest.mark.parametrize(("url", "normalized"), URLS)
def test_base_string_uses_normalized_url(kernels: ModuleType, url: str, normalized: str) -> None:
    assert kernels.build_base_string("POST", url, PARAMS) == base_string("POST", normalized, PAIRS)


@pytest.mark.parametrize("method", ["POST", "post", "Get", "GET"])
def test_base_string_method_upper_cased(kernels: ModuleType, method: str) -> None:
    expected = base_string(method.upper(), "https://h.example/m", PAIRS)
    assert kernels.build_base_string(method, "https://h.example/m", PARAMS) == expected


def test_base_string_double_encodes_values(kernels: ModuleType) -> None:
    # A value is encoded once in the query string, then the whole query again.
    base = kernels.build_base_string("POST", "https://h.example/m", {"v": "a b%"})
    assert base == "POST&" + rfc3986("https://h.example/m") + "&" + rfc3986("v=a%20b%25")
    assert base.endswith("v%3Da%2520b%2525")


def test_base_string_without_params(kernels: ModuleType) -> None:
    expected = "POST&" + rfc3986("https://h.example/m") + "&"
    assert kernels.build_base_string("POST", "https://h.example/m", {}) == expected


def test_base_string_leaves_out_sig(kernels: ModuleType) -> None:
    with_sig = kernels.build_base_string("POST", "https://h.example/m", dict(PARAMS, sig="zzz"))
    assert with_sig == kernels.build_base_string("POST", "https://h.example/m", PARAMS)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host.example/p",
        "host.example/p",
        "/relative/path",
        "",
        "https://",
        "https:///path",
        "mailto:someone@example.com",
        "https://host.example:notaport/p",
        "https://host.example:99999/p",
        "https://[::1/p",
    ],
)
def test_bad_urls_rejected(kernels: ModuleType, url: str) -> None:
    with pytest.raises(ValueError):
        kernels.normalize_url(url)
    with pytest.raises(ValueError):
        kernels.build_base_string("POST", url, PARAMS)


@pytest.mark.parametrize("url", [None, b"https://h.example/", 5])
def test_url_must_be_str(kernels: ModuleType, url: object) -> None:
    with pytest.raises(TypeError, match=f"^url must be str, not {type(url).__name__}$"):
        kernels.build_base_string("POST", url, PARAMS)
    with pytest.raises(TypeError, match=f"^url must be str, not {type(url).__name__}$"):
        kernels.normalize_url(url)


@pytest.mark.parametrize("method", [None, b"POST", 1])
def test_method_must_be_str(kernels: ModuleType, method: object) -> None:
    with pytest.raises(TypeError, match=f"^http_method must be str, not {type(method).__name__}$"):
        kernels.build_base_string(method, "https://h.example/", PARAMS)
