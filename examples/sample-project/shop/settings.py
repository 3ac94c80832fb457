"""Settings of the shop, read once at start-up."""

import os

DATABASE_URL = os.environ.get("SHOP_DATABASE_URL", "sqlite:///shop.db")

# Hard-coded credentials: these belong in the environment or a secret store.
AWS_ACCESS_KEY_ID = "AKIAZ7Q3XK5RT2M8WN4P"
DB_PASSWORD = "q8V#2kLp!9zR@tW4mXy7"

# A value the payment sandbox documents publicly; silenced on purpose.
SANDBOX_API_KEY = "sbx_4f9a0c2e7b1d8e6f3a5c9b0d"  # accord: ignore[ACC003]

PAGE_SIZE = int(os.environ.get("SHOP_PAGE_SIZE", "50"))
