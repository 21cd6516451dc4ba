"""Fetching a URL safely: http(s) only, timeouts, a size cap, few redirects, no private addresses.

The address check happens where the socket is opened, after DNS resolution, for the first request
and for every redirect hop, so a name that resolves (or re-resolves) to an internal address is
refused. ``allow_private=True`` (CLI ``--allow-private``) lifts that for intranet use.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import __version__
from .errors import BadInput

USER_AGENT = f"communique/{__version__} (news analysis; corpus ingest)"
MAX_REDIRECTS = 5
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_FETCH_BYTES = 10 * 1024 * 1024
# Cloud metadata services that are not covered by the private/link-local ranges.
_METADATA_ADDRESSES = {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}


@dataclass(frozen=True)
class FetchOptions:
    allow_private: bool = False
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_bytes: int = DEFAULT_MAX_FETCH_BYTES
    max_redirects: int = MAX_REDIRECTS
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


class RefusedAddress(httpcore.ConnectError):
    """The host resolved to an address we do not connect to."""


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def refused_reason(address: str) -> str | None:
    """Why an IP address is off limits by default, or None when it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in _METADATA_ADDRESSES:
        return "a cloud metadata address"
    for attribute, label in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_private", "a private address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, attribute):
            return label
    if not ip.is_global:
        return "a non-public address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host!r} ({exc.strerror})") from None
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves the host itself, vets every address, then connects to a vetted IP.

    TLS still verifies against the host name: httpcore passes it separately as the server name.
    """

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        if not self.allow_private:
            for address in addresses:
                reason = refused_reason(address)
                if reason:
                    raise RefusedAddress(
                        f"refused: {host} resolves to {address}, {reason} (use --allow-private to permit)"
                    )
        last_error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last_error = exc
        raise httpcore.ConnectError(f"cannot connect to {host}:{port} ({last_error})")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise RefusedAddress("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport(allow_private: bool) -> httpx.HTTPTransport:
    """httpx's own transport (keeping its error mapping) over a pool that uses the guarded backend."""
    import ssl

    transport = httpx.HTTPTransport()
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl.create_default_context(), network_backend=GuardedBackend(allow_private)
    )
    return transport


def _check_scheme(source: str, url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise BadInput(source, f"refused: only http(s) URLs are fetched, not {scheme or 'a relative URL'!r}")


class Fetcher:
    """One client for a run: connections are reused, limits apply to every request."""

    def __init__(self, options: FetchOptions | None = None) -> None:
        self.options = options or FetchOptions()
        timeout = httpx.Timeout(
            connect=self.options.connect_timeout,
            read=self.options.read_timeout,
            write=self.options.read_timeout,
            pool=self.options.connect_timeout,
        )
        self.client = httpx.Client(
            transport=guarded_transport(self.options.allow_private),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.options.user_agent, "Accept": "text/html, application/xml;q=0.9, */*;q=0.5"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str) -> Fetched:
        """The body of ``url``; raises BadInput with a one-line reason on any failure."""
        source = url
        _check_scheme(source, url)
        for _ in range(self.options.max_redirects + 1):
            try:
                with self.client.stream("GET", url) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise BadInput(source, f"HTTP {response.status_code} redirect without a Location")
                        url = urljoin(url, location)
                        _check_scheme(source, url)
                        continue
                    if response.status_code >= 400:
                        raise BadInput(source, f"HTTP {response.status_code} {response.reason_phrase}".strip())
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.options.max_bytes:
                        raise BadInput(source, f"too large ({int(declared):,} bytes; limit {self.options.max_bytes:,})")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > self.options.max_bytes:
                            raise BadInput(source, f"too large (over {self.options.max_bytes:,} bytes)")
                    return Fetched(str(response.url), bytes(body), response.headers.get("content-type", ""))
            except httpx.TimeoutException as exc:
                raise BadInput(source, f"timed out ({type(exc).__name__})") from None
            except httpx.HTTPError as exc:
                message = str(exc) or type(exc).__name__
                reason = message if message.startswith("refused") else f"fetch failed: {message}"
                raise BadInput(source, reason) from None
        raise BadInput(source, f"too many redirects (more than {self.options.max_redirects})")
