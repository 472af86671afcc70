"""``gigya-fast webhooks verify``: end to end through main([...]) and a subprocess."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from gigya_fast.cli import main

from ._webhook_support import API_KEY, HMAC_HEADER, JWT_HEADER, NOW, OTHER_SECRET, SECRET, body, event, headers


def record(raw: bytes, hdrs: Dict[str, str]) -> str:
    try:
        return json.dumps({"headers": hdrs, "body": raw.decode("utf-8")})
    except UnicodeDecodeError:
        return json.dumps({"headers": hdrs, "body_b64": base64.b64encode(raw).decode()})


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    lines: List[str] = []
    for i in range(5):
        raw = body([event(f"e{i}"), event("shared")], nonce=f"n{i}")
        lines.append(record(raw, headers(raw)))
    bad = body(nonce="bad")
    lines.append(record(bad, headers(bad, OTHER_SECRET)))
    lines.append("this is not json")
    lines.append("")
    binary = b'{"events":[],"nonce":"\xff","timestamp":1}'
    lines.append(record(binary, {HMAC_HEADER.lower(): headers(binary)[HMAC_HEADER]}))
    path = tmp_path / "recorded.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_summary_and_exit_status(
    recording: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    assert main(["webhooks", "verify", str(recording)]) == 1
    out = capsys.readouterr().out
    assert "notifications: 8" in out and "valid: 5" in out and "invalid: 3" in out
    assert "1  X-Gigya-Sig-Hmac-Sha1 does not match the body" in out
    assert "1  unreadable line" in out
    assert "1  notification body is malformed: not UTF-8" in out, "signed, but not a CDC notification"
    assert "duplicate events: 4" in out, "'shared' was redelivered four times"
    assert SECRET not in out


def test_jsonl_results_to_file(recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_SECRET", SECRET)
    out = tmp_path / "results.jsonl"
    status = main(
        ["webhooks", "verify", str(recording), "--secret-env", "MY_SECRET", "--format", "jsonl", "--output", str(out)]
    )
    assert status == 1
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["line"] for r in results] == [1, 2, 3, 4, 5, 6, 7, 9]
    assert [r["valid"] for r in results] == [True] * 5 + [False, False, False]
    assert results[0] == {"line": 1, "valid": True, "nonce": "n0", "events": 2, "duplicates": 0}
    assert results[1]["duplicates"] == 1
    assert results[5]["reason"] == "X-Gigya-Sig-Hmac-Sha1 does not match the body"


def test_all_valid_exits_zero_with_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    path = tmp_path / "ok.jsonl"
    raws = [body([event(f"e{i}")], nonce=f"n{i}") for i in range(50)]
    path.write_text("\n".join(record(r, headers(r)) for r in raws))
    assert main(["webhooks", "verify", str(path), "--threads", "2", "--no-progress"]) == 0


def test_tolerance_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    path = tmp_path / "old.jsonl"
    raw = body()
    path.write_text(record(raw, headers(raw)))
    assert main(["webhooks", "verify", str(path)]) == 0
    assert main(["webhooks", "verify", str(path), "--tolerance", "300"]) == 1
    assert "outside the tolerance window" in capsys.readouterr().out


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GIGYA_SECRET", raising=False)
    path = tmp_path / "x.jsonl"
    path.write_text("")
    assert main(["webhooks", "verify", str(path)]) == 2
    assert "GIGYA_SECRET is not set" in capsys.readouterr().err
    monkeypatch.setenv("GIGYA_SECRET", "not base64!")
    assert main(["webhooks", "verify", str(path)]) == 2
    assert "not base64!" not in capsys.readouterr().err
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    assert main(["webhooks", "verify", str(tmp_path / "missing.jsonl")]) == 2
    assert main(["webhooks", "verify", str(path), "--threads", "0"]) == 2
    assert main(["webhooks", "verify", str(path), "--output", str(tmp_path / "no" / "dir")]) == 2
    assert main(["webhooks"]) == 2
    assert main(["webhooks", "verify", str(path)]) == 0  # empty input: nothing invalid


def test_secret_is_not_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    # No --secret option, and no abbreviation of --secret-env either.
    with pytest.raises(SystemExit):
        main(["webhooks", "verify", "f", "--secret", SECRET])
    assert SECRET not in capsys.readouterr().out


def test_progress_bar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    path = tmp_path / "p.jsonl"
    raws = [body([event(f"e{i}")], nonce=f"n{i}") for i in range(10)]
    path.write_text("\n".join(record(r, headers(r)) for r in raws))
    assert main(["webhooks", "verify", str(path), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "verifying 100% [" in err and "10 lines" in err


def test_subprocess_stdin_and_environment(recording: Path) -> None:
    env: Dict[str, Any] = dict(os.environ, WEBHOOK_SECRET=SECRET)
    env.pop("GIGYA_SECRET", None)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "gigya_fast", "webhooks", "verify", "-", "--secret-env", "WEBHOOK_SECRET"],
        input=recording.read_bytes(),
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert b"valid: 5" in proc.stdout
    assert SECRET.encode() not in proc.stdout + proc.stderr


def test_jsonl_to_stdout_summary_to_stderr(
    recording: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    assert main(["webhooks", "verify", str(recording), "--format", "jsonl"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == 8 and all(json.loads(line)["line"] for line in lines)
    assert "valid: 5" in captured.err


def test_jwt_header_verified_with_jwks_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")
    from .test_webhook_jwt import jwks, sig_jwt

    good = body([event("j1")], nonce="jn1")
    forged = body([event("j2")], nonce="jn2")
    lines = [
        record(good, {**headers(good), JWT_HEADER: sig_jwt(good)}),
        record(forged, {**headers(forged), JWT_HEADER: sig_jwt(forged, key_name="other")}),
    ]
    recording = tmp_path / "jwt.jsonl"
    recording.write_text("\n".join(lines) + "\n")
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(jwks()))
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    args = ["webhooks", "verify", str(recording), "--jwks", str(keys), "--api-key", API_KEY]

    assert main([*args, "--now", str(NOW)]) == 1
    out = capsys.readouterr().out
    assert "valid: 1" in out and "invalid: 1" in out
    assert "1  token signature does not verify" in out, "the forged JWT is named as the failed check"

    # Recorded long ago: the 60 s JWT has expired unless verified as of its time.
    assert main(args) == 1
    assert "valid: 0" in capsys.readouterr().out

    monkeypatch.delenv("GIGYA_SECRET")
    assert main([*args, "--now", str(NOW), "--format", "jsonl"]) == 1, "JWT only, no secret: still checked"
    assert main(["webhooks", "verify", str(recording), "--jwks", str(keys)]) == 2, "--jwks needs --api-key"


# --- hostile input: lines are unreadable and the run goes on; bad options are usage errors ---------


def hostile_recording(tmp_path: Path) -> Path:
    good = [body([event(f"g{i}")], nonce=f"g{i}") for i in range(2)]
    lines = [
        record(good[0], headers(good[0])),
        '{"headers": {}, "body": "\\ud800"}',  # a lone surrogate: text with no UTF-8 bytes
        '{"headers": {}, "body": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "[" * 100_000,
        '{"headers": {"a": "\\udfff"}, "body_b64": "!!!"}',
        "\xff\xfe not utf-8",
        record(good[1], headers(good[1])),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    return path


def test_hostile_lines_are_unreadable_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    path = hostile_recording(tmp_path)
    assert main(["webhooks", "verify", str(path), "--format", "jsonl"]) == 1
    captured = capsys.readouterr()
    results = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["valid"] for r in results] == [True, False, False, False, False, False, True]
    assert all(r["reason"].startswith("unreadable line") for r in results[1:6])
    assert "5  unreadable line" in captured.err


def test_hostile_lines_in_a_subprocess_leave_no_traceback(tmp_path: Path) -> None:
    env: Dict[str, Any] = dict(os.environ, GIGYA_SECRET=SECRET)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-m", "gigya_fast", "webhooks", "verify", str(hostile_recording(tmp_path))],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert b"valid: 2" in proc.stdout and b"5  unreadable line" in proc.stdout


@pytest.mark.parametrize("document", ["[1, 2]", '"keys"', "42", "null", "[" * 100_000, '{"keys": []}', '{"k": 1}'])
def test_jwks_file_that_is_not_a_key_set_is_a_usage_error(
    document: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    keys = tmp_path / "keys.json"
    keys.write_text(document)
    recording = tmp_path / "r.jsonl"
    recording.write_text("")
    assert main(["webhooks", "verify", str(recording), "--jwks", str(keys), "--api-key", API_KEY]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gigya-fast: ") and ("JWKS" in err or "jwks:" in err or "not a JSON document" in err)


@pytest.mark.parametrize("option", ["--tolerance", "--now"])
@pytest.mark.parametrize("value", ["-1", "nan", "inf", "-inf", "1e999"])
def test_non_finite_or_negative_times_are_usage_errors(
    option: str, value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIGYA_SECRET", SECRET)
    path = tmp_path / "one.jsonl"
    raw = body()
    path.write_text(record(raw, headers(raw)))
    assert main(["webhooks", "verify", str(path), f"{option}={value}"]) == 2
    err = capsys.readouterr().err
    assert option in err and ("finite" in err or "non-negative" in err)


def test_now_nan_does_not_make_an_expired_webhook_jwt_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")
    from .test_webhook_jwt import jwks, sig_jwt

    raw = body([event("j1")], nonce="jn1")
    recording = tmp_path / "jwt.jsonl"
    recording.write_text(record(raw, {JWT_HEADER: sig_jwt(raw)}) + "\n")
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(jwks()))
    args = ["webhooks", "verify", str(recording), "--jwks", str(keys), "--api-key", API_KEY]
    assert main([*args, "--now", str(NOW + 3600)]) == 1, "an hour later the 60 s token has expired"
    assert "1  token has expired" in capsys.readouterr().out
    assert main([*args, "--now", "nan"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--now" in captured.err, "no verdict at all, let alone 'valid'"
