"""JWT bearer authentication, id_tokens and the JWKS (need cryptography)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any, Dict

import pytest

from gigya_fast.testing import LocalCDC

from ._wire import Sender

pytest.importorskip("cryptography")

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_jwt(key: Any, kid: str, claims: Dict[str, Any], alg: str = "RS256") -> str:
    header = {"alg": alg, "typ": "JWT", "kid": kid}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(signature)


def verify_with_jwks(token: str, jwks: Dict[str, Any]) -> Dict[str, Any]:
    head, body, sig = token.split(".")
    header = json.loads(b64url_decode(head))
    assert header["alg"] == "RS256"
    jwk = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    public = rsa.RSAPublicNumbers(
        int.from_bytes(b64url_decode(jwk["e"]), "big"), int.from_bytes(b64url_decode(jwk["n"]), "big")
    ).public_key()
    public.verify(b64url_decode(sig), (head + "." + body).encode(), padding.PKCS1v15(), hashes.SHA256())
    return json.loads(b64url_decode(body))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: Any, pkcs1: bool = False) -> bytes:
    fmt = serialization.PublicFormat.PKCS1 if pkcs1 else serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(serialization.Encoding.PEM, fmt)  # type: ignore[no-any-return]


def _claims(iat: float | None = None, jti: str | None = None) -> Dict[str, Any]:
    return {"iat": int(time.time() if iat is None else iat), "jti": jti or uuid.uuid4().hex}


def _get(sender: Sender, cdc: LocalCDC, token: str) -> Dict[str, Any]:
    uid = cdc.accounts[0]["UID"]
    params = {"apiKey": cdc.api_key, "UID": uid}
    return sender.form("/accounts.getAccountInfo", params, headers={"Authorization": "Bearer " + token})


def test_jwt_bearer_accepted(cdc: LocalCDC, sender: Sender, rsa_key: Any) -> None:
    cdc.register_public_key(cdc.user_key, _pem(rsa_key))
    answer = _get(sender, cdc, make_jwt(rsa_key, cdc.user_key, _claims()))
    assert answer["errorCode"] == 0
    record = cdc.requests[-1]
    assert (record.auth_mode, record.headers["Authorization"]) == ("jwt", "***")


def test_jwt_bearer_rsa_public_key_pem(cdc: LocalCDC, sender: Sender, rsa_key: Any) -> None:
    cdc.register_public_key(cdc.user_key, _pem(rsa_key, pkcs1=True).decode())
    assert _get(sender, cdc, make_jwt(rsa_key, cdc.user_key, _claims()))["errorCode"] == 0


def test_jwt_bearer_rejections(cdc: LocalCDC, sender: Sender, rsa_key: Any) -> None:
    cdc.register_public_key(cdc.user_key, _pem(rsa_key))
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _get(sender, cdc, make_jwt(other, cdc.user_key, _claims()))["errorCode"] == 400008  # wrong key
    assert _get(sender, cdc, make_jwt(rsa_key, "unknown", _claims()))["errorCode"] == 400008  # unknown kid
    assert _get(sender, cdc, make_jwt(rsa_key, cdc.user_key, _claims(), alg="HS256"))["errorCode"] == 400008
    assert _get(sender, cdc, "a.b.c")["errorCode"] == 400008
    no_jti = make_jwt(rsa_key, cdc.user_key, {"iat": int(time.time())})
    assert _get(sender, cdc, no_jti)["errorCode"] == 400008
    old = make_jwt(rsa_key, cdc.user_key, _claims(iat=time.time() - 600))
    assert _get(sender, cdc, old)["errorCode"] == 403002


def test_jwt_bearer_replay(cdc: LocalCDC, sender: Sender, rsa_key: Any) -> None:
    cdc.register_public_key(cdc.user_key, _pem(rsa_key))
    token = make_jwt(rsa_key, cdc.user_key, _claims())
    assert _get(sender, cdc, token)["errorCode"] == 0
    assert _get(sender, cdc, token)["errorCode"] == 403004


def test_get_jwt_and_jwks(cdc: LocalCDC, sender: Sender) -> None:
    uid = cdc.accounts[1]["UID"]
    answer = sender.call("accounts.getJWT", targetUID=uid, expiration=120, fields="profile.email,profile.age")
    assert answer["errorCode"] == 0
    jwks = sender.call("accounts.getJWTPublicKey", V2="true")
    assert jwks["keys"][0]["kty"] == "RSA" and jwks["keys"][0]["use"] == "sig"
    claims = verify_with_jwks(answer["id_token"], jwks)
    assert claims["iss"] == f"https://fidm.gigya.com/jwt/{cdc.api_key}/"
    assert claims["sub"] == uid and claims["apiKey"] == cdc.api_key
    assert claims["exp"] - claims["iat"] == 120 and abs(claims["iat"] - time.time()) < 5
    assert claims["email"] == cdc.accounts[1]["profile"]["email"]
    legacy = sender.call("accounts.getJWTPublicKey")
    assert legacy["kid"] == jwks["keys"][0]["kid"] and legacy["n"] == jwks["keys"][0]["n"]


def test_get_jwt_unknown_uid(cdc: LocalCDC, sender: Sender) -> None:
    assert sender.call("accounts.getJWT", targetUID="nobody")["errorCode"] == 403047
    assert sender.call("accounts.getJWT")["errorCode"] == 400002


def test_key_rotation(cdc: LocalCDC) -> None:
    old_token = cdc.issue_id_token("u1")
    new_kid = cdc.rotate_jwt_key()
    new_token = cdc.issue_id_token("u1")
    assert json.loads(b64url_decode(new_token.split(".")[0]))["kid"] == new_kid
    jwks = cdc.jwks
    assert len(jwks["keys"]) == 2
    verify_with_jwks(old_token, jwks)
    verify_with_jwks(new_token, jwks)
    cdc.rotate_jwt_key(keep_old=False)
    assert len(cdc.jwks["keys"]) == 1
