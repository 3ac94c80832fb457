"""Orders in SQLite, and nightly dumps of the database."""

import sqlite3
import subprocess


def connect(path):
    return sqlite3.connect(path)


def orders_of(connection, customer):
    """The orders of ``customer``: the query text is built from the input (injectable)."""
    cursor = connection.cursor()
    cursor.execute(f"SELECT id, total FROM orders WHERE customer = '{customer}'")
    return cursor.fetchall()


def order(connection, order_id):
    """One order, with a bound parameter (safe)."""
    cursor = connection.cursor()
    cursor.execute("SELECT id, total FROM orders WHERE id = ?", (order_id,))
    return cursor.fetchone()


def dump(path, target):
    """Dump the database to ``target`` through the shell (injectable through ``target``)."""
    subprocess.run("sqlite3 " + path + " .dump > " + target, shell=True, check=True)


def vacuum(path):
    """Compact the database; the command is a literal list (safe)."""
    subprocess.run(["sqlite3", path, "VACUUM"], check=True)
