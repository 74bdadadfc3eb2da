"""pyHanko's in-memory signer, keeping the key loaded: ``SimpleSigner`` loads (and checks)
the private key again for every signature, some 70 ms for RSA-2048 (measured).

Imported by ``signing`` only when a command signs, so that other commands and the render
workers never import pyHanko.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from asn1crypto import keys, x509
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider
from pyhanko.sign.general import (
    as_signing_certificate_v2,
    get_pyca_cryptography_hash,
    simple_cms_attribute,
)
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore


class KeptAttribute(CMSAttributeProvider):
    """A signed attribute that is the same in every signature, built once."""

    def __init__(self, attribute: Any) -> None:
        self.attribute_type = str(attribute["type"].native)
        self.attribute = attribute

    async def get_attribute(self, dry_run: bool = False) -> Any:
        return self.attribute

def asn1_cert(c: Any) -> Any:
    return x509.Certificate.load(c.public_bytes(ser.Encoding.DER))

class KeptKeySigner(SimpleSigner):
    key: Any = None  # the private key, loaded (cryptography)
    cert_attribute: Any = None  # the signing-certificate-v2 attribute, once built

    @classmethod
    def of(cls, key: Any, cert: Any, others: list[Any]) -> KeptKeySigner:
        der = key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8,
                                ser.NoEncryption())
        signer = cls(signing_cert=asn1_cert(cert), signing_key=keys.PrivateKeyInfo.load(der),
                     cert_registry=SimpleCertificateStore.from_certs(
                         [asn1_cert(c) for c in others]))
        signer.key = key
        return signer

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        # the signing-certificate-v2 attribute names this signer's certificate: the same
        # every time, and pyHanko's building of it is some 5 ms (measured)
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if isinstance(provider, SigningCertificateV2Provider):
                if self.cert_attribute is None:
                    value = as_signing_certificate_v2(provider.signing_cert)
                    self.cert_attribute = KeptAttribute(
                        simple_cms_attribute("signing_certificate_v2", value))
                provider = self.cert_attribute
            yield provider

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if algorithm == "rsassa_pkcs1v15" and isinstance(self.key, RSAPrivateKey):
            return bytes(self.key.sign(data, PKCS1v15(), digest))
        if algorithm == "ecdsa" and isinstance(self.key, EllipticCurvePrivateKey):
            return bytes(self.key.sign(data, ECDSA(digest)))
        return bytes(super().sign_raw(data, digest_algorithm))  # PSS, EdDSA…: pyHanko's way
