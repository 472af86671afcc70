"""Secret rotation: a WebhookVerifier with several secrets accepts a signature made with any of them."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, List, Tuple

import pytest

from gigya_fast.cli import main
from gigya_fast.errors import ConfigurationError, InvalidSecretError, SignatureError
from gigya_fast.webhooks import Notification, WebhookVerifier

from ._webhook_support import NOW, OTHER_SECRET, SECRET, body, event, headers

THIRD = base64.b64encode(b"a third secret, never configured").decode("ascii")


def signed(i: int, secret: str, **kwargs: Any) -> Tuple[bytes, dict[str, str]]:
    raw = body([event(f"e{i}")], nonce=f"n{i}", **kwargs)
    return raw, headers(raw, secret)


@pytest.mark.parametrize("order", [(SECRET, OTHER_SECRET), (OTHER_SECRET, SECRET)])
def test_verify_accepts_any_configured_secret(order: Tuple[str, str]) -> None:
    v = WebhookVerifier(list(order))
    for secret in (SECRET, OTHER_SECRET):
        raw, hdrs = signed(0, secret)
        assert v.verify(raw, hdrs, now=NOW).nonce == "n0"
    raw, hdrs = signed(0, THIRD)
    with pytest.raises(SignatureError, match="does not match"):
        v.verify(raw, hdrs, now=NOW)


def test_a_single_secret_in_a_sequence_is_that_secret() -> None:
    raw, hdrs = signed(0, OTHER_SECRET)
    with pytest.raises(SignatureError):
        WebhookVerifier((SECRET,)).verify(raw, hdrs, now=NOW)
    assert WebhookVerifier((OTHER_SECRET,)).verify(raw, hdrs, now=NOW).body == raw


def _mixed(count: int) -> Tuple[List[Any], List[str]]:
    items: List[Any] = []
    kinds: List[str] = []
    for i in range(count):
        kind = ("new", "old", "third", "old-stale", "new")[i % 5]
        secret = {"new": SECRET, "old": OTHER_SECRET, "third": THIRD, "old-stale": OTHER_SECRET}[kind]
        items.append(signed(i, secret, timestamp=NOW - 301 if kind == "old-stale" else NOW))
        kinds.append(kind)
    return items, kinds


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("general", [False, True])
def test_verify_many_tries_each_secret_on_the_failures(threads: int, general: bool) -> None:
    v = WebhookVerifier([SECRET, OTHER_SECRET], dedupe=False)
    items, kinds = _mixed(2000)
    if general:  # an item only the general path takes: the same answers there
        items.append((bytearray(items[0][0]), items[0][1]))
        kinds.append("new")
    results = v.verify_many(items, threads=threads, now=NOW)
    for (raw, hdrs), kind, result in zip(items, kinds, results):
        if kind in ("new", "old"):
            assert isinstance(result, Notification) and result.body == raw
        elif kind == "third":
            assert isinstance(result, SignatureError) and "does not match" in str(result)
        else:  # the old secret verified it; the replay window then refused it
            assert isinstance(result, SignatureError) and "tolerance window" in str(result)
        one: Any
        try:
            one = v.verify(raw, hdrs, now=NOW)
        except SignatureError as exc:
            one = exc
        assert type(one) is type(result) and str(one) == str(result)


def test_configuration_errors_and_repr() -> None:
    with pytest.raises(ConfigurationError):
        WebhookVerifier([])
    with pytest.raises(InvalidSecretError):
        WebhookVerifier([SECRET, "not base64!"])
    with pytest.raises(TypeError):
        WebhookVerifier(42)  # type: ignore[arg-type]
    v = WebhookVerifier([SECRET, OTHER_SECRET])
    assert "secrets=2" in repr(v) and SECRET not in repr(v) and OTHER_SECRET not in repr(v)
    assert v.checks == frozenset({"hmac"})


def test_cli_accepts_comma_separated_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = []
    for i, secret in enumerate((SECRET, OTHER_SECRET)):
        raw, hdrs = signed(i, secret)
        lines.append(json.dumps({"headers": hdrs, "body": raw.decode()}))
    path = tmp_path / "rotated.jsonl"
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    assert main(["webhooks", "verify", "--now", str(NOW), str(path)]) == 1
    monkeypatch.setenv("GIGYA_SECRET", f"{SECRET}, {OTHER_SECRET}")
    assert main(["webhooks", "verify", "--now", str(NOW), str(path)]) == 0
    out = capsys.readouterr().out
    assert "valid: 2" in out and SECRET not in out and OTHER_SECRET not in out
