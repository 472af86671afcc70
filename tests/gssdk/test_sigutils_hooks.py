"""The scenarios of the original SDK's own ``SigUtilsTest.py``, written anew: SigUtils with its
helpers replaced by mocks goes through the mocks, as the original did, and comes back to the
compiled kernels once they are restored."""

from __future__ import annotations

import time
from unittest import mock

from gigya_fast.GSSDK import SigUtils

SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQ="


def now() -> int:
    return int(round(time.time()))


def test_mocked_calc_signature_and_an_expired_timestamp() -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="signature") as fake:
        assert not SigUtils.validateUserSignature("UID", "1586977937", "secret", "signature", 180)
    fake.assert_called_once_with("1586977937_UID", "secret")


def test_mocked_calc_signature_and_a_fresh_timestamp() -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="signature"):
        assert SigUtils.validateUserSignature("UID", str(now() + 80), "secret", "signature", 180)
        assert not SigUtils.validateUserSignature("UID", str(now() + 80), "secret", "other", 180)


def test_default_expiration_is_the_guides_five_minutes() -> None:
    """The original skipped the time check by default (its SigUtilsTest expects True for a 2020
    timestamp); the user guide promises five minutes, and the drop-in keeps that promise."""
    with mock.patch.object(SigUtils, "calcSignature", return_value="signature"):
        assert not SigUtils.validateUserSignature("UID", "1586977937", "secret", "signature")
        assert SigUtils.validateUserSignature("UID", "1586977937", "secret", "signature", None)
        assert SigUtils.validateUserSignature("UID", str(now() - 299), "secret", "signature")


def test_mocked_validate_user_signature_under_with_expiration() -> None:
    with mock.patch.object(SigUtils, "validateUserSignature", return_value=True) as fake:
        assert not SigUtils.validateUserSignatureWithExpiration("UID", "1586977937", "secret", "signature", 180)
        assert SigUtils.validateUserSignatureWithExpiration("UID", str(now() + 60), "secret", "signature", 180)
    assert fake.call_count == 2


def test_mocked_friend_helpers_go_through_the_mocks() -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="sig") as fake:
        assert SigUtils.validateFriendSignature("U", str(now()), "F", "secret", "sig")
        fake.assert_called_once()
        assert fake.call_args.args[0].endswith("_F_U")
    with mock.patch.object(SigUtils, "validateFriendSignature", return_value=True):
        assert not SigUtils.validateFriendSignatureWithExpiration("U", "1586977937", "F", "secret", "sig", 180)
        assert SigUtils.validateFriendSignatureWithExpiration("U", str(now()), "F", "secret", "sig", 180)


def test_mocked_expiry_check_is_used() -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="s"), mock.patch.object(
        SigUtils, "signatureTimestampExpired", return_value=True
    ) as expired:
        assert not SigUtils.validateUserSignature("UID", str(now()), "secret", "s", 300)
    expired.assert_called_once()


def test_mocked_calc_signature_signs_the_session_cookie() -> None:
    with mock.patch.object(SigUtils, "calcSignature", return_value="SIG") as fake:
        value = SigUtils.getDynamicSessionSignature("token|rest", 60, "secret")
        user_signed = SigUtils.getDynamicSessionSignatureUserSigned("token", 60, "UK", "secret")
    expiry = value.split("_", 1)[0]
    assert value == f"{expiry}_SIG"
    assert fake.call_args_list[0].args == (f"token_{expiry}", "secret")
    assert user_signed.endswith("_UK_SIG")


def test_the_fast_path_comes_back_after_the_patch() -> None:
    from gigya_fast._gssdk import sigutils

    with mock.patch.object(SigUtils, "calcSignature", return_value="x"):
        assert not sigutils.hooks_intact()
    assert sigutils.hooks_intact()
    stamp = str(now())
    signature = SigUtils.calcSignature(stamp + "_UID", SECRET)
    assert SigUtils.validateUserSignature("UID", stamp, SECRET, signature)
