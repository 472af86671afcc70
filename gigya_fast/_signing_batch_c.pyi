"""Type stub of the compiled batch kernels: C-level names only (cimported by
``_signing_c``, whose ``Signer.validate_users`` and ``verify_hmacs`` run them)."""

from typing import List

__all__: List[str]
