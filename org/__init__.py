"""The org server: auth, tenants, RBAC, policy store, approvals, audit chain and rooms.

``accord org serve`` runs it (:mod:`accord.org.app`); the language server and the CLI reach it
with :class:`accord.org.client.OrgClient`. Its store is SQLite by default (:mod:`accord.org.store.sqlite`).
"""
