"""Starts `esql serve` over examples/data on a free loopback port for the client tests."""
import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def serve(*extra, data="examples/data"):
    binary = os.path.join(ROOT, "target", "release", "esql")
    args = [binary, "serve", "--data", data, "--listen", "127.0.0.1:0", "--now", "2025-07-30T12:00:00Z", "--quiet", *extra]
    proc = subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    match = re.search(r"(https?)://127\.0\.0\.1:(\d+)", line)
    assert match, line
    return proc, f"{match.group(1)}://localhost:{match.group(2)}"


@pytest.fixture(scope="session")
def url():
    proc, address = serve()
    yield address
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def secured_url():
    """A server that requires the API key id:secret."""
    proc, address = serve("--api-key", "id:secret")
    yield address
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def empty_url(tmp_path_factory):
    """A server over an empty data directory, for ingest."""
    proc, address = serve(data=str(tmp_path_factory.mktemp("bulk")))
    yield address
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def tls(tmp_path_factory):
    """An HTTPS server with a certificate made here (openssl), and the certificate's file."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, capture_output=True)
    proc, address = serve("--tls-cert", cert, "--tls-key", key)
    yield address, cert
    proc.kill()
    proc.wait()
