"""The SQL drivers the ACC004 fix knows, as data (``sql_drivers.toml``), per language."""

from __future__ import annotations

import pytest

from accord.agents.actions.sql_params import placeholder_for


@pytest.mark.parametrize(
    ("language", "module", "expected"),
    [
        ("python", "import sqlite3\n", ("?", False)),
        ("python", "from psycopg2 import connect\n", ("%s", False)),
        ("python", "import MySQLdb as db\n", ("%s", False)),
        ("python", "import sqlite3x\n", ("?", True)),
        ("python", "x = 'import psycopg2'\n", ("?", True)),
        ("javascript", "const { Pool } = require('pg');\n", ("$n", False)),
        ("javascript", 'import postgres from "postgres";\n', ("$n", False)),
        ("javascript", "const mysql = require('mysql2');\n", ("?", False)),
        ("javascript", "const db = require('pg-mem');\n", ("?", True)),
    ],
)
def test_the_driver_a_module_loads_gives_the_placeholder(
    language: str, module: str, expected: tuple[str, bool]
) -> None:
    assert placeholder_for(module, language) == expected
