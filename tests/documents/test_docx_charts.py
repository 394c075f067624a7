"""Charts for the .docx (documents/charts.py): the legend stays clear of the bars."""

from dataclasses import dataclass

import pytest
from matplotlib import pyplot as plt

from weijian.documents import charts
from weijian.documents.model import Chart


@dataclass(frozen=True)
class Value:
    value: float


def two_years(**extra) -> Chart:
    # June's bars are the last on the right, where matplotlib's "best" legend used to sit.
    this = [45000, 32000, 42000, 38000, 37800, 45100]
    last = [38700, 36800, 40600, 37700, 37500, 44900]
    return Chart(
        title="门诊人次",
        categories=[f"{month}月" for month in range(1, 7)],
        series=[("2026年", [Value(v) for v in this]), ("2025年", [Value(v) for v in last])],
        unit="人次",
        **extra,
    )


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_the_legend_sits_below_the_plot_and_covers_no_bar(kind):
    """The readers saw the legend (2026年/2025年) drawn over the tallest bars: it is placed
    under the axes, so its box must lie wholly below the plot area and touch no bar."""
    fig = charts.draw(two_years(kind=kind))
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent(renderer)
        plot = ax.get_window_extent(renderer)
        assert legend.y1 <= plot.y0  # display coordinates grow upwards
        labels = [tick.get_window_extent(renderer) for tick in ax.get_xticklabels()]
        assert legend.y1 <= min(label.y0 for label in labels)  # and below 1月…6月
        for bar in ax.patches:
            assert not legend.overlaps(bar.get_window_extent(renderer))
        # The whole legend is on the figure (tight_layout made room for it).
        assert legend.y0 >= 0 and legend.x0 >= 0 and legend.x1 <= fig.bbox.x1
    finally:
        plt.close(fig)


def test_a_single_series_has_no_legend():
    chart = two_years()
    chart.series = chart.series[:1]
    fig = charts.draw(chart)
    try:
        assert fig.axes[0].get_legend() is None
    finally:
        plt.close(fig)


def test_render_png_is_a_png():
    assert charts.render_png(two_years()).startswith(b"\x89PNG")
