"""The published known-answer vectors of the signing protocol (see docs/protocol.md): the
OAuth1 example request, signed at three URLs, and the percent-encoding example. One copy,
shared by the kernel, GSSDK and LocalCDC tests."""

from __future__ import annotations

__all__ = ["OAUTH_PARAMS", "OAUTH_SECRET", "OAUTH_BASE", "OAUTH_VECTORS", "ENCODING_INPUT", "ENCODING_OUTPUT"]

OAUTH_PARAMS = {
    "oauth_consumer_key": "test-consumer-secret",
    "oauth_token": "test-token-secret",
    "oauth_signature_method": "HMAC-SHA1",
    "oauth_timestamp": "1191242096",
    "oauth_nonce": "kllo9940pd9333jh",
    "oauth_version": "1.0",
    "file": "vacation.jpg",
    "size": "original",
}
OAUTH_SECRET = "dGVzdC1jb25zdW1lci1zZWNyZXQmdGVzdC10b2tlbi1zZWNyZXQ="
OAUTH_BASE = (
    "POST&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Dtest-consumer-secret"
    "%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096"
    "%26oauth_token%3Dtest-token-secret%26oauth_version%3D1.0%26size%3Doriginal"
)
OAUTH_VECTORS = [
    ("http://photos.example.net/photos", "j4/Jwtp11HLWl7KG3QlsczfRRpU="),
    ("http://photos.example.net:8080/photos", "3UvaIxsEBaaWPYrqn4EJ/SRXAkk="),
    ("https://photos.example.net:4433/photos", "cyMEkvkSu/aLDJiuO/gt8BcCVmE="),
]
ENCODING_INPUT = "!*'();:@&=+$,/?%#[] "
ENCODING_OUTPUT = "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%25%23%5B%5D%20"
