"""The address classifier on literals: nothing here connects anywhere."""

from __future__ import annotations

import ipaddress

import pytest

from ingest.addresses import AddressRefused, origin_of, resolve, trusted_origins, why_not_public


@pytest.mark.parametrize("literal, reason", [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("64:ff9b::7f00:1", "loopback"),  # NAT64 (DNS64 networks) wrapping 127.0.0.1
    ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 wrapping the cloud metadata address
    ("64:ff9b:1::a00:1", "private"),  # NAT64 local use
    ("169.254.169.254", "link-local"),  # the cloud metadata address
    ("fe80::1", "link-local"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("::ffff:10.0.0.1", "private"),
    ("fd00::1", "private"),
    ("100.64.0.1", "not a public"),  # carrier-grade NAT
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
])
def test_internal_addresses_are_refused_with_their_kind(literal, reason):
    assert reason in why_not_public(ipaddress.ip_address(literal))


@pytest.mark.parametrize("literal", ["8.8.8.8", "203.113.131.1", "2001:4860:4860::8888",
                                     "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_pass(literal):
    assert why_not_public(ipaddress.ip_address(literal)) is None


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "file:// is not an http(s) address"),
    ("gopher://127.0.0.1:70/", "gopher:// is not an http(s) address"),
    ("http://127.0.0.1:9/admin", "refused: 127.0.0.1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]:9/", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one decimal number
    ("http://0x7f.1/", "loopback"),
    ("http://localhost:9/", "localhost (127.0.0.1) is a loopback address"),
    ("http://[fd00::1]/", "private"),
])
async def test_urls_to_internal_addresses_are_refused(url, reason):
    with pytest.raises(AddressRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        await resolve(url, frozenset())


async def test_a_configured_origin_may_be_private_but_only_that_origin():
    trusted = trusted_origins(["http://127.0.0.1:8000/rss.xml"])
    target = await resolve("http://127.0.0.1:8000/tin/1.htm", trusted)
    assert str(target.address) == "127.0.0.1" and target.port == 8000
    for other in ("http://127.0.0.1:8001/", "https://127.0.0.1:8000/", "http://127.0.0.2:8000/"):
        with pytest.raises(AddressRefused):
            await resolve(other, trusted)


def test_origins_spell_default_ports_out():
    assert origin_of("HTTPS://Bao.VN/rss") == "https://bao.vn:443"
    assert origin_of("http://10.0.0.5:8080/x") == "http://10.0.0.5:8080"
