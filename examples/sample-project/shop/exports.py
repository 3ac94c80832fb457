"""Exports for the accounting system: the same CSV, copied here instead of shared."""

import csv
import io


def accounting_export(orders):
    """Orders for the accountants, one row per order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "customer", "total", "currency"])
    for order in orders:
        total = round(order["total"], 2)
        currency = order.get("currency", "EUR")
        writer.writerow([order["id"], order["customer"], total, currency])
    return buffer.getvalue()
