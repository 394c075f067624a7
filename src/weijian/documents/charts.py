"""Charts for the .docx (matplotlib, Agg) drawn with the Noto CJK font when the machine has
it; without a CJK font the labels fall back to the default font (the chart's data is printed
in the table beside it anyway, so nothing is lost)."""

from __future__ import annotations

import io
import subprocess
from functools import cache

from .model import Chart

CJK_FAMILY = "Noto Sans CJK SC"
COLOURS = ["#1d4f91", "#9bb4d6", "#c0504d", "#8064a2"]


@cache
def cjk_font_path() -> str | None:
    """The file of the Noto Sans CJK SC font (fc-match), or None when it is not installed."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{family}", CJK_FAMILY],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, family = out.partition("|")
    return path if path and "CJK" in family else None


def render_png(chart: Chart, *, dpi: int = 150) -> bytes:
    from matplotlib import pyplot as plt

    fig = draw(chart, dpi=dpi)
    try:
        stream = io.BytesIO()
        fig.savefig(stream, format="png")
        return stream.getvalue()
    finally:
        plt.close(fig)


def draw(chart: Chart, *, dpi: int = 150):
    """The chart's matplotlib figure (the caller closes it). The legend sits in a row under
    the plot, outside the axes: in the corner of the axes it covered the tallest bars (the
    readers saw 2026年/2025年 over June's bars)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    font = None
    path = cjk_font_path()
    if path:
        font_manager.fontManager.addfont(path)
        font = font_manager.FontProperties(fname=path, size=8)
    fig, ax = plt.subplots(figsize=(6.2, 2.4), dpi=dpi)
    count = len(chart.series)
    width = 0.8 / max(count, 1)
    positions = range(len(chart.categories))
    for index, (name, values) in enumerate(chart.series):
        numbers = [float(v.value) if v is not None else 0.0 for v in values]
        offset = (index - (count - 1) / 2) * width
        if chart.kind == "line":
            ax.plot(list(positions), numbers, marker="o", label=name, color=COLOURS[index % 4])
        else:
            ax.bar([p + offset for p in positions], numbers, width=width * 0.95,
                   label=name, color=COLOURS[index % 4])  # fmt: skip
    ax.set_xticks(list(positions))
    ax.set_xticklabels(chart.categories, fontproperties=font, fontsize=8,
                       rotation=30 if len(chart.categories) > 6 and count == 1 else 0)  # fmt: skip
    if chart.unit:
        ax.set_ylabel(chart.unit, fontproperties=font, fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if count > 1:
        # One row centred below the tick labels; tight_layout leaves room for it because
        # the legend belongs to the axes.
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=count,
                  prop=font if font is not None else {"size": 8}, frameon=False)  # fmt: skip
    fig.tight_layout()
    return fig
