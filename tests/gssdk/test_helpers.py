"""The original GSRequest helpers (calcOAuth1BaseString, getOAuth1Signature, buildQS,
UrlEncode), GSObject, GSResponse and GSException, without a network."""

from __future__ import annotations

import json
import pickle
from typing import Any, Dict

import pytest

import gigya_fast
import gigya_fast.GSSDK as GSSDK
from gigya_fast.GSSDK import GSException, GSKeyNotFoundException, GSObject, GSRequest, GSResponse
from tests.kernels._vectors import OAUTH_BASE, OAUTH_PARAMS, OAUTH_SECRET


def test_star_import_exports() -> None:
    namespace: Dict[str, Any] = {}
    exec("from gigya_fast.GSSDK import *", namespace)  # noqa: S102 - the migration's one-line change
    for name in ("GSRequest", "GSResponse", "GSObject", "GSException", "SigUtils"):
        assert name in namespace
    assert sorted(GSSDK.__all__) == [
        "DEFAULT_API_DOMAIN",
        "DEFAULT_SIGNATURE_EXPIRATION",
        "GSException",
        "GSKeyNotFoundException",
        "GSObject",
        "GSRequest",
        "GSResponse",
        "SigUtils",
    ]
    assert set(GSSDK.__all__) <= set(dir(GSSDK))


# --- base string and signature ------------------------------------------------------


def test_calc_oauth1_base_string_protocol_vector() -> None:
    base = GSRequest.calcOAuth1BaseString("POST", "http://photos.example.net/photos", False, OAUTH_PARAMS)
    assert base == OAUTH_BASE
    assert base == gigya_fast.build_base_string("POST", "http://photos.example.net/photos", OAUTH_PARAMS)
    assert GSRequest.getOAuth1Signature(OAUTH_SECRET, base) == "j4/Jwtp11HLWl7KG3QlsczfRRpU="


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://photos.example.net:8080/photos", "3UvaIxsEBaaWPYrqn4EJ/SRXAkk="),
        ("https://photos.example.net:4433/photos", "cyMEkvkSu/aLDJiuO/gt8BcCVmE="),
        ("HTTP://Photos.Example.NET:80/photos", "j4/Jwtp11HLWl7KG3QlsczfRRpU="),
    ],
)
def test_non_default_ports_and_normalisation(url: str, expected: str) -> None:
    """The original raised on non-default ports; here they are part of the signed URL."""
    request = GSRequest()
    base = request.calcOAuth1BaseString("post", url, url.lower().startswith("https"), OAUTH_PARAMS)
    assert request.getOAuth1Signature(OAUTH_SECRET, base) == expected


def test_is_secure_connection_only_supplies_a_missing_scheme() -> None:
    secure = GSRequest.calcOAuth1BaseString("POST", "photos.example.net/photos", True, {"a": "1"})
    plain = GSRequest.calcOAuth1BaseString("POST", "photos.example.net/photos", False, {"a": "1"})
    assert secure.startswith("POST&https%3A%2F%2Fphotos.example.net")
    assert plain.startswith("POST&http%3A%2F%2Fphotos.example.net")


def test_build_qs_sorted_encoded_and_typed() -> None:
    params = {"b": "x y", "a": True, "sig": "dropped", "n": None, "f": 0.1, "o": {"k": [1, "é"]}, "i": 7}
    qs = GSRequest.buildQS(params)
    assert qs == "a=true&b=x%20y&f=0.1&i=7&o=%7B%22k%22%3A%5B1%2C%22%C3%A9%22%5D%7D"
    assert qs == gigya_fast.build_query_string(params)
    assert GSRequest.buildQS(None) == ""


def test_url_encode() -> None:
    assert GSRequest.UrlEncode("!*'();:@&=+$,/?%#[] ") == "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%25%23%5B%5D%20"
    assert GSRequest.UrlEncode("-._~AZaz09") == "-._~AZaz09"
    assert GSRequest.UrlEncode("é") == "%C3%A9"
    assert GSRequest.UrlEncode(False) == "false"
    assert GSRequest.UrlEncode(12) == "12"
    assert GSRequest.UrlEncode(None) == ""
    assert GSRequest.UrlEncode("a b") == gigya_fast.percent_encode("a b")


# --- GSObject -------------------------------------------------------------------------


def test_gsobject_is_a_dict_and_parses_json() -> None:
    obj = GSObject('{"s":"text","i":"42","f":1.5,"b":"true","n":null,"o":{"x":[{"y":1}]}}')
    assert isinstance(obj, dict)
    assert obj.getString("s") == "text"
    assert obj.getInt("i") == 42
    assert obj.getLong("i") == 42
    assert obj.getDouble("f") == 1.5
    assert obj.getBool("b") is True
    assert obj.getString("n") is None
    assert obj.getString("f") == "1.5"
    nested = obj.getObject("o")
    assert isinstance(nested, GSObject)
    inner = nested.getArray("x")
    assert inner is not None and isinstance(inner[0], GSObject) and inner[0].getInt("y") == 1
    assert obj.getString("o") == '{"x":[{"y":1}]}'
    assert json.loads(obj.toJsonString()) == obj
    assert str(GSObject({"a": True})) == '{"a":true}'


def test_gsobject_defaults_and_missing_keys() -> None:
    obj = GSObject({"a": 1})
    assert obj.getString("zz", "dflt") == "dflt"
    assert obj.getInt("zz", -1) == -1
    assert obj.getBool("zz", False) is False
    assert obj.getObject("zz", None) is None
    with pytest.raises(GSKeyNotFoundException) as info:
        obj.getInt("zz")
    assert isinstance(info.value, KeyError)
    assert "zz" in str(info.value)


def test_gsobject_conversion_errors() -> None:
    obj = GSObject({"s": "abc", "b": True, "l": [1]})
    for getter in (obj.getInt, obj.getDouble, obj.getBool):
        with pytest.raises(GSException):
            getter("s")
    with pytest.raises(GSException):
        obj.getInt("b")
    with pytest.raises(GSException):
        obj.getArray("s")
    with pytest.raises(GSException):
        GSObject("[1, 2]")
    with pytest.raises(GSException):
        GSObject("{not json")


def test_gsobject_put_remove_clone() -> None:
    obj = GSObject()
    obj.put("a", {"b": [1]})
    assert obj.containsKey("a") and obj.getKeys() == ["a"]
    copy = obj.clone()
    copy["a"]["b"].append(2)
    assert obj["a"]["b"] == [1]
    obj.remove("a")
    obj.remove("missing")
    assert obj == {}


# --- GSException ------------------------------------------------------------------------


def test_gsexception_str_works() -> None:
    """The original's __str__ crashed; ours returns the message."""
    exc = GSException("something failed")
    assert str(exc) == "something failed"
    assert exc.message == "something failed"
    assert isinstance(exc, gigya_fast.GigyaError)
    assert str(GSException()) == "GSException"
    again = pickle.loads(pickle.dumps(GSKeyNotFoundException("k")))
    assert isinstance(again, GSKeyNotFoundException) and again.key == "k"


# --- GSResponse -------------------------------------------------------------------------


def test_gsresponse_from_text() -> None:
    text = '{"errorCode":0,"statusCode":200,"callId":"c1","UID":"u1","age":"30","isActive":true}'
    response = GSResponse("accounts.getAccountInfo", text)
    assert response.getErrorCode() == 0
    assert response.getErrorMessage() == ""
    assert response.getResponseText() == text
    assert response.getData()["UID"] == "u1"
    assert response.getObject("UID") == "u1"
    assert response.getObject("missing") is None
    assert response.getInt("age") == 30
    assert response.getBool("isActive") is True
    assert response.getString("missing", "x") == "x"
    assert response.getCallId() == "c1"
    assert "errorCode:0" in str(response)


def test_gsresponse_error_envelope_from_server() -> None:
    text = '{"errorCode":403003,"errorMessage":"Invalid request signature","errorDetails":"d","callId":"c"}'
    response = GSResponse("m", text)
    assert response.getErrorCode() == 403003
    assert response.getErrorMessage() == "Invalid request signature"
    assert response.getErrorDetails() == "d"


def test_gsresponse_client_side_error_synthesises_an_envelope() -> None:
    response = GSResponse("m", errorCode=504002, errorMessage="Request Timeout")
    assert response.getErrorCode() == 504002
    assert json.loads(response.getResponseText())["errorMessage"] == "Request Timeout"
    assert response.getData().getInt("errorCode") == 504002


def test_gsresponse_malformed_text() -> None:
    response = GSResponse("m", "<html>bad gateway</html>")
    assert response.getErrorCode() == 500000
    assert response.getResponseText() == "<html>bad gateway</html>"


def test_gsresponse_str_redacts_sensitive_fields() -> None:
    text = '{"errorCode":0,"sessionInfo":{"sessionSecret":"S3CR3T","sessionToken":"T0K3N"},"id_token":"eyJ.x.y"}'
    shown = str(GSResponse("m", text))
    for secret in ("S3CR3T", "T0K3N", "eyJ.x.y"):
        assert secret not in shown
