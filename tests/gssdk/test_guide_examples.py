"""The example programs of SAP's GSSDK.py user guide, and SAP's ``sendRequest.py`` flow, run
through the drop-in against LocalCDC.

The guide's code is kept below as text and executed after ``from gigya_fast.GSSDK import *``:
its ``print`` statements written for Python 3, its placeholders (``PUT-YOUR-APIKEY-HERE``...)
filled from the local server, nothing else changed except the one line marked ``CHANGED``
(a syntax error in the guide). No ``setAPIDomain`` line is added: the requests go to
``socialize.us1.gigya.com`` as written, through a proxy named in ``https_proxy`` that leads to a
LocalCDC serving that name with a test CA (``GSRequest.caCertsPath`` is set to it, outside the
example code).
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Dict

import pytest

from gigya_fast.GSSDK import GSRequest, SigUtils
from gigya_fast.testing import LocalCDC
from tests.client.proxy import Proxy

from .conftest import Routed

SEND_REQUEST_EXAMPLE = """
# Define the API-Key and Secret key (the keys can be obtained from your site setup page on Gigya's website).
apiKey = "PUT-YOUR-APIKEY-HERE"
secretKey = "PUT-YOUR-SECRET-KEY-HERE"

# Step 1 - Defining the request and adding parameters
method = "socialize.setStatus"
params={"uid":"PUT-UID-HERE", "status":"I feel great"}    # Set "uid" to the user's ID, and "status" to "I feel great"
request = GSRequest(apiKey,secretKey,method,params)

# Step 2 - Sending the request
response = request.send()

# Step 3 - handling the request's response.
if (response.getErrorCode()==0):
    # SUCCESS! response status = OK
    print("Success in setStatus operation.")
else:
    # Error
    print("Got error on setStatus: " + response.getErrorMessage())
    # You may also log the response: response.getLog()
"""

GET_USER_INFO_EXAMPLE = """
# Sending 'socialize.getUserInfo' request
params = {"UID": "PUT-UID-HERE"}  # CHANGED: the guide has {"uid", "PUT-UID-HERE"}  // ... (a syntax error)
request = GSRequest(apiKey,secretKey,"socialize.getUserInfo",params)
response = request.send()

# Handle 'getUserInfo' response
if (response.getErrorCode() == 0):
    # SUCCESS! response status = OK
    nickname = response.getObject("nickname")
    age = response.getObject("age")
    print("User name: " + nickname + " The user's age: " + age)
else:
    print("Got error on getUserInfo: " + response.getErrorMessage())
    # You may also log the response: response.getLog()
"""

VALIDATE_SIGNATURE_EXAMPLE = """
# Handle 'socialize.getUserInfo' response
if (response.getErrorCode()==0):
    # SUCCESS! response status = OK
    # Validate the signature:
    valid = SigUtils.validateUserSignature(response.getObject("UID"),response.getObject("signatureTimestamp"),
        secretKey,response.getObject("UIDSignature"))
    if (valid):
        print("signature is valid")
    else:
     print("signature is not valid")
"""


def run_example(code: str, server: LocalCDC, uid: str, namespace: Dict[str, Any] | None = None) -> Dict[str, Any]:
    """Fill the placeholders and run *code* as a program that starts with the migrated import."""
    filled = (
        code.replace("PUT-YOUR-APIKEY-HERE", server.api_key)
        .replace("PUT-YOUR-SECRET-KEY-HERE", server.partner_secret)
        .replace("PUT-UID-HERE", uid)
    )
    if namespace is None:
        namespace = {}
        exec("from gigya_fast.GSSDK import *", namespace)  # noqa: S102 - the migration's one-line change
    exec(compile(filled, "<guide example>", "exec"), namespace)  # noqa: S102 - the guide's own code
    return namespace


@pytest.fixture
def guide(routed: Routed, monkeypatch: pytest.MonkeyPatch) -> Routed:
    monkeypatch.setenv("https_proxy", routed.proxy.url)
    return routed


def test_send_request_example(guide: Routed, capsys: pytest.CaptureFixture[str]) -> None:
    """socialize.setStatus no longer exists (the guide says so; LocalCDC answers 400096): the code
    runs as written, signed, to socialize.us1.gigya.com, and takes its error branch."""
    server = guide.server
    uid = server.create_account({"nickname": "Ann"})
    namespace = run_example(SEND_REQUEST_EXAMPLE, server, uid)
    assert capsys.readouterr().out.startswith("Got error on setStatus: ")
    assert namespace["response"].getErrorCode() == 400096
    recorded = server.requests[-1]
    assert (recorded.host, recorded.path) == ("socialize.us1.gigya.com", "/socialize.setStatus")
    assert recorded.params["uid"] == uid and "sig" in recorded.params
    assert guide.proxy.seen == ["CONNECT socialize.us1.gigya.com:443"]


def test_send_request_example_on_a_live_method(guide: Routed, capsys: pytest.CaptureFixture[str]) -> None:
    """The same program with a method LocalCDC implements, and that method's parameters."""
    server = guide.server
    uid = server.create_account({"nickname": "Ann"})
    code = SEND_REQUEST_EXAMPLE.replace('"socialize.setStatus"', '"accounts.setAccountInfo"').replace(
        '{"uid":"PUT-UID-HERE", "status":"I feel great"}', '{"UID":"PUT-UID-HERE", "data":{"status":"I feel great"}}'
    )
    run_example(code, server, uid)
    assert capsys.readouterr().out == "Success in setStatus operation.\n"
    account = server.get_account(uid)
    assert account is not None and account["data"]["status"] == "I feel great"


def test_get_user_info_and_validate_signature_examples(guide: Routed, capsys: pytest.CaptureFixture[str]) -> None:
    """The guide concatenates ``age`` to text, so it is stored as text here (CDC returns a number,
    for which the guide's line would need ``str(age)``)."""
    server = guide.server
    uid = server.create_account({"nickname": "Ann", "age": "30"})
    namespace: Dict[str, Any] = {"secretKey": server.partner_secret, "apiKey": server.api_key}
    exec("from gigya_fast.GSSDK import *", namespace)  # noqa: S102
    run_example(GET_USER_INFO_EXAMPLE, server, uid, namespace)
    run_example(VALIDATE_SIGNATURE_EXAMPLE, server, uid, namespace)
    assert capsys.readouterr().out == "User name: Ann The user's age: 30\nsignature is valid\n"
    assert server.requests[-1].host == "socialize.us1.gigya.com"


def test_validation_rejects_a_tampered_answer(guide: Routed) -> None:
    server = guide.server
    uid = server.create_account({"nickname": "Ann"})
    response = GSRequest(server.api_key, server.partner_secret, "socialize.getUserInfo", {"UID": uid}).send()
    stamp, signature = response.getObject("signatureTimestamp"), response.getObject("UIDSignature")
    assert SigUtils.validateUserSignature(uid, stamp, server.partner_secret, signature)
    assert not SigUtils.validateUserSignature(uid + "x", stamp, server.partner_secret, signature)
    _, other_secret = server.add_user_key()
    assert not SigUtils.validateUserSignature(uid, stamp, other_secret, signature)


def test_validate_signature_with_a_user_key(guide: Routed) -> None:
    """With userKey, the server signs UIDSignature with that key's secret."""
    server = guide.server
    uid = server.create_account({"nickname": "Ann"})
    params = {"UID": uid}
    request = GSRequest(server.api_key, server.user_secret, "accounts.getAccountInfo", params, userKey=server.user_key)
    response = request.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert server.requests[-1].params.get("userKey") == server.user_key
    assert SigUtils.validateUserSignature(
        response.getString("UID"),
        response.getString("signatureTimestamp"),
        server.user_secret,
        response.getString("UIDSignature"),
    )


def test_sap_send_request_script_flow(
    cdc: LocalCDC, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What SAP's ``sendRequest.py`` CGI script does, with ``timeout=10``: every value arrives as
    text from the form (params as JSON, the timeout as ``"10"``), ``useHttps`` unset means plain
    HTTP, ``setAPIDomain(None)``, then it prints the log and ``getResponseText()``. The proxy comes
    from ``http_proxy`` (lower case: as a CGI script, urllib ignores ``HTTP_PROXY``)."""
    uid = cdc.create_account({"nickname": "Cgi"})
    query = urllib.parse.urlencode(
        {
            "apiKey": cdc.api_key,
            "secret": cdc.partner_secret,
            "method": "accounts.getAccountInfo",
            "params": '{"UID": "%s"}' % uid,
            "timeout": "10",
        }
    )
    with Proxy(lambda host, port: ("127.0.0.1", cdc.port)) as proxy:
        monkeypatch.setenv("REQUEST_METHOD", "GET")
        monkeypatch.setenv("QUERY_STRING", query)
        monkeypatch.setenv("http_proxy", proxy.url)
        form = {name: values[0] for name, values in urllib.parse.parse_qs(query).items()}
        use_https = form.get("useHttps") == "1" or form.get("useHttps") == "true"
        api_key, secret, method, params = form.get("apiKey"), form.get("secret"), form.get("method"), form.get("params")
        req = GSRequest(api_key, secret, method, params, use_https, form.get("userKey"))
        req.setAPIDomain(form.get("apiDomain"))
        timeout = form.get("timeout")
        res = req.send(timeout) if timeout is not None else req.send()
        print("x-proxy-log:" + res.getLog().replace("\r\n", " "))
        print(res.getResponseText())
        assert proxy.seen == ["POST http://accounts.us1.gigya.com/accounts.getAccountInfo"]
    log_line, text_line, _ = capsys.readouterr().out.split("\n")
    assert res.getErrorCode() == 0, res.getErrorMessage()
    assert log_line.startswith("x-proxy-log:apiMethod='accounts.getAccountInfo'") and "timeout=10.0" in log_line
    assert cdc.partner_secret not in log_line
    assert text_line.startswith("b'{") and uid in text_line  # bytes printed, as the original did on Python 3
    assert cdc.requests[-1].host == "accounts.us1.gigya.com" and cdc.requests[-1].auth_mode == "partner_sig"
