"""The client's address behind trusted proxies only (weijian.client_ip, Django-free)."""

import pytest

from weijian.client_ip import ProxyConfigError, client_address, trusted_networks

PROXIES = trusted_networks("10.0.0.0/8, 127.0.0.1 ::1")


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address("198.51.100.2", "203.0.113.7", ()) == "198.51.100.2"


def test_a_peer_that_is_no_trusted_proxy_cannot_choose_its_address():
    assert client_address("198.51.100.2", "203.0.113.7", PROXIES) == "198.51.100.2"


def test_behind_a_trusted_proxy_the_address_it_received_from_counts():
    assert client_address("10.0.0.5", "203.0.113.7", PROXIES) == "203.0.113.7"


def test_a_forged_left_part_is_ignored_the_right_most_untrusted_hop_counts():
    # the client sent "X-Forwarded-For: 1.2.3.4"; our proxies appended what they saw
    header = "1.2.3.4, 203.0.113.7, 10.0.0.9"
    assert client_address("10.0.0.5", header, PROXIES) == "203.0.113.7"


def test_ports_and_ipv6_are_read_as_proxies_write_them():
    assert client_address("::1", "[2001:db8::7]:443", PROXIES) == "2001:db8::7"
    assert client_address("127.0.0.1", "203.0.113.7:51234", PROXIES) == "203.0.113.7"


def test_garbage_where_an_address_should_be_falls_back_to_the_peer():
    assert client_address("10.0.0.5", "not-an-address", PROXIES) == "10.0.0.5"
    assert client_address("10.0.0.5", "", PROXIES) == "10.0.0.5"


def test_a_chain_of_trusted_proxies_only_gives_its_first_hop():
    assert client_address("10.0.0.5", "10.1.1.1, 10.0.0.9", PROXIES) == "10.1.1.1"


def test_a_bad_setting_is_refused_with_its_entry_named():
    with pytest.raises(ProxyConfigError, match="“10.0.0.300”不是 IP 地址或网段"):
        trusted_networks("127.0.0.1, 10.0.0.300")
