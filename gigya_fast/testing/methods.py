"""The CDC API methods the local server implements.

Each handler takes a :class:`Call` and returns the method's response fields
(the envelope is added by the dispatcher) or raises ``CDCError``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Tuple

from .._signing import Signer
from ..errors import MissingDependencyError
from . import accounts_login, registration, tfa
from .call import Call, account_or_404, account_view, user_signature
from .envelope import CDCError
from .query import QueryError, parse_query, project

__all__ = ["Call", "HANDLERS", "find_handler", "user_signature"]


_DEFAULT_PAGE = 300
_MAX_CURSOR_PAGE = 1000
_MAX_LIMIT = 10000
_USER_INFO_FIELDS = (
    "nickname",
    "firstName",
    "lastName",
    "email",
    "age",
    "gender",
    "country",
    "city",
    "photoURL",
    "thumbnailURL",
    "birthDay",
    "birthMonth",
    "birthYear",
)


def get_account_info(call: Call) -> Dict[str, Any]:
    """accounts.getAccountInfo: the account (``include`` filters top-level fields) and a UIDSignature."""
    uid = call.subject("UID")
    account = account_view(account_or_404(call, uid), call.params.get("include") or None)
    account.update(user_signature(call, uid))
    return account


def set_account_info(call: Call) -> Dict[str, Any]:
    """accounts.setAccountInfo: deep-merge ``profile``/``data`` (null deletes) into an existing account;
    ``newPassword`` changes the password (with a login_token, ``password`` must be the current one)."""
    uid = call.subject("UID")
    profile, data = call.json_object("profile"), call.json_object("data")
    fields: Dict[str, Any] = {k: call.flag(k) for k in ("isActive", "isVerified") if k in call.params}
    if fields and call.auth.uid is not None:
        raise CDCError(403007, "Permission denied: isActive and isVerified need server credentials")
    if call.params.get("newPassword"):
        accounts_login.change_password(call, uid, call.params["newPassword"])
    try:
        call.state.store.update(uid, profile, data, fields)
    except KeyError:
        raise CDCError(403047, "Not found: no account with this UID") from None
    call.state.emit("accountUpdated", uid, call.call_id)
    return {}


def import_full_account(call: Call) -> Dict[str, Any]:
    """accounts.importFullAccount: create an account (``UID``/``uid`` optional) with profile and data."""
    uid = call.params.get("UID") or call.params.get("uid") or None
    try:
        account = call.state.store.create(call.json_object("profile"), call.json_object("data"), uid)
    except KeyError:
        raise CDCError(400003, "Unique identifier exists: an account with this UID exists") from None
    call.state.emit("accountCreated", account["UID"], call.call_id)
    return {"UID": account["UID"]}


def delete_account(call: Call) -> Dict[str, Any]:
    """accounts.deleteAccount."""
    uid = call.require("UID")
    if not call.state.delete_account(uid):
        raise CDCError(403047, "Not found: no account with this UID")
    call.state.emit("accountDeleted", uid, call.call_id)
    return {}


def search(call: Call) -> Dict[str, Any]:
    """accounts.search: ``query`` (optionally ``openCursor=true``) or ``cursorId``."""
    cursors = call.state.cursors
    cursor_id = call.params.get("cursorId")
    if cursor_id:
        page = cursors.fetch(cursor_id)
        if page is None:
            raise CDCError(400006, "Invalid parameter value: cursorId is unknown or expired")
        return _page_fields(page.results, page.total, page.next_cursor_id)
    text = call.require("query")
    try:
        query = parse_query(text)
    except QueryError as exc:
        raise CDCError(400006, f"Invalid parameter value: query: {exc}") from None
    if query.table.lower() != "accounts":
        raise CDCError(400006, f"Invalid parameter value: query: unknown table {query.table!r}")
    rows = query.run(call.state.store.snapshot())
    if query.count:
        return {"results": [{"count(*)": len(rows)}], "objectsCount": 1, "totalCount": len(rows)}
    rows = [project(row, query.fields) for row in rows]
    if call.flag("openCursor"):
        if query.start is not None:
            raise CDCError(400006, "Invalid parameter value: START cannot be used with openCursor")
        size = query.limit if query.limit is not None else _DEFAULT_PAGE
        if not 1 <= size <= _MAX_CURSOR_PAGE:
            raise CDCError(400006, f"Invalid parameter value: LIMIT must be 1..{_MAX_CURSOR_PAGE} with cursors")
        page = cursors.open(rows, size)
        return _page_fields(page.results, page.total, page.next_cursor_id)
    start = query.start or 0
    limit = query.limit if query.limit is not None else _DEFAULT_PAGE
    if limit > _MAX_LIMIT:
        raise CDCError(400006, f"Invalid parameter value: LIMIT must be at most {_MAX_LIMIT}")
    return _page_fields(rows[start : start + limit], len(rows), None)


def _page_fields(results: Any, total: int, next_cursor_id: str | None) -> Dict[str, Any]:
    fields: Dict[str, Any] = {"results": results, "objectsCount": len(results), "totalCount": total}
    if next_cursor_id is not None:
        fields["nextCursorId"] = next_cursor_id
    return fields


def get_user_info(call: Call) -> Dict[str, Any]:
    """socialize.getUserInfo: UID, signature and the basic profile fields."""
    uid = call.require("UID")
    account = account_or_404(call, uid)
    profile = account.get("profile", {})
    fields: Dict[str, Any] = {
        "UID": uid,
        "isSiteUID": True,
        "isSiteUser": True,
        "isConnected": True,
        "loginProvider": "site",
        "providers": "site",
        "capabilities": "None",
    }
    fields.update({k: profile[k] for k in _USER_INFO_FIELDS if k in profile})
    fields.update(user_signature(call, uid))
    return fields


def exchange_uid_signature(call: Call) -> Dict[str, Any]:
    """accounts.exchangeUIDSignature: check a partner-secret UIDSignature, re-sign with the caller's key."""
    uid = call.require("UID")
    signature = call.require("UIDSignature")
    timestamp = call.require("signatureTimestamp")
    partner = Signer(call.state.keys.partner_secret)
    window = call.state.settings.exchange_window
    if not partner.validate_user(uid, timestamp, signature, None):
        raise CDCError(403003, "Invalid request signature: UIDSignature does not match")
    if not partner.validate_user(uid, timestamp, signature, window, now=call.state.now()):
        raise CDCError(400006, f"Invalid parameter value: signatureTimestamp is older than {int(window)}s")
    return {"UID": uid, **user_signature(call, uid)}


def get_jwt(call: Call) -> Dict[str, Any]:
    """accounts.getJWT: an RS256 id_token for ``targetUID`` (``fields`` adds profile fields)."""
    uid = call.subject("targetUID")
    account = account_or_404(call, uid)
    expiration = call.integer("expiration", 300, 1, 86400)
    extra: Dict[str, Any] = {}
    for name in (call.params.get("fields") or "").split(","):
        name = name.strip()
        if name:
            value: Any = account
            for part in name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                extra[name.split(".")[-1]] = value
    try:
        token = call.state.jwt.id_token(uid, call.state.now(), expiration, extra)
    except MissingDependencyError as exc:
        raise CDCError(500001, f"JWT support needs cryptography: {exc}") from None
    return {"id_token": token}


def get_jwt_public_key(call: Call) -> Dict[str, Any]:
    """accounts.getJWTPublicKey: ``V2=true`` gives a JWKS, otherwise the current key's fields."""
    try:
        return call.state.jwt.jwks() if call.flag("V2") else call.state.jwt.legacy_public_key()
    except MissingDependencyError as exc:
        raise CDCError(500001, f"JWT support needs cryptography: {exc}") from None


HANDLERS: Dict[str, Callable[[Call], Mapping[str, Any]]] = {
    "accounts.getAccountInfo": get_account_info,
    "accounts.setAccountInfo": set_account_info,
    "accounts.importFullAccount": import_full_account,
    "accounts.deleteAccount": delete_account,
    "accounts.search": search,
    "accounts.exchangeUIDSignature": exchange_uid_signature,
    "accounts.getJWT": get_jwt,
    "accounts.getJWTPublicKey": get_jwt_public_key,
    "socialize.getUserInfo": get_user_info,
    **accounts_login.HANDLERS,
    **registration.HANDLERS,
    **tfa.HANDLERS,
}
_BY_LOWER = {name.lower(): (name, handler) for name, handler in HANDLERS.items()}


def find_handler(method: str) -> Tuple[str, Callable[[Call], Mapping[str, Any]]] | None:
    """The canonical name and handler of *method* (case-insensitive), or ``None``."""
    return _BY_LOWER.get(method.lower())
