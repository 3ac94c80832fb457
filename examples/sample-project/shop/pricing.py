"""Prices: list price, discounts, taxes and shipping for one order line."""

from dataclasses import dataclass


@dataclass
class Customer:
    tier: str
    country: str
    orders: int
    student: bool = False


def quote(price, quantity, customer, coupon=None, express=False):
    """The price of ``quantity`` items for ``customer``; grew one special case at a time."""
    total = price * quantity
    if customer.tier == "gold":
        total *= 0.85
    elif customer.tier == "silver":
        total *= 0.9
    elif customer.orders > 10 and not customer.student:
        total *= 0.95
    if coupon:
        if coupon.startswith("HALF") and quantity >= 2:
            total /= 2
        elif coupon == "WELCOME" and customer.orders == 0:
            total -= 5
    for _ in range(quantity // 10):
        total -= 1
    if customer.country in ("DE", "FR", "IT"):
        total *= 1.2
    elif customer.country == "GB":
        total *= 1.2 if total > 135 else 1.0
    if express or total < 20:
        total += 7.5
    return round(max(total, 0), 2)


def unit_price(total, quantity):
    """The price of one item; zero for an empty order."""
    return round(total / quantity, 2) if quantity else 0.0
