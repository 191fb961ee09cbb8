"""Geometry of the dashboards' server-drawn SVG charts: the templates only place shapes and labels."""

from __future__ import annotations

import math
from dataclasses import dataclass

# The plot area inside the SVG; the margins hold the axes' tick labels and titles.
WIDTH, HEIGHT = 720, 204
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 712, 24, 168
X_LABEL_WIDTH = 84  # room one date label needs under the axis


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
class Tick:
    position: float  # y of a value tick, x of a label tick
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    top: float | None  # the highest value, None without data
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    left: int = PLOT_LEFT
    right: int = PLOT_RIGHT
    plot_top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM

    @property
    def x_label_y(self) -> int:
        return self.bottom + 16

    @property
    def x_title_y(self) -> int:
        return self.height - 4


def value_axis(top: float | None) -> tuple[float, list[float]]:
    """The axis' highest value and its ticks from 0: a round step (1, 2 or 5 × 10ⁿ, at least 1)
    giving 3 to 6 steps (fewer for tiny values) and the lowest axis top at or above `top`."""
    if not top:
        return 1, [0, 1]
    magnitude = 10 ** math.floor(math.log10(top))
    fewest = min(3, math.ceil(top))
    steps = {max(round(m * magnitude * scale, 9), 1) for m in (1, 2, 5) for scale in (0.1, 1)}
    fitting = [(step * math.ceil(top / step), -step) for step in steps if fewest <= math.ceil(top / step) <= 6]
    axis_top, step = min(fitting)
    step = -step
    return axis_top, [step * n for n in range(round(axis_top / step) + 1)]


def tick_label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def bar_chart(points: list[tuple[str, float | None, str]]) -> BarChart:
    """One bar per (label, value, link); None draws nothing (no data that day). A value axis with
    round ticks on the left, every few bars' label under the axis."""
    top = max((value for _, value, _ in points if value is not None), default=None)
    axis_top, values = value_axis(top)
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(points), 1)
    bars = []
    for n, (label, value, href) in enumerate(points):
        bar_height = value / axis_top * plot_height if value else 0
        bars.append(
            Bar(
                x=round(PLOT_LEFT + n * slot + 1, 2),
                y=round(PLOT_BOTTOM - bar_height, 2),
                width=round(max(slot - 2, 1), 2),
                height=round(bar_height, 2),
                label=label,
                value=value,
                href=href,
            )
        )
    every = max(math.ceil(X_LABEL_WIDTH / slot), 1)
    x_ticks = [Tick(round(bar.x + bar.width / 2, 2), bar.label) for bar in bars[::every]]
    y_ticks = [Tick(round(PLOT_BOTTOM - value / axis_top * plot_height, 2), tick_label(value)) for value in values]
    return BarChart(bars=bars, width=WIDTH, height=HEIGHT, top=top, y_ticks=y_ticks, x_ticks=x_ticks)


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
        [
            HeatCell(
                weekday=weekday,
                hour=hour,
                count=count,
                opacity=round(0.08 + 0.92 * count / top, 3) if top and count else 0.0,
                href=href_for(weekday, hour),
            )
            for hour, count in enumerate(row)
        ]
        for weekday, row in enumerate(grid)
    ]
