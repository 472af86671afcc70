"""Type stub of the compiled webhook batch kernel: the same API as ``_batch_py``."""

from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple

from .._signing_c import Signer

__all__ = ["verify_webhook_batch"]

def verify_webhook_batch(
    signer: Signer,
    items: List[Any],
    max_body: int,
    window: Optional[Tuple[int, int]],
    threads: int,
    ctx: Tuple[FrozenSet[str], Any],
    finish: Callable[[bytes, Dict[str, Any]], Any],
) -> Optional[List[Any]]: ...
