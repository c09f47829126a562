"""Revocation of signature certificates: CRLs kept until their nextUpdate, checked fail-closed.

A CRL is fetched from the HTTP(S) distribution point a certificate names, the first time it is
needed; it is kept (per process: it is public and signed, and every process fetches its own)
until its nextUpdate, then fetched again. Only a CRL signed by the certificate's trust anchor,
naming it as issuer and current is kept or used. When no current CRL can be had — the
distribution point does not answer, or sends something else — the answer is
`revocation_unknown`, never `valid` (fail closed); the resident is told that whether the
certificate was revoked could not be checked, and may sign again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from cryptography import x509

log = logging.getLogger(__name__)
CLOCK_SKEW = timedelta(minutes=5)

FetchCRL = Callable[[str], bytes]


def crl_urls(certificate: x509.Certificate) -> list[str]:
    """Return the HTTP(S) CRL distribution points the certificate names."""
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return []
    return [
        name.value
        for point in points
        for name in point.full_name or []
        if isinstance(name, x509.UniformResourceIdentifier)
        and name.value.startswith(("https://", "http://"))
    ]


class RevocationLists:
    """CRLs by distribution point, each kept until its nextUpdate."""

    def __init__(self, fetch: FetchCRL):
        self._fetch = fetch
        self._kept: dict[str, x509.CertificateRevocationList] = {}
        self._lock = threading.Lock()
        #: how many times a CRL was downloaded (tests and logs read it)
        self.downloads = 0

    def status(self, certificate: x509.Certificate, anchor: x509.Certificate, now: datetime) -> str:
        """Return `valid`, `certificate_revoked` or `revocation_unknown` (no current CRL)."""
        for url in crl_urls(certificate):
            crl = self.current(url, anchor, now)
            if crl is None:
                continue
            if crl.get_revoked_certificate_by_serial_number(certificate.serial_number) is not None:
                return "certificate_revoked"
            return "valid"
        return "revocation_unknown"

    def current(
        self, url: str, anchor: x509.Certificate, now: datetime
    ) -> x509.CertificateRevocationList | None:
        """Return the current CRL at `url` signed by `anchor`, kept or fetched now; else None."""
        with self._lock:
            kept = self._kept.get(url)
        if kept is not None and _usable(kept, anchor, now):
            return kept
        crl = self._download(url)
        if crl is None:
            return None
        if not _usable(crl, anchor, now):
            log.warning("CRL refused: url=%s (issuer, signature or dates)", url[:200])
            return None
        with self._lock:
            self._kept[url] = crl
        return crl

    def _download(self, url: str) -> x509.CertificateRevocationList | None:
        self.downloads += 1
        try:
            data = self._fetch(url)
        except OSError as error:
            log.warning("CRL unreachable: url=%s (%s)", url[:200], error)
            return None
        try:
            if data.lstrip().startswith(b"-----"):
                return x509.load_pem_x509_crl(data)
            return x509.load_der_x509_crl(data)
        except ValueError:
            log.warning("CRL unreadable: url=%s", url[:200])
            return None


def _usable(crl: x509.CertificateRevocationList, anchor: x509.Certificate, now: datetime) -> bool:
    if crl.issuer != anchor.subject or not crl.is_signature_valid(anchor.public_key()):
        return False
    if crl.next_update_utc is None or crl.next_update_utc <= now:
        return False
    return crl.last_update_utc <= now + CLOCK_SKEW
