"""Without the optional dependencies: HTTP + HMAC work, TLS/JWT fail clearly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gigya_fast.errors import MissingDependencyError
from gigya_fast.testing import LocalCDC

from ._wire import Sender


def test_import_pulls_in_no_optional_dependency() -> None:
    code = "import sys, gigya_fast.testing; print(sorted(m for m in ('cryptography', 'trustme') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_tls_without_trustme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trustme", None)
    cdc = LocalCDC(tls=True)
    with pytest.raises(MissingDependencyError, match="testing"):
        cdc.start()
    assert not cdc.running


def test_jwt_features_without_cryptography(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives", None)
    with LocalCDC(seed_accounts=1) as cdc:
        sender = Sender(cdc)
        uid = cdc.accounts[0]["UID"]
        assert sender.call("accounts.getAccountInfo", UID=uid)["errorCode"] == 0
        answer = sender.call("accounts.getJWT", targetUID=uid)
        assert answer["errorCode"] == 500001 and "cryptography" in answer["errorDetails"]
        assert sender.call("accounts.getJWTPublicKey", V2="true")["errorCode"] == 500001
        with pytest.raises(MissingDependencyError):
            cdc.register_public_key(cdc.user_key, "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n")
        with pytest.raises(MissingDependencyError):
            cdc.issue_id_token(uid)
        with pytest.raises(MissingDependencyError):
            _ = cdc.jwks
