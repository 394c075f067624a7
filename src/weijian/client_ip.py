"""Which address a request came from, behind reverse proxies or not (layer 1: no Django).

REMOTE_ADDR is the peer that opened the connection. Behind a reverse proxy (nginx, a load
balancer) that peer is the proxy, and the client's address is in X-Forwarded-For, which each
proxy extends with the address it received the request from. Anyone can send that header, so
it is believed only when REMOTE_ADDR is one of the configured trusted proxies, and then read
from the right: the right-most address that is not itself a trusted proxy is the client as
our own proxies saw it; anything left of it was written by the client and is ignored.

    trusted = trusted_networks("10.0.0.0/8, 127.0.0.1")
    client_address("10.0.0.5", "203.0.113.7, 10.0.0.9", trusted)   # "203.0.113.7"
    client_address("198.51.100.2", "1.2.3.4", trusted)              # "198.51.100.2"
    request_address(request.META, trusted)                          # the same, from a request
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class ProxyConfigError(ValueError):
    """A trusted-proxy entry that is not an address or network; the message names it."""


@lru_cache(maxsize=8)
def trusted_networks(text: str) -> tuple[Network, ...]:
    """'10.0.0.0/8, 127.0.0.1 ::1' → networks (commas or spaces between entries)."""
    networks = []
    for entry in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ProxyConfigError(
                f"WEIJIAN_TRUSTED_PROXIES 中的“{entry}”不是 IP 地址或网段（如 10.0.0.0/8）"
            ) from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An address as proxies write it: '203.0.113.7', '203.0.113.7:5678', '[2001:db8::1]:80'."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address | None, trusted: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str, trusted: Iterable[Network]) -> str:
    """The client's address: REMOTE_ADDR, unless it is a trusted proxy (see the module)."""
    if not _trusted(_address(remote_addr), trusted):
        return remote_addr
    hops = [h for h in (forwarded_for or "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage where our proxies would have written an address: not believed
        if not _trusted(address, trusted):
            return str(address)
    else:
        if hops and (first := _address(hops[0])) is not None:
            return str(first)  # every hop is a trusted proxy: the left-most sent it
    return remote_addr


def request_address(meta: Mapping[str, str], trusted: Iterable[Network]) -> str:
    """client_address() of a request's META (REMOTE_ADDR, X-Forwarded-For): the one reading
    shared by the login lockouts and the survey per-address limit."""
    return client_address(
        meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), trusted
    )
