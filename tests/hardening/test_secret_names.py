"""One list of secret names for everything that writes requests down: the drop-in's trace and
the test server's request log hide the value of every name on it, in any letter case."""

from __future__ import annotations

import pytest

from gigya_fast._gssdk.trace import REDACTED, redact, redact_query
from gigya_fast._secret_names import SECRET_NAMES
from gigya_fast.testing.records import redact_headers, redact_params, signature_fingerprint


@pytest.mark.parametrize("name", sorted(SECRET_NAMES))
def test_every_writer_hides_every_secret_name(name: str) -> None:
    for spelled in (name, name.upper(), name[:1].upper() + name[1:]):
        assert redact({spelled: "s3cr3t-value"}) == {spelled: REDACTED}
        assert "s3cr3t-value" not in redact_query("a=1&%s=s3cr3t-value" % spelled)
        recorded = redact_params({spelled: "s3cr3t-value"})[spelled]
        assert recorded == (signature_fingerprint("s3cr3t-value") if name == "sig" else REDACTED)
        assert redact_headers({spelled: "s3cr3t-value"}) == {spelled: REDACTED}


def test_the_two_factor_tokens_are_on_the_list() -> None:
    """The drop-in's trace used to miss these (the test server's log had them)."""
    assert {"phvtoken", "sctoken", "gigyaassertion", "regtoken", "code"} <= SECRET_NAMES
    assert all(name == name.lower() for name in SECRET_NAMES)
