"""Type stub of the compiled signing kernels: the same API as ``_signing_py``."""

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._checks_py import Number, Timestamp

__all__ = [
    "IMPLEMENTATION",
    "Signer",
    "percent_encode",
    "serialize_value",
    "build_query_string",
    "build_base_string",
    "normalize_url",
    "calc_signature",
    "validate_user_signature",
    "validate_friend_signature",
    "validate_user_signatures",
    "get_dynamic_session_signature",
    "get_dynamic_session_signature_user_signed",
    "kernel_info",
]

IMPLEMENTATION: str
MAX_TIMESTAMP_DIGITS: int

class Signer:
    def __init__(self, secret: str) -> None: ...
    def __setattr__(self, name: str, value: Any) -> None: ...
    def __delattr__(self, name: str) -> None: ...
    def __reduce__(self) -> Any: ...
    def sign(self, base_string: str) -> str: ...
    def sign_bytes(self, message: bytes) -> str: ...
    def sign_request(self, http_method: str, url: str, params: Mapping[str, object]) -> Tuple[str, str]: ...
    def validate_user(
        self,
        uid: str,
        timestamp: Timestamp,
        signature: Optional[str],
        expiration: Optional[Number] = 300,
        *,
        now: Optional[Number] = None,
    ) -> bool: ...
    def validate_friend(
        self,
        uid: str,
        timestamp: Timestamp,
        friend_uid: str,
        signature: Optional[str],
        expiration: Optional[Number] = 300,
        *,
        now: Optional[Number] = None,
    ) -> bool: ...
    def validate_users(
        self,
        uids: Sequence[str],
        timestamps: Sequence[Timestamp],
        signatures: Sequence[Optional[str]],
        *,
        expiration: Optional[Number] = 300,
        now: Optional[Number] = None,
        threads: int = 1,
    ) -> List[bool]: ...
    def verify_hmacs(
        self,
        messages: Sequence[bytes],
        signatures: Sequence[Optional[str]],
        *,
        threads: int = 1,
    ) -> List[bool]: ...

def percent_encode(value: str) -> str: ...
def serialize_value(value: object) -> Optional[str]: ...
def build_query_string(params: Mapping[str, object]) -> str: ...
def normalize_url(url: str) -> str: ...
def build_base_string(http_method: str, url: str, params: Mapping[str, object]) -> str: ...
def calc_signature(base_string: str, secret: str) -> str: ...
def validate_user_signature(
    uid: str,
    timestamp: Timestamp,
    secret: str,
    signature: Optional[str],
    expiration: Optional[Number] = 300,
    *,
    now: Optional[Number] = None,
) -> bool: ...
def validate_friend_signature(
    uid: str,
    timestamp: Timestamp,
    friend_uid: str,
    secret: str,
    signature: Optional[str],
    expiration: Optional[Number] = 300,
    *,
    now: Optional[Number] = None,
) -> bool: ...
def validate_user_signatures(
    uids: Sequence[str],
    timestamps: Sequence[Timestamp],
    signatures: Sequence[Optional[str]],
    secret: str,
    *,
    expiration: Optional[Number] = 300,
    now: Optional[Number] = None,
    threads: int = 1,
) -> List[bool]: ...
def get_dynamic_session_signature(
    glt_cookie: str, timeout_seconds: int, secret: str, *, now: Optional[Number] = None
) -> str: ...
def get_dynamic_session_signature_user_signed(
    glt_cookie: str, timeout_seconds: int, user_key: str, secret: str, *, now: Optional[Number] = None
) -> str: ...
def kernel_info() -> Dict[str, str]: ...
