"""Tests of the pricing rules; the credentials here are fakes for the test fixtures."""

from shop.pricing import Customer, quote

FAKE_KEY = "AKIAFAKEFAKEFAKE7Q3X"


def test_gold_customers_get_fifteen_percent_off():
    customer = Customer(tier="gold", country="US", orders=3)
    assert quote(100, 1, customer) == 85.0


def test_express_shipping_is_added():
    customer = Customer(tier="basic", country="US", orders=0)
    assert quote(10, 1, customer, express=True) == 17.5
