"""Drop-in replacement for SAP's ``GSSDK.py``: change one import and keep your code.

.. code-block:: python

    # before: from GSSDK import *
    from gigya_fast.GSSDK import *

    request = GSRequest(apiKey, secretKey, "accounts.getAccountInfo", {"UID": uid})
    response = request.send()
    if response.getErrorCode() == 0:
        print(response.getObject("profile"))

``from gigya_fast.GSSDK import *`` binds exactly the names the original's star
import bound (it had no ``__all__``, so its module-level imports came along:
``time``, ``os``, ``loads``, ``jsonstringify``, ``urlopen``...), with the same
classes and methods (``GSRequest``, ``GSResponse``, ``GSException``,
``SigUtils``, ``SSLUtils``, ``Utils``, ``ValidHTTPSConnection``,
``ValidHTTPSHandler``), built on gigya_fast's signing kernels and pooled,
thread-safe client. ``GSObject``, ``GSKeyNotFoundException``,
``DEFAULT_API_DOMAIN`` and ``DEFAULT_SIGNATURE_EXPIRATION`` are gigya_fast
additions: import them by name. What differs, and why, is listed in
``docs/migrating.md``: HTTPS by default, signature expiry checked by default
(300 s), connection reuse, ``true``/``false`` for booleans, constant-time
signature checks, TLS checks always on, no credentials in ``getLog()``.
"""

import __future__

import calendar
import copy
import hmac
import os
import socket
import ssl
import sys
import time
import urllib.request
from base64 import b64decode, b64encode
from hashlib import sha1
from http.client import HTTPS_PORT, HTTPSConnection
from json import dumps as jsonstringify
from json import loads
from random import randrange
from re import search
from urllib.parse import quote_plus, urlparse
from urllib.request import HTTPHandler, HTTPSHandler, ProxyHandler, build_opener, install_opener, urlopen

from ._gssdk.compat import SSLUtils, Utils, ValidHTTPSConnection, ValidHTTPSHandler
from ._gssdk.exceptions import GSException
from ._gssdk.exceptions import GSKeyNotFoundException as GSKeyNotFoundException
from ._gssdk.gsobject import GSObject as GSObject
from ._gssdk.request import DEFAULT_API_DOMAIN as DEFAULT_API_DOMAIN
from ._gssdk.request import GSRequest
from ._gssdk.response import GSResponse
from ._gssdk.sigutils import DEFAULT_SIGNATURE_EXPIRATION as DEFAULT_SIGNATURE_EXPIRATION
from ._gssdk.sigutils import SigUtils

# Module-level names of the original (its star import exported them).
unicode_literals = __future__.unicode_literals
MAJOR_VERSION_INDEX = 0
MINOR_VERSION_INDEX = 1
PY_3 = True
PY_3_9_OR_GREATER = sys.version_info >= (3, 9)
string_types = str
integer_types = int

# Exactly the original's star-import names; the gigya_fast additions are imported by name.
__all__ = [
    "GSException",
    "GSRequest",
    "GSResponse",
    "HTTPHandler",
    "HTTPSConnection",
    "HTTPSHandler",
    "HTTPS_PORT",
    "MAJOR_VERSION_INDEX",
    "MINOR_VERSION_INDEX",
    "PY_3",
    "PY_3_9_OR_GREATER",
    "ProxyHandler",
    "SSLUtils",
    "SigUtils",
    "Utils",
    "ValidHTTPSConnection",
    "ValidHTTPSHandler",
    "b64decode",
    "b64encode",
    "build_opener",
    "calendar",
    "copy",
    "hmac",
    "install_opener",
    "integer_types",
    "jsonstringify",
    "loads",
    "os",
    "quote_plus",
    "randrange",
    "search",
    "sha1",
    "socket",
    "ssl",
    "string_types",
    "sys",
    "time",
    "unicode_literals",
    "urllib",
    "urlopen",
    "urlparse",
]
