"""``accord org serve`` and ``accord login`` say what is wrong in a user's words."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_login_to_a_dead_port_says_nothing_is_there(tmp_path: Path) -> None:
    url = f"ws://127.0.0.1:{_free_port()}"
    done = subprocess.run(
        [sys.executable, "-m", "accord", "login", url, "--token", "t"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"ACCORD_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1
    assert done.stderr == f"accord: cannot reach {url}: Connection refused\n"


def test_serving_an_empty_store_warns_and_metrics_start_at_zero(tmp_path: Path) -> None:
    port = _free_port()
    store = f"sqlite:///{tmp_path / 'org.db'}"
    with subprocess.Popen(
        [sys.executable, "-m", "accord", "org", "serve", "--store", store, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            _read_the_warning_and_metrics(server, port)
        finally:
            server.terminate()


def _read_the_warning_and_metrics(server: subprocess.Popen[str], port: int) -> None:
    assert server.stdout is not None and server.stderr is not None
    assert server.stdout.readline().startswith("accord org: listening on ws://")
    warning = server.stderr.readline()
    assert "the store has no organisation yet" in warning and "accord org init" in warning
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as answer:
                text = answer.read().decode()
            break
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    assert 'accord_connections{state="open"} 0.0' in text
    assert 'accord_connections{state="authenticated"} 0.0' in text
