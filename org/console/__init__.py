"""The org's web console: approvals, audit, usage and cost, policy and users, served by the org
server under ``/console`` (see :func:`accord.org.console.app.console_app`)."""
