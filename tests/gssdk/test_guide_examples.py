"""The examples of SAP's GSSDK.py user guide, run against LocalCDC.

Each example is the guide's code translated to Python 3 ``print()`` calls and
otherwise kept as written; the only other changes are marked ``# CHANGED`` and
explained there. The placeholders (``PUT-YOUR-APIKEY-HERE``...) are filled from
the local server, and ``request.setAPIDomain(cdc.url)`` - the guide's own
data-center line - points the request at it.
"""

from __future__ import annotations

import pytest

from gigya_fast.GSSDK import *  # noqa: F403 - the migration's one-line change
from gigya_fast.GSSDK import GSRequest, SigUtils
from gigya_fast.testing import LocalCDC


def test_send_request_example_setstatus_verbatim(cdc: LocalCDC, capsys: pytest.CaptureFixture[str]) -> None:
    """socialize.setStatus is deprecated (the guide says so) and LocalCDC does not implement it:
    the guide's code runs unchanged and takes its error branch."""
    uid = cdc.create_account({"nickname": "Ann"})

    # Define the API-Key and Secret key (the keys can be obtained from your site setup page on Gigya's website).
    apiKey = cdc.api_key
    secretKey = cdc.partner_secret

    # Step 1 - Defining the request and adding parameters
    method = "socialize.setStatus"
    params = {"uid": uid, "status": "I feel great"}  # Set "uid" to the user's ID, and "status" to "I feel great"
    request = GSRequest(apiKey, secretKey, method, params)
    request.setAPIDomain(cdc.url)

    # Step 2 - Sending the request
    response = request.send()

    # Step 3 - handling the request's response.
    if response.getErrorCode() == 0:
        # SUCCESS! response status = OK
        print("Success in setStatus operation.")
    else:
        # Error
        print("Got error on setStatus: " + response.getErrorMessage())
        # You may also log the response: response.getLog()

    out = capsys.readouterr().out
    assert out.startswith("Got error on setStatus: ")
    assert response.getErrorCode() == 400096  # "Not supported": the method exists no more
    assert cdc.requests[-1].error_code == 400096  # it did reach the server, signed


def test_send_request_example_same_shape_on_a_live_method(cdc: LocalCDC, capsys: pytest.CaptureFixture[str]) -> None:
    """The same code with a method the server implements: the status lands in the account's data."""
    uid = cdc.create_account({"nickname": "Ann"})

    apiKey = cdc.api_key
    secretKey = cdc.partner_secret

    # Step 1 - Defining the request and adding parameters
    method = "accounts.setAccountInfo"  # CHANGED: setStatus -> a method LocalCDC implements
    params = {"UID": uid, "data": {"status": "I feel great"}}  # CHANGED: that method's parameters
    request = GSRequest(apiKey, secretKey, method, params)
    request.setAPIDomain(cdc.url)

    # Step 2 - Sending the request
    response = request.send()

    # Step 3 - handling the request's response.
    if response.getErrorCode() == 0:
        # SUCCESS! response status = OK
        print("Success in setStatus operation.")
    else:
        # Error
        print("Got error on setStatus: " + response.getErrorMessage())
        # You may also log the response: response.getLog()

    assert capsys.readouterr().out == "Success in setStatus operation.\n"
    account = cdc.get_account(uid)
    assert account is not None and account["data"]["status"] == "I feel great"


def test_get_user_info_example(cdc: LocalCDC, capsys: pytest.CaptureFixture[str]) -> None:
    # The guide concatenates age to a string, so it is stored as text here; real CDC returns
    # a number, for which the guide's line needs str(age).
    uid = cdc.create_account({"nickname": "Ann", "age": "30"})
    apiKey, secretKey = cdc.api_key, cdc.partner_secret

    # Sending 'socialize.getUserInfo' request
    # CHANGED: the guide writes {"uid", "PUT-UID-HERE"} (a set literal, with a // comment);
    # a dict is meant, and LocalCDC names the parameter UID.
    params = {"UID": uid}  # set the "UID" parameter to user's ID
    request = GSRequest(apiKey, secretKey, "socialize.getUserInfo", params)
    request.setAPIDomain(cdc.url)
    response = request.send()

    # Handle 'getUserInfo' response
    if response.getErrorCode() == 0:
        # SUCCESS! response status = OK
        nickname = response.getObject("nickname")
        age = response.getObject("age")
        print("User name: " + nickname + " The user's age: " + age)
    else:
        print("Got error on getUserInfo: " + response.getErrorMessage())
        # You may also log the response: response.getLog()

    assert capsys.readouterr().out == "User name: Ann The user's age: 30\n"


def test_validate_signature_example(cdc: LocalCDC, capsys: pytest.CaptureFixture[str]) -> None:
    uid = cdc.create_account({"nickname": "Ann"})
    apiKey, secretKey = cdc.api_key, cdc.partner_secret
    request = GSRequest(apiKey, secretKey, "socialize.getUserInfo", {"UID": uid})
    request.setAPIDomain(cdc.url)
    response = request.send()

    # Handle 'socialize.getUserInfo' response
    if response.getErrorCode() == 0:
        # SUCCESS! response status = OK
        # Validate the signature:
        valid = SigUtils.validateUserSignature(
            response.getObject("UID"),
            response.getObject("signatureTimestamp"),
            secretKey,
            response.getObject("UIDSignature"),
        )
        if valid:
            print("signature is valid")
        else:
            print("signature is not valid")

    assert capsys.readouterr().out == "signature is valid\n"
    # ...and a tampered UID, or a signature from another secret, is not.
    assert not SigUtils.validateUserSignature(
        uid + "x", response.getObject("signatureTimestamp"), secretKey, response.getObject("UIDSignature")
    )
    other_key, other_secret = cdc.add_user_key()
    assert not SigUtils.validateUserSignature(
        uid, response.getObject("signatureTimestamp"), other_secret, response.getObject("UIDSignature")
    )


def test_validate_signature_with_a_user_key(cdc: LocalCDC) -> None:
    """With userKey, the server signs UIDSignature with that key's secret (protocol.md section 5)."""
    uid = cdc.create_account({"nickname": "Ann"})
    request = GSRequest(cdc.api_key, cdc.user_secret, "accounts.getAccountInfo", {"UID": uid}, userKey=cdc.user_key)
    request.setAPIDomain(cdc.url)
    response = request.send()
    assert response.getErrorCode() == 0, response.getErrorMessage()
    assert cdc.requests[-1].params.get("userKey") == cdc.user_key
    assert SigUtils.validateUserSignature(
        response.getString("UID"),
        response.getString("signatureTimestamp"),
        cdc.user_secret,
        response.getString("UIDSignature"),
    )
