"""Agents: the registry and lifecycle, the orchestrator, the context builder and the provider gateway."""
