"""Chinese phrasing of figures in the register of work summaries (Django-free, layer 1).

Everything returns *spans*: a `Text` is a tuple of plain strings and `Figure`s, and every
number that is printed is a `Figure` carrying its source, so the composer can write the
provenance of each printed number and a test can check that no digit is printed outside one.

Conventions (decided here, relied on by the composer and the tests):

- Rounding is 四舍五入 (ROUND_HALF_UP), never banker's rounding.
- Thousands separators: none up to four integer digits ("8991人次", as the model summaries
  write it; GB/T 15835-2011 出版物上数字用法: 四位以内的整数可以不分节). Counts and money of 1万
  or more are printed in 万/亿 ("12.35万人次", "789万元", "1.2亿元"; non-technical texts use
  万/亿 as units for large numbers; money in 万元 whole from 100万 up, to one decimal from 10万
  and two below, MONEY_WHOLE_WAN), so in practice no figure has five integer digits; the rare
  unscaled one (an average or a rate) is grouped by threes with "," ("12,345DDDs").
- Magnitudes: a count (人次, 人, 例, 次, 份, 元 …) of 10000 or more → 万 with two decimals,
  trailing zeros dropped only when nothing was rounded away ("7.3万人次" for 73 000, "5.00万人次"
  for 49 980); 1亿 or more → 亿. Money given in 万元 is scaled the
  same way ("12345万元" → "1.23亿元"). Rates, 天 and other per-unit averages are never scaled.
- A value that is exactly whole prints without decimals ("100%", "8991人次"); otherwise the
  quantity's `decimals` (default 2) are kept, trailing zeros included ("96.50%").
- Comparisons, one phrasing per meaning: 比上年 for a year, 同比 otherwise; counts by the
  relative change in % (one decimal), money also by its amount (增收/减收); rates in % by
  个百分点 (one decimal) with 提高 for a rate that should rise and 上升 for one that should
  fall; rates in ‰ or per 10万, and % changes under 0.05 points, against the earlier value
  itself ("高于上年同期的0.104‰"), never 个千分点; days 缩短/延长, other averages in their own
  unit. `flat_within` is a relative threshold in percent; a change that would print as zero
  is always "基本持平".
- "以上/以内" include the bound (民法典 第一千二百五十九条: "以上""以下""以内"包括本数), so
  "均在95%以上" means every value ≥ 95.
- No value → no sentence: functions return `()` or `None`, never "None", "nan" or "增长0%".
- Small bases: a count whose earlier value is below 10 is compared by the absolute change
  only ("比上年增加5起", as the model texts write it, rather than "增长166.7%").
- Claims are made only when the data backs them: `all_meet` (every value present and within
  the bound), `zero_events` (register complete and count zero), `record` and `streak` (an
  unbroken history before the current period); otherwise they return None.
- Figures computed here (changes, completion shares, the elapsed share, thresholds, milestones,
  streak counts) have the source {"derived": op, "inputs": [the sources used], …}; figures of
  a Quantity keep its source untouched.
- The wording follows the meaning, never a rotation of synonyms; `choose` (a SHA-256 pick
  by a key of the figures' sources) remains for callers that vary a fixed sentence.

The package, by what it does: `spans` (texts of strings and figures; join, fill, choose),
`numbers` (quantities, formatting, derived figures), `comparisons` (同比/环比 clauses,
statements, table cells), `targets` (an actual against its target) and `claims` (claims the
data must carry: all months met, zero events, records, streaks).
"""

from __future__ import annotations

from .claims import all_meet, record, streak, zero_events
from .comparisons import (
    Kind,
    breakdown,
    compare,
    done_in_time,
    share_of,
    short_change,
    span_word,
    state,
)
from .numbers import (
    AVERAGE_UNITS,
    DEFAULT_DECIMALS,
    DERIVED_LABELS,
    RATE_UNITS,
    WAN,
    YI,
    Quantity,
    derived,
    fmt,
    has_value,
)
from .spans import (
    ORDINALS,
    Figure,
    Span,
    Text,
    choose,
    enumerate_points,
    figures,
    fill,
    join,
    key_of,
    merge,
    plain,
    sentence,
    stray_numbers,
)
from .targets import missed_contract, target

__all__ = [
    "AVERAGE_UNITS", "DEFAULT_DECIMALS", "DERIVED_LABELS", "ORDINALS", "RATE_UNITS", "WAN", "YI",
    "Figure", "Kind", "Quantity", "Span", "Text", "all_meet", "breakdown", "choose", "compare",
    "derived", "enumerate_points", "figures", "fill", "fmt", "has_value", "join", "key_of", "missed_contract",
    "merge", "plain", "record", "sentence", "share_of", "done_in_time", "short_change", "span_word", "state",
    "stray_numbers", "streak", "target", "zero_events",
]  # fmt: skip
