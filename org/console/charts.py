"""Server-rendered SVG bar charts for the console (pure: values in, markup out)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart"]


def bar_chart(
    title: str, bars: Sequence[tuple[str, float]], unit: str = "$", width: int = 640
) -> str:
    """A vertical bar chart of (label, value) pairs, each bar titled with its exact value."""
    height, pad, base = 220, 40, 180
    top = max((value for _, value in bars), default=0.0) or 1.0
    step = (width - 2 * pad) / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">',
        f'<text x="{pad}" y="16" font-size="13">{escape(title)}</text>',
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#888"/>',
        f'<text x="4" y="{base - 140 + 4}" font-size="10">{unit}{top:,.4g}</text>',
    ]
    for index, (label, value) in enumerate(bars):
        bar = 140 * value / top
        x = pad + index * step + step * 0.15
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{base - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="#3b6ea5" data-label="{escape(label)}" '
            f'data-value="{value:.6f}"><title>{escape(label)}: {unit}{value:,.4f}</title></rect>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{base + 14}" font-size="10">{escape(label[-10:])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
