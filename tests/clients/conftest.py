"""Starts `esql serve` over examples/data on a free loopback port for the client tests."""
import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="session")
def url():
    binary = os.path.join(ROOT, "target", "release", "esql")
    args = [binary, "serve", "--data", "examples/data", "--listen", "127.0.0.1:0", "--now", "2025-07-30T12:00:00Z", "--quiet"]
    proc = subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    assert match, line
    yield f"http://127.0.0.1:{match.group(1)}"
    proc.kill()
    proc.wait()
