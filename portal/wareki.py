"""Japanese era dates (和暦), as shown beside the Western date."""

from __future__ import annotations

import datetime as dt

ERAS: tuple[tuple[str, dt.date], ...] = (
    ("令和", dt.date(2019, 5, 1)),
    ("平成", dt.date(1989, 1, 8)),
    ("昭和", dt.date(1926, 12, 25)),
    ("大正", dt.date(1912, 7, 30)),
    ("明治", dt.date(1873, 1, 1)),
)


def to_wareki(day: dt.date) -> str:
    """Return `day` as an era date, like 令和8年11月26日 (元年 for an era's first year)."""
    for era, start in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            year_text = "元" if year == 1 else str(year)
            return f"{era}{year_text}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"
