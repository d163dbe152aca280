"""English dates the way a European reader takes them without thinking: `1 Dec 2026 16:34`, day before month,
the month in words, a 24-hour clock. Django's English is American (`12/01/2026 4:34 p.m.`), which a Croatian
customer reading the English portal takes for the 12th of January."""

DATE_FORMAT = "j F Y"  # 1 December 2026
TIME_FORMAT = "H:i"  # 16:34
DATETIME_FORMAT = "j F Y H:i"  # 1 December 2026 16:34
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 1 December
SHORT_DATE_FORMAT = "j M Y"  # 1 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y H:i"  # 1 Dec 2026 16:34
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first: it is what date inputs send and what forms show back. Then the formats above as typed; no
# slashes, since 12/01/2026 means a different day to an American and a European.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01
    "%d %b %Y",  # 1 Dec 2026
    "%d %B %Y",  # 1 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-12-01 16:34:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-12-01 16:34:59.000200
    "%Y-%m-%d %H:%M",  # 2026-12-01 16:34
    "%d %b %Y %H:%M",  # 1 Dec 2026 16:34
    "%d %B %Y %H:%M",  # 1 December 2026 16:34
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 16:34:59
    "%H:%M:%S.%f",  # 16:34:59.000200
    "%H:%M",  # 16:34
]
