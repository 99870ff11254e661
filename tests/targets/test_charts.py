"""targets/charts.py: the geometry of the metric pages' SVG charts, from figures to coordinates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from targets import charts

D = datetime.date
FRAME = charts.Frame()  # 480 × 260, plot from x 44 to 468 and y 12 to 228


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [
        (0, "1"),
        (-3, "1"),
        (1, "1"),
        (7, "10"),
        (10, "10"),
        (12, "20"),
        (21, "25"),
        (250, "250"),
        (251, "500"),
        (Decimal("99.5"), "100"),
        (Decimal("0.3"), "0.5"),
    ],
)
def test_nice_ceiling(value, ceiling):
    assert charts.nice_ceiling(value) == Decimal(ceiling)


@pytest.mark.parametrize(
    ("values", "percent", "maximum"),
    [
        ([], False, 1),
        ([None, None], False, 1),
        ([3, None, 18], False, 20),
        ([Decimal("42.5")], True, 100),
        ([120], True, 100),
    ],
)
def test_axis_maximum(values, percent, maximum):
    assert charts.axis_maximum(values, percent=percent) == maximum


@pytest.mark.parametrize(
    ("maximum", "values"),
    [
        (100, [0, 25, 50, 75, 100]),
        (20, [0, 5, 10, 15, 20]),
        (10, [0, 2, 4, 6, 8, 10]),  # 5 whole steps rather than 4 of 2.5
        (25, [0, 5, 10, 15, 20, 25]),
        (2, [0, 1, 2]),
        (1, [0, 1]),
        (Decimal("0.5"), [0, Decimal("0.125"), Decimal("0.25"), Decimal("0.375"), Decimal("0.5")]),
    ],
)
def test_ticks_are_evenly_spaced_whole_numbers_where_they_can_be(maximum, values):
    assert charts.ticks(Decimal(maximum)) == values


@pytest.mark.parametrize(
    ("day", "year", "share"),
    [
        (D(2026, 1, 1), 2026, Decimal(1) / 365),
        (D(2026, 7, 2), 2026, Decimal(183) / 365),
        (D(2026, 12, 31), 2026, 1),
        (D(2025, 12, 31), 2026, 0),
        (D(2027, 1, 5), 2026, 1),
        (D(2024, 2, 29), 2024, Decimal(60) / 366),
    ],
)
def test_year_share(day, year, share):
    assert charts.year_share(day, year) == share


@pytest.mark.parametrize(
    ("percent", "target", "deadline", "points"),
    [
        (False, None, D(2026, 12, 31), []),
        (True, None, D(2026, 12, 31), []),
        # a count rises from 0 on 1 January to the target on its deadline…
        (False, 100, D(2026, 12, 31), [(0, 0), (1, 100)]),
        # … and holds from the deadline to the year's end
        (False, 14, D(2026, 5, 31), [(0, 0), (Decimal(151) / 365, 14), (1, 14)]),
        # a rate holds all year
        (True, Decimal("85.0"), D(2026, 12, 31), [(0, Decimal("85.0")), (1, Decimal("85.0"))]),
    ],
)
def test_target_line(percent, target, deadline, points):
    assert charts.target_line(percent=percent, target=target, year=2026, deadline=deadline) == points


@pytest.mark.parametrize(
    ("share", "x"),
    [(0, 44.0), (Decimal("0.5"), 256.0), (1, 468.0)],
)
def test_frame_x(share, x):
    assert FRAME.x(share) == x


@pytest.mark.parametrize(
    ("value", "maximum", "y"),
    [(0, 100, 228.0), (50, 100, 120.0), (100, 100, 12.0), (150, 100, 12.0), (-5, 100, 228.0), (3, 0, 228.0)],
)
def test_frame_y_clamps_to_the_plot(value, maximum, y):
    assert FRAME.y(value, maximum) == y


@pytest.mark.parametrize(
    ("points", "expected"),
    [([], ""), ([(1.0, 2.0)], "M 1,2"), ([(1.0, 2.5), (3.0, 4.0)], "M 1,2.5 L 3,4")],
)
def test_path(points, expected):
    assert charts.path(points) == expected


def test_line_chart_breaks_the_line_where_a_month_has_no_figure():
    chart = charts.line_chart(
        [(Decimal(0), 10), (Decimal("0.25"), None), (Decimal("0.5"), 30), (Decimal(1), 40)],
        charts.target_line(percent=False, target=40, year=2026, deadline=D(2026, 12, 31)),
        x_labels=[(Decimal("0.5"), "6")],
    )
    assert chart.maximum == 50
    # the lone first figure is a dot without a line; the two after the gap are joined
    assert chart.segments == ["M 256,98.4 L 468,55.2"]
    assert [(mark.x, mark.y, mark.value) for mark in chart.marks] == [
        (44.0, 184.8, 10),
        (256.0, 98.4, 30),
        (468.0, 55.2, 40),
    ]
    assert chart.target == "M 44,228 L 468,55.2"
    assert [tick.label for tick in chart.y_ticks] == ["0", "10", "20", "30", "40", "50"]
    assert chart.x_ticks == [charts.Tick(256.0, "6")]


def test_line_chart_of_a_rate_runs_to_100_with_a_flat_target():
    chart = charts.line_chart(
        [(Decimal("0.5"), Decimal("96.2"))],
        charts.target_line(percent=True, target=85, year=2026, deadline=D(2026, 12, 31)),
        x_labels=[],
        percent=True,
    )
    assert chart.maximum == 100
    assert chart.segments == []
    assert chart.target == "M 44,44.4 L 468,44.4"


def test_line_chart_without_figures_or_target():
    chart = charts.line_chart([], [], x_labels=[])
    assert (chart.segments, chart.marks, chart.target, chart.maximum) == ([], [], "", 1)


def test_bar_chart_draws_each_row_against_its_target():
    chart = charts.bar_chart([("金寨县", 30, 40), ("霍山县", None, 20), ("霍邱县", 0, None)])
    # 16 above, 32 a row, 28 below; the plot runs from x 120 to 432 (312 wide)
    assert (chart.frame.height, chart.frame.plot_left, chart.frame.plot_right) == (140, 120.0, 432.0)
    assert chart.maximum == 50
    first, second, third = chart.bars
    # 30 of 50 is 60 % of 312 wide; the target 40 at 80 %
    assert (first.label, first.y, first.height) == ("金寨县", 22.4, 19.2)
    assert (first.width, first.end, first.target_x) == (187.2, 307.2, 369.6)
    assert (first.text_y, first.value_x, first.target_top, first.target_bottom) == (36.0, 313.2, 18.4, 45.6)
    assert (second.value, second.width, second.target_x, second.y) == (None, 0.0, 244.8, 54.4)
    assert (third.value, third.width, third.target_x) == (0, 0.0, None)
    assert [tick.position for tick in chart.x_ticks] == [120.0, 182.4, 244.8, 307.2, 369.6, 432.0]


def test_bar_chart_of_a_rate_is_on_a_0_to_100_axis():
    chart = charts.bar_chart([("A", Decimal("96.2"), Decimal(85))], percent=True)
    assert chart.maximum == 100
    assert chart.bars[0].width == 300.1  # 96.2 % of 312
    assert chart.bars[0].target_x == 385.2  # 120 + 85 % of 312
