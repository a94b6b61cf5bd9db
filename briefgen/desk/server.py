"""Serving the desk: a socket bound before anything is printed (so the address is right even for port 0),
uvicorn on it, and a clean stop on Ctrl+C or SIGTERM."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import SetupError
from .app import DeskConfig, create_app

log = logging.getLogger(__name__)

LOCAL = "127.0.0.1"


@dataclass
class Serving:
    sock: socket.socket
    config: DeskConfig
    url: str                 # the address to open, token included

    @property
    def remote(self) -> bool:
        return self.config.hosts is None


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def prepare(record: Path, settings: Settings, *, lang: str | None = None, host: str = LOCAL, port: int = 0,
            allow_remote: bool = False) -> Serving:
    """Load the record (its errors stop here), bind the socket, make the run's token."""
    if not is_loopback(host) and not allow_remote:
        raise SetupError(f"--host {host}: the desk listens on {LOCAL} only unless --allow-remote is given "
                         "(anyone who can reach that address and learns the token can change translations)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)     # before the address is printed: a browser opened at once finds it answering
    except OSError as exc:
        sock.close()
        raise SetupError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port") from exc
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    hosts = None if allow_remote else frozenset({f"{shown}:{bound}", f"localhost:{bound}"})
    config = DeskConfig(record, settings, secrets.token_urlsafe(24), hosts, lang)
    try:
        create_app(config)      # the record and glossary are read now: a broken one fails before listening
    except BaseException:
        sock.close()
        raise
    return Serving(sock, config, f"http://{shown}:{bound}/{lang or ''}?token={config.token}")


def serve(serving: Serving) -> None:
    """Answer requests until Ctrl+C or SIGTERM; uvicorn finishes the requests under way, then returns."""
    import uvicorn

    app = create_app(serving.config)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False,
                                           timeout_graceful_shutdown=5))
    try:
        with contextlib.suppress(KeyboardInterrupt):    # uvicorn raises the signal again once it has stopped
            server.run(sockets=[serving.sock])
    finally:
        serving.sock.close()
    log.info("desk stopped")
