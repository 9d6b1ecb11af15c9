"""Bar charts (matplotlib, Agg backend) with a CJK font so Chinese labels render.

The font is Debian's WenQuanYi Micro Hei (fonts-wqy-microhei) or Noto Sans CJK when installed;
matplotlib does not see newly installed fonts until they are added with ``fontManager.addfont``.
Without any CJK font the charts are still drawn (a warning says labels may show as boxes).
"""
from __future__ import annotations

import logging
import warnings
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
)


@lru_cache(maxsize=1)
def setup() -> str | None:
    """Select the Agg backend and register a CJK font; returns the font family used (or None)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager, rcParams

    for path, family in FONT_CANDIDATES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
            rcParams["font.family"] = "sans-serif"
            rcParams["axes.unicode_minus"] = False
            return family
    warnings.warn("no CJK font found (install fonts-wqy-microhei): Chinese chart labels may render as boxes",
                  RuntimeWarning, stacklevel=2)
    return None


def bar_chart(path: Path, title: str, labels: list[str], values: list[float], unit_label: str,
              value_labels: list[str] | None = None) -> Path:
    """Write a horizontal bar chart PNG (one bar per label) and return its path."""
    setup()
    import matplotlib.pyplot as plt

    n = len(labels)
    fig, ax = plt.subplots(figsize=(6.4, 0.55 * n + 1.4), dpi=110)
    try:
        ys = list(range(n))[::-1]
        bars = ax.barh(ys, values, color="#3b6ea8")
        ax.set_yticks(ys, labels)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel(unit_label)
        vmax = max(values) if values else 1
        for bar, text in zip(bars, value_labels or [f"{v:,.4g}" for v in values]):
            ax.text(bar.get_width() + vmax * 0.01, bar.get_y() + bar.get_height() / 2, text,
                    va="center", fontsize=9)
        ax.set_xlim(0, vmax * 1.25 if vmax > 0 else 1)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
    finally:
        plt.close(fig)
    return path
