"""Monthly sales reports as CSV."""

import csv
import io


def sales_report(orders):
    """One row per order, with the totals rounded to cents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "customer", "total", "currency"])
    for order in orders:
        total = round(order["total"], 2)
        currency = order.get("currency", "EUR")
        writer.writerow([order["id"], order["customer"], total, currency])
    return buffer.getvalue()


def best_customers(orders, count=10):
    """The ``count`` customers who spent the most."""
    spent = {}
    for order in orders:
        spent[order["customer"]] = spent.get(order["customer"], 0) + order["total"]
    return sorted(spent, key=spent.get, reverse=True)[:count]
