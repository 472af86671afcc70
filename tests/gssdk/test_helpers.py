"""The original GSRequest helpers (calcOAuth1BaseString, getOAuth1Signature, buildQS,
UrlEncode), GSObject, GSResponse and GSException, without a network."""

from __future__ import annotations

import json
import pickle

import pytest

import gigya_fast
import gigya_fast.GSSDK as GSSDK
from gigya_fast.GSSDK import GSException, GSKeyNotFoundException, GSObject, GSRequest, GSResponse
from tests.kernels._vectors import OAUTH_BASE, OAUTH_PARAMS, OAUTH_SECRET

# --- base string, signature, query string (vectors from the original 3.6.0) --------------


def test_calc_oauth1_base_string_protocol_vector() -> None:
    request = GSRequest()
    base = request.calcOAuth1BaseString("POST", "http://photos.example.net/photos", False, OAUTH_PARAMS)
    assert base == OAUTH_BASE
    assert base == gigya_fast.build_base_string("POST", "http://photos.example.net/photos", OAUTH_PARAMS)


def test_get_oauth1_signature_has_the_originals_arguments() -> None:
    request = GSRequest()
    url = "http://photos.example.net/photos"
    assert request.getOAuth1Signature(OAUTH_SECRET, "POST", url, False, OAUTH_PARAMS) == "j4/Jwtp11HLWl7KG3QlsczfRRpU="
    signature = request.getOAuth1Signature(
        key=OAUTH_SECRET,
        httpMethod="post",
        url="http://Photos.Example.NET/photos?x=1",
        isSecureConnection=True,
        requestParams=OAUTH_PARAMS,
    )
    assert signature == "u+qFkK3XmFq/ld989Cgv6hyYiTI="  # https forced, host lower-cased, query dropped
    assert request._traceLog[-1].startswith("baseString='POST&https%3A%2F%2Fphotos.example.net%2Fphotos&file%3D")
    assert "test-token-secret" not in request._traceLog[-1]  # oauth_token is a credential: redacted


@pytest.mark.parametrize(
    ("url", "secure", "expected"),
    [
        (
            "http://Accounts.US1.gigya.com/accounts.getAccountInfo?x=1",
            True,
            "POST&https%3A%2F%2Faccounts.us1.gigya.com%2Faccounts.getAccountInfo&UID%3Du%25201%26apiKey%3Dk",
        ),
        (
            "http://accounts.us1.gigya.com/accounts.getAccountInfo",
            False,
            "POST&http%3A%2F%2Faccounts.us1.gigya.com%2Faccounts.getAccountInfo&UID%3Du%25201%26apiKey%3Dk",
        ),
        (
            "https://accounts.us1.gigya.com:443/p",
            False,
            "POST&https%3A%2F%2Faccounts.us1.gigya.com%2Fp&UID%3Du%25201%26apiKey%3Dk",
        ),
    ],
)
def test_calc_oauth1_base_string_forces_https_when_secure(url: str, secure: bool, expected: str) -> None:
    assert GSRequest().calcOAuth1BaseString("post", url, secure, {"UID": "u 1", "apiKey": "k"}) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://photos.example.net:8080/photos", "3UvaIxsEBaaWPYrqn4EJ/SRXAkk="),
        ("https://photos.example.net:4433/photos", "cyMEkvkSu/aLDJiuO/gt8BcCVmE="),
        ("HTTP://Photos.Example.NET:80/photos", "j4/Jwtp11HLWl7KG3QlsczfRRpU="),
    ],
)
def test_non_default_ports_are_signed(url: str, expected: str) -> None:
    """The original raised TypeError on a non-default port; here it is part of the signed URL."""
    secure = url.lower().startswith("https")
    assert GSRequest().getOAuth1Signature(OAUTH_SECRET, "post", url, secure, OAUTH_PARAMS) == expected


def test_a_url_without_scheme_takes_one_from_is_secure_connection() -> None:
    secure = GSRequest().calcOAuth1BaseString("POST", "photos.example.net/photos", True, {"a": "1"})
    plain = GSRequest().calcOAuth1BaseString("POST", "photos.example.net/photos", False, {"a": "1"})
    assert secure.startswith("POST&https%3A%2F%2Fphotos.example.net")
    assert plain.startswith("POST&http%3A%2F%2Fphotos.example.net")


def test_build_qs_as_the_original() -> None:
    params = {"b": "x y", "a": "1", "sig": "kept", "n": None, "i": 7, "L": ["x", 2]}
    # The original: 'L=%5B%22x%22%2C%202%5D&a=1&b=x%20y&i=7&sig=kept' (its JSON had spaces after commas)
    assert GSRequest().buildQS(params) == "L=%5B%22x%22%2C2%5D&a=1&b=x%20y&i=7&sig=kept"
    assert GSRequest().buildQS({}) == "" and GSRequest().buildQS(None) == ""


def test_build_qs_typed_values() -> None:
    params = {"t": True, "f": 0.1, "o": {"k": [1, "é"]}}
    assert GSRequest().buildQS(params) == "f=0.1&o=%7B%22k%22%3A%5B1%2C%22%C3%A9%22%5D%7D&t=true"


def test_url_encode() -> None:
    encode = GSRequest().UrlEncode
    assert encode("!*'();:@&=+$,/?%#[] ") == "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%25%23%5B%5D%20"
    assert encode("-._~AZaz09") == "-._~AZaz09"
    assert encode("é") == "%C3%A9"
    assert encode("a b+c~*é!'()") == "a%20b%2Bc~%2A%C3%A9%21%27%28%29"
    assert encode(7) == "7"
    assert encode(None) is None
    assert encode(False) == "false"  # the original: 'False'
    assert encode("a b") == gigya_fast.percent_encode("a b")


def test_keyword_names_of_the_original() -> None:
    request = GSRequest(apiKey="k", secretKey=OAUTH_SECRET, apiMethod="m", params={}, useHTTPS=True, userKey="u")
    request.setParam(param="p", val=1)
    request.setAPIDomain(apiDomain="eu1.gigya.com")
    assert request.getParams() == {"p": 1} and request._apiDomain == "eu1.gigya.com"
    request.setAPIDomain()
    assert request._apiDomain == "us1.gigya.com"
    assert GSSDK.SigUtils.calcSignature(baseString="1700000000_UID", key="c2VjcmV0LXNlY3JldC1zZWNyZXQ=") == (
        "b7sl5IliS2SY+ElY7RfDv90udnA="
    )


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


def test_gsexception_keeps_error_message_and_str_works() -> None:
    """``errorMessage`` as in the original; its ``__str__`` crashed, ours returns the message."""
    exc = GSException("something failed")
    assert exc.errorMessage == "something failed" and exc.args == ("something failed",)
    assert str(exc) == "something failed"
    assert exc.message == "something failed"
    assert isinstance(exc, gigya_fast.GigyaError)
    assert str(GSException()) == "GSException"
    again = pickle.loads(pickle.dumps(GSKeyNotFoundException("k")))
    assert isinstance(again, GSKeyNotFoundException) and again.key == "k"


# --- GSResponse (vectors from the original 3.6.0) -----------------------------------------


def test_gsresponse_from_a_server_answer() -> None:
    text = '{"errorCode":0,"statusCode":200,"callId":"c1","UID":"u1","age":"30","isActive":true}'
    response = GSResponse("accounts.getAccountInfo", text)
    assert response.getErrorCode() == response.errorCode == 0
    assert response.getErrorMessage() == "" and response.errorMessage is None
    assert response.getResponseText() == response.rawData == text.encode("utf-8")  # bytes, as the original
    assert response.getData() == response.data == json.loads(text)
    assert isinstance(response.getData(), dict)
    assert response.params == {} and response.method == "accounts.getAccountInfo"
    assert response.getObject("UID") == "u1"
    assert response.getObject("missing") is None
    assert response.getInt("age") == 30
    assert response.getBool("isActive") is True
    assert response.getString("missing", "x") == "x"
    assert response.getCallId() == "c1"
    assert response.traceLog == ["responseText=" + repr(text)]


def test_gsresponse_str_layout() -> None:
    text = '{"errorCode":0,"errorMessage":"ok","a":{"b":[1,"é"]}}'
    assert str(GSResponse("accounts.m", text, None, 0, None, [])) == (
        "\terrorCode:0\n\terrorMessage:ok\n\tdata:{'errorCode': 0, 'errorMessage': 'ok', 'a': {'b': [1, 'é']}}"
    )


def test_gsresponse_str_of_a_success_without_message() -> None:
    """The original raised TypeError here (it concatenated None)."""
    assert str(GSResponse("m", '{"errorCode":0}')) == "\terrorCode:0\n\terrorMessage:\n\tdata:{'errorCode': 0}"


def test_gsresponse_error_envelope_from_server() -> None:
    text = '{"errorCode":403003,"errorMessage":"Invalid request signature","errorDetails":"d","callId":"c"}'
    response = GSResponse("m", text)
    assert response.getErrorCode() == 403003
    assert response.getErrorMessage() == "Invalid request signature"
    assert response.getErrorDetails() == "d"


def test_gsresponse_answer_fields_as_the_original() -> None:
    no_code = GSResponse("m", '{"errorMessage":"m"}')
    assert (no_code.errorCode, no_code.errorMessage, no_code.rawData) == (None, "m", b'{"errorMessage":"m"}')
    empty = GSResponse("m", "{}")
    assert (empty.errorCode, empty.data) == (0, {})


def test_gsresponse_client_side_error_texts() -> None:
    json_form = GSResponse("accounts.m", None, {"format": "json"}, 504002, "Request Timeout", [])
    assert json_form.getResponseText() == '{errorCode:504002,errorMessage:"Request Timeout"}'
    assert json_form.getLog() == "responseText='{errorCode:504002,errorMessage:\"Request Timeout\"}'"
    assert json_form.getData() == {} and json_form.getObject("errorCode") is None
    assert str(json_form) == "\terrorCode:504002\n\terrorMessage:Request Timeout\n\tdata:{}"
    xml_form = GSResponse("accounts.m", None, None, 400002)
    assert xml_form.getErrorMessage() == "Required parameter is missing"
    assert xml_form.getResponseText() == (
        '<?xml version="1.0" encoding="utf-8"?>\r\n'
        '<accounts.mResponse xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:com:gigya:api http://socialize-api.gigya.com/schema" xmlns="urn:com:gigya:api">\r\n'
        "<errorCode>400002</errorCode>\r\n"
        "<errorMessage>Required parameter is missing</errorMessage>\r\n"
        "</accounts.mResponse>"
    )


def test_gsresponse_reads_the_xml_error_form() -> None:
    """The original meant to (its regular expression ran on bytes and raised); ours does."""
    xml = GSResponse("accounts.m", None, None, 400002).getResponseText()
    assert isinstance(xml, str)
    parsed = GSResponse("accounts.m", xml)
    assert (parsed.getErrorCode(), parsed.getErrorMessage()) == (400002, "Required parameter is missing")


@pytest.mark.parametrize("text", ["<html>bad gateway</html>", "[1, 2]", "{not json"])
def test_gsresponse_malformed_text_raises_as_in_the_original(text: str) -> None:
    """send() turns this into a 500000 answer, as the original did."""
    with pytest.raises(ValueError):
        GSResponse("m", text)


def test_gsresponse_str_redacts_sensitive_fields() -> None:
    text = '{"errorCode":0,"sessionInfo":{"sessionSecret":"S3CR3T","sessionToken":"T0K3N"},"id_token":"eyJ.x.y"}'
    response = GSResponse("m", text)
    for secret in ("S3CR3T", "T0K3N", "eyJ.x.y"):
        assert secret not in str(response) and secret not in response.getLog()
    assert response.getObject("sessionInfo")["sessionSecret"] == "S3CR3T"  # the data itself is intact
