"""Which claims an export covers: one validated `ExportFilter`, parsed the same way from every way in.

The URL's query string, the command's options and the admin changelist's query string all end up here, so
a filter means the same thing everywhere and a bad value fails with one message naming the parameter.

Within one parameter the values are alternatives (`status=verified&status=disputed` is "verified or
disputed"); different parameters must all hold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from .. import confidence
from ..inputs import is_id, shown
from ..models import DECIDED_STATUSES, Article, ClaimStatus, HedgeKind, Source
from ..search import split_terms

# Confidence bands on the effective confidence (the reviewer's override when set, else the computed score),
# as claims.confidence defines them: name → inclusive (low, high); "none" is 0, no evidence, not "50 %".
BANDS: dict[str, tuple[int, int]] = {name: (low, high) for name, low, high in confidence.BANDS}
band_of = confidence.band


# The parameters, in the order provenance lists them. "id" is the admin's "export selected claims".
PARAMS = ("article", "status", "source", "band", "hedge", "tag", "from", "to", "q", "decided", "id")
HEDGE_NONE = "none"  # the query-string name of "no hedge" (stored as an empty string)
SEARCH_MAX = 200
_TAG = re.compile(r"^[a-z0-9_]{1,40}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the parameter and what it accepts."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"{param}: {message}")


@dataclass(frozen=True)
class ExportFilter:
    """A validated filter. Build it with `from_params`, `from_options` or `from_changelist`."""

    articles: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    sources: tuple[int, ...] = ()
    bands: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()  # HedgeKind values; "" is "no hedge"
    tags: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str = ""
    decided: bool = False
    ids: tuple[int, ...] = ()
    source_names: dict[int, str] = field(default_factory=dict, compare=False, repr=False)
    article_titles: dict[int, str] = field(default_factory=dict, compare=False, repr=False)

    # ---- parsing ------------------------------------------------------------------------------------------
    @classmethod
    def from_params(cls, params: Mapping, *, ignore: Iterable[str] = ()) -> ExportFilter:
        """From a QueryDict or a dict of str / list of str. Unknown parameters are an error."""
        values = _multi(params)
        unknown = sorted(set(values) - set(PARAMS) - set(ignore))
        if unknown:
            raise FilterError(unknown[0], f"unknown filter (known: {', '.join(PARAMS)})")
        get = values.get
        sources, names = _sources(get("source", []))
        articles, titles = _articles(get("article", []))
        built = cls(
            articles=articles,
            statuses=_choices("status", _split(get("status", [])), ClaimStatus.values),
            sources=sources,
            bands=_choices("band", _split(get("band", [])), list(BANDS)),
            hedges=_hedges(_split(get("hedge", []))),
            tags=_tags(_split(get("tag", []))),
            date_from=_date("from", get("from", [])),
            date_to=_date("to", get("to", [])),
            search=_search(get("q", [])),
            decided=parse_bool("decided", get("decided", [])),
            ids=_ints("id", _split(get("id", []))),
            source_names=names,
            article_titles=titles,
        )
        if built.date_from and built.date_to and built.date_from > built.date_to:
            raise FilterError("from", f"{built.date_from} is after to={built.date_to}")
        return built

    @classmethod
    def from_options(cls, options: Mapping) -> ExportFilter:
        """From the export_claims command's options (argparse dest names)."""
        mapping = {
            "article": "article",
            "status": "status",
            "source": "source",
            "band": "band",
            "hedge": "hedge",
            "tag": "tag",
            "date_from": "from",
            "date_to": "to",
            "search": "q",
        }
        params: dict[str, list[str]] = {}
        for option, param in mapping.items():
            value = options.get(option)
            if value in (None, [], ""):
                continue
            params[param] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        if options.get("decided"):
            params["decided"] = ["1"]
        return cls.from_params(params)

    @classmethod
    def from_changelist(cls, query: Mapping) -> tuple[ExportFilter, list[str]]:
        """From the claim changelist's query string. Returns the filter and the changelist parameters it
        could not carry over (the caller says so rather than export more than the list shows)."""
        params: dict[str, list[str]] = {}
        not_applied: list[str] = []
        values = _multi(query)
        year, month, day = (values.pop(f"event_date__{part}", [""])[-1] for part in ("year", "month", "day"))
        if year:
            params["from"], params["to"] = _hierarchy_range(year, month, day)
        for name, given in values.items():
            if name in CHANGELIST_IGNORED:
                continue
            target = CHANGELIST_PARAMS.get(name)
            if target is None:
                not_applied.append(name)
                continue
            if target == "hedge":
                given = [v or HEDGE_NONE for v in given]
            params.setdefault(target, []).extend(given)
        return cls.from_params(params), sorted(not_applied)

    # ---- what it is -----------------------------------------------------------------------------------------
    def to_params(self) -> dict[str, list[str]]:
        """The canonical query-string form: sorted values, only the parameters that are set."""
        params = {
            "article": [str(v) for v in sorted(self.articles)],
            "status": sorted(self.statuses),
            "source": [str(v) for v in sorted(self.sources)],
            "band": [b for b in BANDS if b in self.bands],
            "hedge": sorted(h or HEDGE_NONE for h in self.hedges),
            "tag": sorted(self.tags),
            "from": [self.date_from.isoformat()] if self.date_from else [],
            "to": [self.date_to.isoformat()] if self.date_to else [],
            "q": [self.search] if self.search else [],
            "decided": ["1"] if self.decided else [],
            "id": [str(v) for v in sorted(self.ids)],
        }
        return {name: params[name] for name in PARAMS if params[name]}

    def querystring(self) -> str:
        return urlencode([(name, value) for name, values in self.to_params().items() for value in values])

    def describe(self) -> str:
        """For people: "status verified or disputed; source Kyiv Post"."""
        parts = []
        for name, values in self.to_params().items():
            if name == "source":
                values = [self.source_names.get(int(v), v) for v in values]
            if name == "article":
                values = [f"“{self.article_titles[int(v)]}”" if int(v) in self.article_titles else v for v in values]
            if name == "id":
                parts.append(f"{len(values)} selected claim(s)")
                continue
            parts.append(f"{name} {' or '.join(values)}")
        return "; ".join(parts) or "all claims"

    def decided_only(self) -> ExportFilter:
        return replace(self, decided=True)

    @property
    def search_terms(self) -> list[str]:
        """The search split as the admin splits it: words, or "quoted phrases"."""
        return split_terms(self.search)


# The claim changelist's parameter names (ClaimAdmin.list_filter / search) and what they mean here.
CHANGELIST_PARAMS = {
    "status__exact": "status",
    "status": "status",
    "article__id__exact": "article",
    "article": "article",
    "hedge_kind__exact": "hedge",
    "tag": "tag",
    "source": "source",
    "band": "band",
    "q": "q",
    "event_date__gte": "from",
    "event_date__lte": "to",
    "decided": "decided",
}
# The changelist's own bookkeeping: paging, ordering, popups, "show all".
CHANGELIST_IGNORED = {"o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"}


# ---- value parsers: each names its parameter in the error --------------------------------------------------
def _multi(params: Mapping) -> dict[str, list[str]]:
    if hasattr(params, "lists"):
        return {key: [str(v) for v in values] for key, values in params.lists()}
    out = {}
    for key, value in params.items():
        out[key] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    return out


def _split(values: list[str]) -> list[str]:
    """Repeated parameters and comma-separated lists are the same thing."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _one(param: str, values: list[str]) -> str:
    values = [v for v in values if v.strip()]
    if len(values) > 1:
        raise FilterError(param, f"give it once (got {len(values)} values)")
    return values[0].strip() if values else ""


def _ints(param: str, values: list[str]) -> tuple[int, ...]:
    out = set()
    for value in values:
        if not is_id(value):
            raise FilterError(param, f"{shown(value)} is not a whole number (digits 0-9)")
        out.add(int(value))
    return tuple(sorted(out))


def _articles(values: list[str]) -> tuple[tuple[int, ...], dict[int, str]]:
    ids = _ints("article", _split(values))
    if not ids:
        return (), {}
    found = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise FilterError("article", f"no article with id {', '.join(missing)}")
    return ids, found


def _sources(values: list[str]) -> tuple[tuple[int, ...], dict[int, str]]:
    """Sources by id or by name (case-insensitive; a registered alias also works)."""
    given = [v.strip() for v in values if v.strip()]
    if not given:
        return (), {}
    ids = [int(v) for v in given if is_id(v)]
    names = [v for v in given if not is_id(v)]
    found = dict(Source.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    missing = [str(pk) for pk in ids if pk not in found]
    if names:
        wanted = {n.casefold(): n for n in names}
        for pk, name, aliases in Source.objects.values_list("pk", "name", "aliases").iterator():
            for known in [name, *(aliases if isinstance(aliases, list) else [])]:
                if str(known).casefold() in wanted:
                    found[pk] = name
                    wanted.pop(str(known).casefold())
        missing += [f"'{n}'" for n in wanted.values()]
    if missing:
        raise FilterError("source", f"no source {', '.join(missing)} (give a source's id or its name)")
    return tuple(sorted(found)), found


def _choices(param: str, values: list[str], allowed: list[str]) -> tuple[str, ...]:
    out = set()
    for value in values:
        if value.lower() not in allowed:
            raise FilterError(param, f"'{value}' is not one of {', '.join(allowed)}")
        out.add(value.lower())
    return tuple(sorted(out))


def _hedges(values: list[str]) -> tuple[str, ...]:
    allowed = [HEDGE_NONE, *(v for v in HedgeKind.values if v)]
    chosen = _choices("hedge", values, allowed)
    return tuple(sorted("" if v == HEDGE_NONE else v for v in chosen))


def _tags(values: list[str]) -> tuple[str, ...]:
    out = set()
    for value in values:
        slug = re.sub(r"[\s-]+", "_", value.strip().lower().rstrip("?"))
        if not _TAG.match(slug):
            raise FilterError("tag", f"'{value}' is not a tag slug (e.g. better_source_needed, dubious)")
        out.add(slug)
    return tuple(sorted(out))


def _date(param: str, values: list[str]) -> dt.date | None:
    value = _one(param, values)
    if not value:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilterError(param, f"'{value}' is not a date (YYYY-MM-DD)") from None


def _search(values: list[str]) -> str:
    value = " ".join(_one("q", values).split())
    if len(value) > SEARCH_MAX:
        raise FilterError("q", f"search text is longer than {SEARCH_MAX} characters")
    return value


def parse_bool(param: str, values: list[str]) -> bool:
    value = _one(param, values).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FilterError(param, f"'{value}' is not a yes/no value (1/0, true/false, yes/no, on/off)")


def _hierarchy_range(year: str, month: str, day: str) -> tuple[list[str], list[str]]:
    """The admin's date hierarchy (event_date__year/month/day) as a from/to range."""
    try:
        if not all(is_id(part) for part in (year, month, day) if part):
            raise ValueError(year)
        y = int(year)
        if day and month:
            start = end = dt.date(y, int(month), int(day))
        elif month:
            start = dt.date(y, int(month), 1)
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            start, end = dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        raise FilterError("event_date", f"'{year}-{month}-{day}' is not a date") from None
    return [start.isoformat()], [end.isoformat()]


DECIDED = tuple(str(s) for s in DECIDED_STATUSES)
