"""Implementation of the ``gigya_fast.GSSDK`` drop-in layer.

The public names live in :mod:`gigya_fast.GSSDK`; this package splits the work:
``exceptions`` (GSException family), ``gsobject`` (GSObject), ``sigutils``
(SigUtils), ``oauth`` (the original's base-string and query-string helpers),
``response`` (GSResponse), ``pools`` (the process-wide client cache) and
``request`` (GSRequest).
"""

from __future__ import annotations

__all__: list[str] = []
