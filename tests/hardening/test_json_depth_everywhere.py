"""JSON from outside (a JWKS answer or file, a webhook record for the CLI, a logged value) is
refused or hidden alike on every Python when it nests deeper than ``MAX_JSON_DEPTH``: the
decoder's own limit is the recursion limit, which moved between versions (3.13 parses 5000
levels that 3.12 refuses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gigya_fast._gssdk.trace import REDACTED, redact, redact_query
from gigya_fast._jsondepth import MAX_JSON_DEPTH
from gigya_fast.cli.webhooks import _read_jwks, read_record
from gigya_fast.jwt._key_slots import document_of


def _nested(depth: int, inner: str = '"x"') -> str:
    """An object whose member ``n`` nests arrays so that the whole document is *depth* deep."""
    return '{"n":' + "[" * (depth - 1) + inner + "]" * (depth - 1) + "}"


@pytest.mark.parametrize("kind", [str, bytes, bytearray])
def test_jwks_answer(kind: type) -> None:
    def as_kind(text: str) -> object:
        return text if kind is str else kind(text.encode())

    assert document_of(as_kind(_nested(MAX_JSON_DEPTH)))["n"]  # type: ignore[index]
    for depth in (MAX_JSON_DEPTH + 1, 5000):
        with pytest.raises(ValueError, match="deeper than %d levels" % MAX_JSON_DEPTH):
            document_of(as_kind(_nested(depth)))


def test_jwks_file(tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(_nested(MAX_JSON_DEPTH))
    assert isinstance(_read_jwks(str(path)), dict)
    for depth in (MAX_JSON_DEPTH + 1, 5000):
        path.write_text(_nested(depth))
        message = _read_jwks(str(path))
        assert isinstance(message, str) and "deeper than %d levels" % MAX_JSON_DEPTH in message


def test_webhook_record_for_the_cli() -> None:
    def record(depth: int) -> bytes:
        extra = "[" * (depth - 1) + "]" * (depth - 1)
        return ('{"body":"{}","headers":{"x-gigya-sig-hmac-sha1":"s"},"extra":%s}' % extra).encode()

    assert read_record(record(MAX_JSON_DEPTH)) == (b"{}", {"x-gigya-sig-hmac-sha1": "s"})
    assert read_record(record(MAX_JSON_DEPTH + 1)) is None
    assert read_record(record(5000)) is None


def test_logged_values_are_hidden_when_too_deep_to_redact() -> None:
    shallow = _nested(MAX_JSON_DEPTH - 1, '{"secret":"hunter2"}')  # the inner object is a level too
    cleaned = redact(shallow)
    assert "hunter2" not in cleaned and json.loads(cleaned)  # redacted, still JSON
    for depth in (MAX_JSON_DEPTH + 1, 5000):
        deep = _nested(depth, '{"secret":"hunter2"}')
        assert redact(deep) == REDACTED
        assert redact({"params": deep}) == {"params": REDACTED}
        assert "hunter2" not in redact_query("a=1&b=" + deep)
