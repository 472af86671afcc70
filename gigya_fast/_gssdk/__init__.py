"""Implementation of the ``gigya_fast.GSSDK`` drop-in layer.

The public names live in :mod:`gigya_fast.GSSDK`; this package splits the work:
``exceptions`` (GSException family), ``gsobject`` (GSObject), ``sigutils``
(SigUtils), ``oauth`` (the original's query-string and base-string helpers),
``trace`` (the redacted log), ``response`` (GSResponse), ``target`` (API
domain, proxy and timeout decisions), ``pools`` (the process-wide client
cache), ``sending`` (the pooled call and the ``curl`` step), ``request``
(GSRequest) and ``compat`` (the original's SSLUtils, Utils and HTTPS
connection classes).
"""

from __future__ import annotations

__all__: list[str] = []
