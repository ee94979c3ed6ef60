"""Starts `esql serve` over examples/data on a free loopback port for the client tests."""
import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def serve(*extra):
    binary = os.path.join(ROOT, "target", "release", "esql")
    args = [binary, "serve", "--data", "examples/data", "--listen", "127.0.0.1:0", "--now", "2025-07-30T12:00:00Z", "--quiet", *extra]
    proc = subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    assert match, line
    return proc, f"http://127.0.0.1:{match.group(1)}"


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
