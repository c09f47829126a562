"""Keys from configuration: a PEM or JWK from the environment, or one derived for development."""

from __future__ import annotations

import hashlib
import json
import warnings
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import ECKey, RSAKey

_P256_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def derived_ec_key(secret: str, label: str) -> ec.EllipticCurvePrivateKey:
    """Derive a stable P-256 key from the app secret (development and the stub only)."""
    material = HKDF(
        algorithm=hashes.SHA256(), length=48, salt=b"portal-identity", info=label.encode()
    ).derive(secret.encode())
    scalar = int.from_bytes(material, "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def to_jwk(key: ec.EllipticCurvePrivateKey, kid: str | None = None) -> ECKey:
    """Wrap a cryptography key as a JWK with `kid`, or its thumbprint as `kid`."""
    jwk = ECKey.import_key(key)
    return ECKey.import_key(key, {"kid": kid or jwk.thumbprint(), "use": "sig", "alg": "ES256"})


def load_private_key(text: str) -> ECKey:
    """Read an ES256 private key given as PEM or as a JWK (JSON), or a path to a file of either."""
    text = text.strip()
    if not text.startswith(("{", "-----BEGIN")):
        with open(text, encoding="utf-8") as file:
            text = file.read().strip()
    if text.startswith("{"):
        data = json.loads(text)
        key = ECKey.import_key(data)
    else:
        key = ECKey.import_key(text.encode())
    if key.get("crv") != "P-256" or not key.is_private:
        raise ValueError("the client key must be a P-256 private key (ES256)")
    if not key.kid:
        key = with_kid(key, key.thumbprint())
    return key


def with_kid(key: ECKey, kid: str) -> ECKey:
    """Return `key` under the key id `kid` (the one registered with the provider)."""
    return ECKey.import_key(key.as_dict(private=key.is_private), {"kid": kid})


#: the key-management algorithm the relying party's encryption key is registered for
ENCRYPTION_ALGORITHM = "RSA-OAEP-256"
_RSA_EXPONENT = 65537
_SMALL_PRIMES = tuple(
    n for n in range(3, 2000, 2) if all(n % d for d in range(3, int(n**0.5) + 1, 2))
)


@lru_cache(maxsize=8)
def derived_rsa_key(secret: str, label: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """Derive a stable RSA key from the app secret (development and the stub only)."""
    stream = _DerivedBytes(secret, label)
    p = _derived_prime(stream, bits // 2)
    q = _derived_prime(stream, bits // 2)
    while q == p:
        q = _derived_prime(stream, bits // 2)
    d = pow(_RSA_EXPONENT, -1, (p - 1) * (q - 1))
    public = rsa.RSAPublicNumbers(_RSA_EXPONENT, p * q)
    return rsa.RSAPrivateNumbers(
        p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q), public
    ).private_key()


class _DerivedBytes:
    """An endless stream of bytes from the app secret: SHAKE-256 of a label and a counter."""

    def __init__(self, secret: str, label: str):
        self._seed = f"portal-identity\0{label}\0{secret}".encode()
        self._counter = 0

    def integer(self, bits: int) -> int:
        self._counter += 1
        block = hashlib.shake_256(self._seed + self._counter.to_bytes(8, "big"))
        return int.from_bytes(block.digest((bits + 7) // 8), "big") >> (-bits % 8)


def _derived_prime(stream: _DerivedBytes, bits: int) -> int:
    # The two top bits set, so the product of two such primes has exactly 2 * bits bits.
    candidate = stream.integer(bits) | (3 << (bits - 2)) | 1
    while not (_is_probable_prime(candidate, stream) and (candidate - 1) % _RSA_EXPONENT):
        candidate += 2
    return candidate


def _is_probable_prime(n: int, stream: _DerivedBytes, rounds: int = 40) -> bool:
    if any(n % prime == 0 for prime in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    odd, twos = n - 1, 0
    while odd % 2 == 0:
        odd, twos = odd // 2, twos + 1
    for _ in range(rounds):  # Miller-Rabin
        x = pow(stream.integer(n.bit_length() - 1) % (n - 3) + 2, odd, n)
        if x in (1, n - 1):
            continue
        for _ in range(twos - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def to_encryption_jwk(key: rsa.RSAPrivateKey | RSAKey, kid: str | None = None) -> RSAKey:
    """Wrap an RSA key as an encryption JWK (`use: enc`) with `kid`, or its thumbprint."""
    jwk = key if isinstance(key, RSAKey) else RSAKey.import_key(key)
    data = jwk.as_dict(private=jwk.is_private)
    kid = kid or data.get("kid") or jwk.thumbprint()
    return RSAKey.import_key(data, {"kid": kid, "use": "enc", "alg": ENCRYPTION_ALGORITHM})


def load_encryption_key(text: str) -> RSAKey:
    """Read an RSA private key (2048 bits or more) given as PEM or a JWK, or a path to either."""
    text = text.strip()
    if not text.startswith(("{", "-----BEGIN")):
        with open(text, encoding="utf-8") as file:
            text = file.read().strip()
    try:
        with warnings.catch_warnings():  # a short key is refused just below, not warned of
            warnings.simplefilter("ignore", SecurityWarning)
            key = RSAKey.import_key(json.loads(text) if text.startswith("{") else text.encode())
    except JoseError:
        raise ValueError("the encryption key must be an RSA private key") from None
    if not key.is_private or key.private_key.key_size < 2048:
        raise ValueError("the encryption key must be an RSA private key of 2048 bits or more")
    return to_encryption_jwk(key)


def subject_hash(issuer: str, subject: str) -> str:
    """Return the hash recorded in place of a provider's subject identifier."""
    return hashlib.sha256(f"{issuer}\0{subject}".encode()).hexdigest()
