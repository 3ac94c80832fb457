"""TLS: ``accord org serve --tls-cert --tls-key`` serves wss:// only; ``accord login`` verifies
the certificate (against ``--ca`` when given) and the language server's link does the same with
the CA its login names. The CA and the server's certificate are made here, with
``cryptography``."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from accord.org.client import OrgClient, OrgError
from accord.protocol.org import Authenticate

from ..org.editors import Editor, link_status, start_editor, until
from ..org.server import OrgServer
from .signed_editors import launch, run_accord


@dataclass(frozen=True)
class Pki:
    ca: Path
    cert: Path
    key: Path


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def make_pki(folder: Path, common: str = "Accord test CA") -> Pki:
    """A CA and a certificate it signs for 127.0.0.1 and localhost."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("org.accord.test"))
        .issuer_name(ca.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    pki.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    pki.cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    _write_key(server_key, pki.key)
    return pki


@pytest.fixture
async def tls_org(tmp_path: Path) -> AsyncIterator[tuple[OrgServer, Pki]]:
    pki = make_pki(tmp_path / "pki")
    server = OrgServer(
        tmp_path / "org.db",
        extra_args=("--tls-cert", str(pki.cert), "--tls-key", str(pki.key), "--auth-timeout", "2"),
    )
    await server.seed()
    await server.start()
    try:
        yield server, pki
    finally:
        await server.stop()


async def test_login_verifies_the_certificate_and_the_language_server_follows(
    tls_org: tuple[OrgServer, Pki], tmp_path: Path
) -> None:
    org, pki = tls_org
    assert org.url.startswith("wss://127.0.0.1:")
    home = tmp_path / "home"
    token = await org.recorded_login_token("dev@acme.test")

    status, said = await run_accord("login", org.url, "--token", token, home=home)
    assert status != 0 and "certificate is not trusted" in said, said
    assert not (home / "credentials.json").exists()

    stranger = make_pki(tmp_path / "stranger", "Someone else's CA")
    status, said = await run_accord(
        "login", org.url, "--token", token, "--ca", str(stranger.ca), home=home
    )
    assert status != 0 and "not trusted" in said, said

    status, said = await run_accord(
        "login", org.url, "--token", token, "--ca", str(pki.ca), home=home
    )
    assert status == 0 and "as dev@acme.test" in said, said
    entry = json.loads((home / "credentials.json").read_text())[org.url]
    assert entry["ca"] == str(pki.ca)

    editor = await start_editor(org, "dev@acme.test", home, tmp_path / "dev" / "shop")
    try:
        status_now = await link_status(editor)
        assert status_now["online"] and status_now["user"] == "dev@acme.test"
    finally:
        await editor.client.shutdown_session()


async def test_the_language_server_refuses_a_server_its_ca_did_not_sign(
    tls_org: tuple[OrgServer, Pki], tmp_path: Path
) -> None:
    org, pki = tls_org
    home = tmp_path / "home"
    token = await org.recorded_login_token("dev@acme.test")
    status, said = await run_accord(
        "login", org.url, "--token", token, "--ca", str(pki.ca), home=home
    )
    assert status == 0, said
    # The login now names another CA (as if the server had been swapped for an impostor's).
    stranger = make_pki(tmp_path / "stranger", "Someone else's CA")
    credentials = home / "credentials.json"
    data = json.loads(credentials.read_text())
    data[org.url]["ca"] = str(stranger.ca)
    credentials.write_text(json.dumps(data))
    editor = await launch(home, tmp_path / "dev" / "shop", org.url)
    try:
        await until(lambda: _untrusted(editor), what="the warning about the certificate")
        assert not (await link_status(editor))["online"]
    finally:
        await editor.client.shutdown_session()


def _untrusted(editor: Editor) -> bool:
    return any("certificate is not trusted" in m.message for m in editor.client.messages)


async def test_plain_ws_is_refused_when_the_server_requires_tls(
    tls_org: tuple[OrgServer, Pki], tmp_path: Path
) -> None:
    org, _ = tls_org
    plain = org.url.replace("wss://", "ws://")
    client = OrgClient(plain, timeout=5)
    with pytest.raises(OrgError, match="cannot reach"):
        await client.connect()
        await client.call("authenticate", Authenticate(token=org.access_token("dev@acme.test")))
    token = await org.recorded_login_token("dev@acme.test")
    status, said = await run_accord("login", plain, "--token", token, home=tmp_path / "home")
    assert status != 0 and "cannot reach" in said, said
    assert org.process is not None and org.process.returncode is None  # the server lives on
