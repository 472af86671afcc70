"""Data centers, hosts and URLs (no I/O)."""

from __future__ import annotations

import threading

import pytest

from gigya_fast.errors import ConfigurationError
from gigya_fast.rest.routing import (
    DATA_CENTERS,
    Router,
    api_url,
    check_method,
    is_loopback_host,
    is_valid_api_domain,
    mtls_host,
    normalize_base_url,
    oauth2_token_url,
    resolve_api_domain,
    split_method,
)


@pytest.mark.parametrize(
    ("name", "domain"),
    [
        ("us1", "us1.gigya.com"),
        ("EU1", "eu1.gigya.com"),
        ("eu2", "eu2.gigya.com"),
        ("au1", "au1.gigya.com"),
        ("ru1", "ru1.gigya.com"),
        ("il1", "il1.gigya.com"),
        ("global", "global.gigya.com"),
        ("cn1", "cn1.sapcdm.cn"),
        ("us1-st1", "us1-st1.gigya.com"),
        ("eu1.gigya.com", "eu1.gigya.com"),
        (" Eu1.Gigya.com. ", "eu1.gigya.com"),
        ("cn1.gigya-api.cn", "cn1.gigya-api.cn"),
    ],
)
def test_resolve_api_domain(name: str, domain: str) -> None:
    assert resolve_api_domain(name) == domain


@pytest.mark.parametrize("bad", ["https://eu1.gigya.com", "eu1.gigya.com/x", "nowhere", "", "a..b", "-x.com"])
def test_resolve_api_domain_rejects(bad: str) -> None:
    with pytest.raises(ConfigurationError):
        resolve_api_domain(bad)


def test_every_short_name_is_a_valid_domain() -> None:
    assert all(is_valid_api_domain(d) for d in DATA_CENTERS.values())


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("accounts.getAccountInfo", ("accounts", "accounts.getAccountInfo")),
        ("getUserInfo", ("socialize", "socialize.getUserInfo")),
        ("Accounts.otp.sendCode", ("accounts", "Accounts.otp.sendCode")),
        ("ds.store", ("ds", "ds.store")),
    ],
)
def test_split_method(method: str, expected: tuple[str, str]) -> None:
    assert split_method(method) == expected


@pytest.mark.parametrize("bad", ["", ".x", "a..b", "a/b", "a.b?c=1", "a b", "accounts.", "x#y"])
def test_split_method_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        split_method(bad)


def test_urls() -> None:
    assert api_url("accounts.search", "eu1.gigya.com") == "https://accounts.eu1.gigya.com/accounts.search"
    assert api_url("getUserInfo", "cn1.sapcdm.cn") == "https://socialize.cn1.sapcdm.cn/socialize.getUserInfo"
    assert mtls_host("eu1.gigya.com") == "mtls.eu1.gigya.com"
    assert mtls_host("cn1.sapcdm.cn") == "mtls.cn1.gigya.com"
    assert mtls_host("") == "mtls.us1.gigya.com"
    assert mtls_host(".gigya.com") == "mtls.us1.gigya.com"
    assert oauth2_token_url("eu1.gigya.com") == "https://oauth2.eu1.gigya.com/oauth2/token"
    assert oauth2_token_url(base_url="http://127.0.0.1:8080") == "http://127.0.0.1:8080/oauth2/token"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("HTTPS://GW.Example.com/cdc/", "https://gw.example.com/cdc"),
        ("https://gw.example.com:443/", "https://gw.example.com:443"),
    ],
)
def test_normalize_base_url(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize(
    "bad", ["ftp://x", "127.0.0.1:8080", "https://", "https://u:p@x", "https://x/?a=1", "https://x/#f", "http://x:99999"]
)
def test_normalize_base_url_rejects(bad: str) -> None:
    with pytest.raises(ConfigurationError):
        normalize_base_url(bad)


def test_loopback() -> None:
    assert is_loopback_host("http://127.0.0.1:1")
    assert is_loopback_host("http://127.8.0.1")
    assert is_loopback_host("http://[::1]:80")
    assert is_loopback_host("http://localhost:80")
    assert not is_loopback_host("http://10.0.0.1")
    assert not is_loopback_host("http://example.com")


def test_router_data_center_and_mtls() -> None:
    router = Router("eu1.gigya.com")
    assert router.url_for("accounts.search") == "https://accounts.eu1.gigya.com/accounts.search"
    assert router.url_for("getUserInfo") == "https://socialize.eu1.gigya.com/socialize.getUserInfo"
    assert router.scheme == "https" and router.can_reroute and router.base_url is None
    assert Router("au1.gigya.com", mtls=True).url_for("ds.get") == "https://mtls.au1.gigya.com/ds.get"
    assert router.token_url() == "https://oauth2.eu1.gigya.com/oauth2/token"


def test_router_base_url_sends_every_namespace_to_one_origin() -> None:
    router = Router(base_url="http://127.0.0.1:8080/")
    assert router.url_for("accounts.search") == "http://127.0.0.1:8080/accounts.search"
    assert router.url_for("ds.store") == "http://127.0.0.1:8080/ds.store"
    assert router.url_for("getUserInfo") == "http://127.0.0.1:8080/socialize.getUserInfo"
    assert router.scheme == "http"
    assert not router.can_reroute
    assert not router.reroute("eu1.gigya.com")
    assert router.url_for("accounts.search") == "http://127.0.0.1:8080/accounts.search"
    assert router.token_url() == "http://127.0.0.1:8080/oauth2/token"


def test_router_reroute() -> None:
    router = Router("us1.gigya.com")
    assert router.url_for("accounts.search").startswith("https://accounts.us1.gigya.com/")
    assert router.reroute("EU1.gigya.com")
    assert router.api_domain == "eu1.gigya.com"
    assert router.url_for("accounts.search") == "https://accounts.eu1.gigya.com/accounts.search"
    for bad in ["", "evil.com/x", "a b.com", "nodot"]:
        assert not router.reroute(bad)
    assert router.api_domain == "eu1.gigya.com"


def test_router_is_thread_safe() -> None:
    router = Router("us1.gigya.com")
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for n in range(300):
                router.reroute("eu%d.gigya.com" % (n % 3 + 1))
                url = router.url_for("m%d.x" % (n % 7))
                assert url.startswith("https://m%d.eu" % (n % 7))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_check_method_remembers_only_valid_names() -> None:
    """A batch checks each method name once; invalid names and non-str values are never remembered."""
    from gigya_fast.rest import routing

    check_method("accounts.getAccountInfo")
    check_method("accounts.getAccountInfo")
    assert "accounts.getAccountInfo" in routing._CHECKED_METHODS
    for bad in ("", "accounts getAccountInfo", "accounts.get/AccountInfo"):
        with pytest.raises(ValueError):
            check_method(bad)
        with pytest.raises(ValueError):  # refused again: a refusal is not remembered
            check_method(bad)
        assert bad not in routing._CHECKED_METHODS
    for wrong in (None, 5, b"accounts.getAccountInfo"):
        with pytest.raises(TypeError):
            check_method(wrong)


def test_check_method_reads_a_str_subclass_by_its_characters() -> None:
    """A str subclass is checked each time (never a dict key), whatever its __eq__/__hash__ say."""
    from gigya_fast.rest import routing

    class Sly(str):
        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return hash("accounts.getAccountInfo")

    check_method("accounts.getAccountInfo")
    with pytest.raises(ValueError):
        check_method(Sly("not a method!"))
    assert all(type(name) is str for name in routing._CHECKED_METHODS)
