"""One way to write dates across the admin, the report and the imports (issue #12): shown as "7 Dec 2024" and
"7 Dec 2024 17:32" (UTC, 24-hour), typed as YYYY-MM-DD like the CSV import and the exports. Event dates are
shown at their precision by claims.display.event_date_text, which uses the same day-month-year order.

Django's English locales would otherwise print "Dec. 7, 2024" / "7 Dec 2024, 5:32 p.m." and render date inputs
as 07/12/2024, which reads as July in half the world. Used for every English variant (en, en-gb) through
FORMAT_MODULE_PATH."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# The first of each list is how a form shows a value; the inputs accepted are ISO only, so that no day and
# month can be read the wrong way round.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]
