"""The JWT tests need the ``jwt`` extra."""

from __future__ import annotations

import pytest

pytest.importorskip("cryptography", reason="the jwt extra (cryptography) is not installed")
