"""Type stub of the compiled signing kernels: the same API as ``_signing_py``."""

from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

Timestamp = Union[str, int]
Number = Union[int, float]

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

# test hooks of the C core (not public)
def _sha1_backend() -> str: ...
def _shani_supported() -> bool: ...
def _sha1(data: bytes, backend: str = "active", chunk: int = 0) -> bytes: ...
def _hmac_sha1(key: bytes, data: bytes, backend: str = "active") -> bytes: ...
def _b64_decode_strict(text: str) -> Optional[bytes]: ...
def _b64_encode(data: bytes) -> str: ...
def _effective_threads(n: int, threads: int) -> int: ...

# Webhook batches: not part of __all__ (the signing kernels' API); the twins of
# gigya_fast.webhooks._batch_py.verify_webhook_batch and _notification_py.Notification,
# selected by gigya_fast.webhooks._kernels.

class Notification:
    body: bytes
    headers: Mapping[str, str]
    _ctx: Tuple[FrozenSet[str], Any]
    _data: Optional[Dict[str, Any]]
    _timestamp: Optional[Number]
    _events: Optional[Tuple[Any, ...]]
    _new_events: Optional[Tuple[Any, ...]]
    def __init__(self, body: bytes, headers: Mapping[str, str], ctx: Tuple[FrozenSet[str], Any]) -> None: ...
    @classmethod
    def create(
        cls,
        body: bytes,
        headers: Optional[Mapping[str, str]] = None,
        *,
        verified_by: Iterable[str] = (),
        dedupe: Any = None,
        data: Optional[Dict[str, Any]] = None,
        timestamp: Optional[Number] = None,
    ) -> Notification: ...
    @property
    def verified_by(self) -> FrozenSet[str]: ...
    @property
    def data(self) -> Dict[str, Any]: ...
    @property
    def nonce(self) -> str: ...
    @property
    def timestamp(self) -> Number: ...
    @property
    def events(self) -> Tuple[Any, ...]: ...
    @property
    def new_events(self) -> Tuple[Any, ...]: ...
    @property
    def duplicate_count(self) -> int: ...
    def release(self) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]: ...
    __hash__: None  # type: ignore[assignment]

def verify_webhook_batch(
    signer: Signer,
    items: List[Any],
    max_body: int,
    window: Optional[Tuple[int, int]],
    threads: int,
    ctx: Tuple[FrozenSet[str], Any],
    finish: Callable[[bytes, Dict[str, Any]], Any],
) -> Optional[List[Any]]: ...
