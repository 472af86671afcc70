"""Type stub of the compiled argument checks: C-level names only (cimported by the other
compiled modules), nothing for Python."""

from typing import List

__all__: List[str]
