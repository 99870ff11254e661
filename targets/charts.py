"""The geometry of the metric pages' charts, drawn as SVG by the server (no script, nothing inline for the
CSP to refuse): pure functions from figures to coordinates, with no queries and no request.

Coordinates are in the SVG's user units inside a fixed `viewBox`; the picture scales to its container's
width, so it reads on a phone. Every coordinate is rounded to one decimal, and a path is a plain string of
"M x,y L x,y" commands, so templates print them as they are.

- `line_chart`: a cumulative figure through the year (x = share of the year, y = value) against the target
  line; a month without a figure breaks the line (a gap, not a guess).
- `bar_chart`: one horizontal bar per row (a county) with its target as a mark across the bar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | float | Decimal

# A "nice" axis ends at one of these times a power of ten.
NICE_STEPS = (1, 2, 2.5, 5, 10)


def nice_ceiling(value: Number) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (1 for nothing above zero)."""
    value = Decimal(value)
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (value.adjusted())
    for step in NICE_STEPS:
        candidate = Decimal(str(step)) * power
        if candidate >= value:
            return (
                candidate.normalize()
                if candidate != candidate.to_integral_value()
                else Decimal(int(candidate))
            )
    return Decimal(10) * power  # not reached: 10 × 10^k is always enough


def axis_maximum(values: list[Number | None], *, percent: bool = False) -> Decimal:
    """The top of a value axis: the nice ceiling of the largest value, or 100 for a rate."""
    if percent:
        return Decimal(100)
    present = [Decimal(v) for v in values if v is not None]
    return nice_ceiling(max(present, default=0))


def ticks(maximum: Decimal) -> list[Decimal]:
    """Evenly spaced values from 0 to `maximum`: 4 steps, or 5, 2 or 1 where those are whole numbers and 4
    are not (a count's axis has no 2.5 on it)."""
    maximum = Decimal(maximum)
    count = 4
    if maximum == maximum.to_integral_value():
        count = next(n for n in (4, 5, 2, 1) if maximum % n == 0)
    step = maximum / count
    result = []
    for i in range(count + 1):
        value = step * i
        result.append(value.to_integral_value() if value == value.to_integral_value() else value)
    return result


def year_share(day: datetime.date, year: int) -> Decimal:
    """How much of the year has passed at the end of `day` (0 before it begins, 1 from its last day)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if day < first:
        return Decimal(0)
    if day >= last:
        return Decimal(1)
    return Decimal((day - first).days + 1) / Decimal((last - first).days + 1)


def target_line(
    *, percent: bool, target: Number | None, year: int, deadline: datetime.date
) -> list[tuple[Decimal, Decimal]]:
    """The target as points (share of the year, value): a rate holds all year (flat); a count rises in a
    straight line from 0 on 1 January to the target at the deadline, and stays there. No target, no line."""
    if target is None:
        return []
    target = Decimal(target)
    if percent:
        return [(Decimal(0), target), (Decimal(1), target)]
    at_deadline = year_share(deadline, year)
    points = [(Decimal(0), Decimal(0)), (at_deadline, target)]
    if at_deadline < 1:
        points.append((Decimal(1), target))
    return points


@dataclass(frozen=True)
class Frame:
    """The drawing's size and the margins around the plot (room for the axes' labels)."""

    # Narrow enough that its 14-unit labels stay about 11 px high on a phone's 360 px.
    width: int = 480
    height: int = 260
    left: int = 44
    right: int = 12
    top: int = 12
    bottom: int = 32

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def plot_left(self) -> float:
        return float(self.left)

    @property
    def plot_right(self) -> float:
        return float(self.width - self.right)

    @property
    def plot_top(self) -> float:
        return float(self.top)

    @property
    def plot_bottom(self) -> float:
        return float(self.height - self.bottom)

    @property
    def y_label_x(self) -> float:
        """Where the value axis's labels end (right-aligned, left of the plot)."""
        return float(self.left - 6)

    @property
    def x_label_y(self) -> float:
        """The baseline of the labels under the plot."""
        return float(self.height - self.bottom + 18)

    @property
    def tick_end(self) -> float:
        return float(self.height - self.bottom + 4)

    def x(self, share: Number) -> float:
        """The x of a share (0–1) of the plot's width."""
        return _round(self.left + float(share) * (self.plot_right - self.plot_left))

    def y(self, value: Number, maximum: Number) -> float:
        """The y of a value on an axis from 0 (bottom) to `maximum` (top); values beyond are clamped."""
        share = min(max(float(value) / float(maximum), 0.0), 1.0) if maximum else 0.0
        return _round(self.plot_bottom - share * (self.plot_bottom - self.plot_top))


def _round(value: float) -> float:
    return round(value, 1)


def path(points: list[tuple[float, float]]) -> str:
    """An SVG path through the points: "M x,y L x,y …" ("" for none)."""
    return " ".join(f"{'M' if i == 0 else 'L'} {x:g},{y:g}" for i, (x, y) in enumerate(points))


@dataclass(frozen=True)
class Tick:
    position: float  # x or y, depending on the axis
    label: str


@dataclass(frozen=True)
class Mark:
    """A figure drawn as a dot, with its value for the dot's tooltip."""

    x: float
    y: float
    value: Decimal


@dataclass(frozen=True)
class LineChart:
    frame: Frame
    maximum: Decimal
    segments: list[str]  # the figure's line, broken where a month has no figure
    marks: list[Mark]
    target: str  # the target line's path ("" without a target)
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def line_chart(
    points: list[tuple[Decimal, Number | None]],
    target: list[tuple[Decimal, Number]],
    *,
    x_labels: list[tuple[Decimal, str]],
    percent: bool = False,
    frame: Frame | None = None,
) -> LineChart:
    """`points` are (share of the year, value or None for a gap) in time order; `target` from `target_line`;
    `x_labels` (share of the year, label) for the months along the bottom."""
    frame = frame or Frame()
    maximum = axis_maximum([v for _s, v in points] + [v for _s, v in target], percent=percent)
    segments, current, marks = [], [], []
    for share, value in points:
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        xy = (frame.x(share), frame.y(value, maximum))
        current.append(xy)
        marks.append(Mark(xy[0], xy[1], Decimal(value)))
    if current:
        segments.append(current)
    return LineChart(
        frame=frame,
        maximum=maximum,
        segments=[path(segment) for segment in segments if len(segment) > 1],
        marks=marks,
        target=path([(frame.x(s), frame.y(v, maximum)) for s, v in target]),
        y_ticks=[Tick(frame.y(v, maximum), _label(v)) for v in ticks(maximum)],
        x_ticks=[Tick(frame.x(share), label) for share, label in x_labels],
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    target: Decimal | None
    y: float  # the top of the bar
    height: float
    width: float  # 0 without a value
    end: float  # the x where the bar ends (its value's label goes after it)
    target_x: float | None
    text_y: float  # the baseline for the row's labels

    @property
    def value_x(self) -> float:
        return _round(self.end + 6)

    @property
    def target_top(self) -> float:
        return _round(self.y - 4)

    @property
    def target_bottom(self) -> float:
        return _round(self.y + self.height + 4)


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    maximum: Decimal
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)


BAR_ROW = 32  # each row's height, of which the bar takes BAR_SHARE
BAR_SHARE = 0.6


def bar_chart(
    rows: list[tuple[str, Number | None, Number | None]], *, percent: bool = False, left: int = 120
) -> BarChart:
    """One horizontal bar per (label, value, target) row, top to bottom, on one axis from 0 to the nice
    ceiling of the largest value or target (100 for a rate). The drawing grows with the rows."""
    frame = Frame(height=16 + BAR_ROW * len(rows) + 28, left=left, right=48, top=16, bottom=28)
    maximum = axis_maximum([v for _l, v, _t in rows] + [t for _l, _v, t in rows], percent=percent)
    bars = []
    for index, (label, value, target) in enumerate(rows):
        row_top = frame.top + index * BAR_ROW
        bar_height = BAR_ROW * BAR_SHARE
        y = _round(row_top + (BAR_ROW - bar_height) / 2)
        end = frame.x(min(Decimal(value) / maximum, Decimal(1))) if value is not None else frame.x(0)
        bars.append(
            Bar(
                label=label,
                value=Decimal(value) if value is not None else None,
                target=Decimal(target) if target is not None else None,
                y=y,
                height=_round(bar_height),
                width=_round(end - frame.x(0)),
                end=end,
                target_x=frame.x(min(Decimal(target) / maximum, Decimal(1))) if target is not None else None,
                text_y=_round(row_top + BAR_ROW / 2 + 4),
            )
        )
    return BarChart(
        frame=frame,
        maximum=maximum,
        bars=bars,
        x_ticks=[Tick(frame.x(v / maximum), _label(v)) for v in ticks(maximum)],
    )


def _label(value: Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
