"""A small shop back end: prices, stock, reports."""
