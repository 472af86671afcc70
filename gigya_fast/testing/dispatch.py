"""From a parsed request to a response: routing, authentication, faults,
method handlers, the envelope and the request log. No socket code here."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Tuple

from .auth import authenticate, check_clear_secret
from .envelope import CDCError, encode_json, envelope, new_call_id, status_for_code
from .faults import Fault
from .methods import Call, find_handler
from .records import RecordedRequest, redact_headers, redact_params
from .state import ServerState
from .wire import OAUTH2_TOKEN_PATH, Incoming, method_from_path

__all__ = ["Outcome", "dispatch", "error_outcome"]

logger = logging.getLogger(__name__)

_JSON = "application/json; charset=utf-8"


@dataclass
class Outcome:
    """What to send back: ``action`` is ``send``, ``drop`` (close, no answer) or ``truncate``."""

    status: int
    body: bytes
    headers: List[Tuple[str, str]] = field(default_factory=list)
    action: str = "send"
    content_type: str = _JSON


def _json_outcome(
    state: ServerState,
    request: Incoming | None,
    body: Mapping[str, Any],
    code: int,
    extra_headers: Mapping[str, str] | None = None,
    http_status: int | None = None,
) -> Outcome:
    status = 200
    if http_status is not None:
        status = http_status
    elif request is not None and request.params.get("httpStatusCodes", "").lower() == "true":
        status = status_for_code(code)
    return Outcome(status, encode_json(body), list((extra_headers or {}).items()))


def error_outcome(
    state: ServerState,
    error: CDCError,
    request: Incoming | None = None,
    call_id: str | None = None,
    http_status: int | None = None,
) -> Outcome:
    """A CDC error answer."""
    body = envelope(call_id or new_call_id(), state.now(), error=error)
    return _json_outcome(state, request, body, error.code, error.headers, http_status)


def _record(
    state: ServerState, request: Incoming, method: str, auth_mode: str, code: int, call_id: str, fault: bool = False
) -> None:
    state.log.append(
        RecordedRequest(
            method=method,
            host=request.host,
            path=request.path,
            params=redact_params(request.params),
            headers=redact_headers(request.headers),
            auth_mode=auth_mode,
            error_code=code,
            call_id=call_id,
            http_method=request.http_method,
            connection_id=request.connection_id,
            time=time.time(),
            fault=fault,
        )
    )


def dispatch(state: ServerState, request: Incoming) -> Outcome:
    """Answer one request; never raises."""
    call_id = new_call_id()
    method, auth_mode = "", ""
    try:
        if request.path.split("?", 1)[0].rstrip("/") == OAUTH2_TOKEN_PATH:
            method = "oauth2.token"
            outcome, code = _oauth2_token(state, request, call_id)
            _record(state, request, method, "client_credentials" if code == 0 else "", code, call_id)
            return outcome
        method = method_from_path(request.path)
        found = find_handler(method)
        if found is None:
            raise CDCError(400096, f"Not supported: unknown API method {method}")
        method, handler = found
        auth = authenticate(state, request, method)
        auth_mode = auth.mode
        fault = state.faults.take(method)
        if fault is not None:
            faulty = _apply_fault(state, request, fault, method, call_id)
            if faulty is not None:
                code = -1 if faulty.action == "drop" else (fault.error_code or 0)
                _record(state, request, method, auth_mode, code, call_id, fault=True)
                return faulty
        call = Call(state, method, request.params, auth, call_id, request.cookies)
        payload = handler(call)
        _record(state, request, method, auth_mode, 0, call_id)
        outcome = _json_outcome(state, request, envelope(call_id, state.now(), payload), 0)
        outcome.headers.extend(call.response_headers)
        return outcome
    except CDCError as error:
        _record(state, request, method, auth_mode, error.code, call_id)
        return error_outcome(state, error, request, call_id)
    except Exception:  # a bug in a handler must not kill the server
        logger.exception("unexpected error answering %s", method or request.path)
        _record(state, request, method, auth_mode, 500001, call_id)
        return error_outcome(state, CDCError(500001, "General Server Error"), request, call_id)


def _apply_fault(state: ServerState, request: Incoming, fault: Fault, method: str, call_id: str) -> Outcome | None:
    outcome = _fault_outcome(state, request, fault, method, call_id)
    if outcome is not None and fault.retry_after is not None:
        outcome.headers.append(("Retry-After", fault.retry_after))
    return outcome


def _fault_outcome(state: ServerState, request: Incoming, fault: Fault, method: str, call_id: str) -> Outcome | None:
    if fault.delay:
        time.sleep(fault.delay)
    if fault.drop:
        return Outcome(0, b"", action="drop")
    if fault.malformed is not None:
        return _malformed(fault.malformed, fault.http_status or 200, call_id)
    if fault.error_code is None:
        return None  # delay only: carry on normally
    extra: Dict[str, Any] = {}
    if fault.error_code == 301001:
        domain = fault.api_domain or "us1.gigya.com"
        namespace = method.split(".", 1)[0]
        extra = {"apiDomain": domain, "location": f"https://{namespace}.{domain}/{method}"}
    error = CDCError(fault.error_code, "injected fault", extra=extra)
    return error_outcome(state, error, request, call_id, fault.http_status)


def _malformed(kind: str, status: int, call_id: str) -> Outcome:
    if kind == "html":
        body = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
        return Outcome(status, body, content_type="text/html; charset=utf-8")
    if kind == "empty":
        return Outcome(status, b"")
    if kind == "notjson":
        return Outcome(status, b"this is not JSON {" + call_id.encode("ascii"))
    full = encode_json({"callId": call_id, "errorCode": 0, "statusCode": 200, "statusReason": "OK"})
    return Outcome(status, full, action="truncate")


def _oauth2_token(state: ServerState, request: Incoming, call_id: str) -> Tuple[Outcome, int]:
    params = request.params
    try:
        for name in ("grant_type", "client_id", "client_secret"):
            if not params.get(name):
                raise CDCError(400002, f"Missing required parameter: {name}")
        if params["grant_type"] != "client_credentials":
            raise CDCError(400013, "Unsupported grant type: only client_credentials")
        check_clear_secret(state, request, params["client_id"], params["client_secret"])
    except CDCError as error:
        oauth_error = {400013: "unsupported_grant_type", 400002: "invalid_request"}.get(error.code, "invalid_client")
        body = envelope(call_id, state.now(), error=error)
        body.update({"error": oauth_error, "error_description": error.details})
        status = 401 if oauth_error == "invalid_client" else 400
        return _json_outcome(state, request, body, error.code, None, status), error.code
    ttl = state.settings.token_ttl
    token = state.tokens.issue(params["client_id"], state.now(), ttl)
    body = {"access_token": token, "token_type": "Bearer", "expires_in": int(ttl)}
    return Outcome(200, encode_json(body), [("Cache-Control", "no-store")]), 0
