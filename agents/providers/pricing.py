"""What a call cost, from its token usage and the provider's configured prices."""

from __future__ import annotations

from accord.config import ProviderSettings

from .types import Usage

__all__ = ["cost_of"]


def cost_of(settings: ProviderSettings, usage: Usage, fallback: float = 0.0) -> float:
    """USD for ``usage`` at the settings' per-million-token prices; ``fallback`` when unset."""
    if settings.input_cost_per_mtok is None and settings.output_cost_per_mtok is None:
        return fallback
    per_input = settings.input_cost_per_mtok or 0.0
    per_output = settings.output_cost_per_mtok or 0.0
    return (usage.input_tokens * per_input + usage.output_tokens * per_output) / 1_000_000
