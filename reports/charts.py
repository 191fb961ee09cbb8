"""Geometry of the dashboards' server-drawn SVG charts: the templates only place rectangles."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float | None
    href: str


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    top: float | None


def bar_chart(points: list[tuple[str, float | None, str]], *, width: int = 720, height: int = 140) -> BarChart:
    """One bar per (label, value, link); None draws nothing (no data that day)."""
    top = max((value for _, value, _ in points if value is not None), default=None)
    slot = width / max(len(points), 1)
    bars = []
    for n, (label, value, href) in enumerate(points):
        bar_height = (value / top * (height - 4)) if value and top else 0
        bars.append(Bar(x=round(n * slot + 1, 2), y=round(height - bar_height, 2),
                        width=round(max(slot - 2, 1), 2), height=round(bar_height, 2),
                        label=label, value=value, href=href))
    return BarChart(bars=bars, width=width, height=height, top=top)


@dataclass(frozen=True, slots=True)
class HeatCell:
    weekday: int
    hour: int
    count: int
    opacity: float
    href: str


def heatmap_rows(grid: list[list[int]], href_for) -> list[list[HeatCell]]:
    """The 7×24 grid as cells whose shade grows with the count; `href_for(weekday, hour)` links each."""
    top = max((count for row in grid for count in row), default=0)
    return [
        [HeatCell(weekday=weekday, hour=hour, count=count,
                  opacity=round(0.08 + 0.92 * count / top, 3) if top and count else 0.0,
                  href=href_for(weekday, hour)) for hour, count in enumerate(row)]
        for weekday, row in enumerate(grid)
    ]
