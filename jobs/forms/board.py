"""The public job search. Every choice list is read once when the form is built (one query per list), and
values are checked against those lists rather than looked up one by one, so the page runs the same queries
whatever the filters."""

from __future__ import annotations

from html import escape

from django import forms
from django.db import connections
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from jobs.search import search_terms, substring_lookup, tokens_decide, tokens_match, tokens_query
from laborbrand.forms import FilterForm
from laborbrand.reference.cached import reference_rows

# `loc` values: "" (anywhere), "city" (anywhere in this city), "county:<GB/T 2260 code>",
# "province:<GB/T 2260 code>", "other" (any province but the city's own).
LOC_CITY = "city"
LOC_OTHER = "other"
LOC_COUNTY = "county:"
LOC_PROVINCE = "province:"

SORT_NEWEST = "newest"
SORT_SALARY = "salary"
ORDERINGS = {SORT_NEWEST: ("-published_at", "-pk"), SORT_SALARY: ("-salary_max", "-pk")}

SALARY_LIMIT = 200000


class QuickSelect(forms.Select):
    """A select whose options are written in Python. The stock widget renders a template per option; at the
    search's 150-odd options that cost more than the rest of the page (measured at 100,000 postings), and
    building them with format_html still cost a tenth of the page (issue 12)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))

        def options(choices) -> str:
            return "".join(
                f'<option value="{escape(str(key))}"{" selected" if str(key) in selected else ""}>'
                f"{escape(str(label))}</option>"
                for key, label in choices
            )

        parts = [
            f'<optgroup label="{escape(str(key))}">{options(label)}</optgroup>'
            if isinstance(label, list | tuple)
            else options([(key, label)])
            for key, label in self.choices
        ]
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped above (html.escape, quotes included).
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(parts)}</select>')  # noqa: S308


class DefaultingChoiceField(forms.ChoiceField):
    """An unknown value means the default (empty) rather than an error: for the sort order, which never
    widens a search."""

    def clean(self, value):
        value = self.to_python(value)
        return value if self.valid_value(value) else ""


class PostingSearchForm(FilterForm):
    lookups = {
        "occupation": "occupation_id",
        "brand": "brand_id",
        # The job can pay at least this much / its range starts at or below this.
        "salary_min": "salary_max__gte",
        "salary_max": "salary_min__lte",
    }
    benefits = ("housing", "meals", "social_insurance")

    q = forms.CharField(
        label=_("Keyword"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Job, company or other words")}),
        help_text=_("Several words separated by spaces find the jobs that have all of them."),
    )
    loc = forms.ChoiceField(label=_("Location"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Occupation category"), required=False, widget=QuickSelect)
    occupation = forms.TypedChoiceField(
        label=_("Occupation"), coerce=int, required=False, empty_value=None, widget=QuickSelect
    )
    level = forms.TypedChoiceField(
        label=_("My skill level"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=QuickSelect,
        help_text=_("Jobs a holder of this level qualifies for."),
    )
    # The two figures make a range; a job matches when its own salary range overlaps it.
    salary_min = forms.IntegerField(
        label=_("From"),
        min_value=0,
        max_value=SALARY_LIMIT,
        required=False,
        widget=forms.NumberInput(attrs={"step": 500, "inputmode": "numeric"}),
    )
    salary_max = forms.IntegerField(
        label=_("To"),
        min_value=0,
        max_value=SALARY_LIMIT,
        required=False,
        widget=forms.NumberInput(attrs={"step": 500, "inputmode": "numeric"}),
    )
    brand = forms.TypedChoiceField(
        label=_("Labour brand"), coerce=int, required=False, empty_value=None, widget=QuickSelect
    )
    housing = forms.BooleanField(label=_("Housing provided"), required=False)
    meals = forms.BooleanField(label=_("Meals provided"), required=False)
    social_insurance = forms.BooleanField(label=_("Social insurance"), required=False)
    sort = DefaultingChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(SORT_NEWEST, _("Newest first")), (SORT_SALARY, _("Highest salary first"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = reference_rows()
        self._init_occupations(rows["occupations"])
        self._init_locations(rows["counties"], rows["provinces"])
        levels = rows["levels"]
        self.fields["level"].choices = [("", _("Any level"))] + [(level.rank, str(level)) for level in levels]
        self._level_pks = {level.rank: level.pk for level in levels}
        self._occupation_names = [
            (occupation.pk, occupation.name.casefold()) for occupation in rows["occupations"]
        ]
        self._rows_by_pk = {
            "occupation": {occupation.pk: occupation for occupation in rows["occupations"]},
            "min_level": {level.pk: level for level in levels},
            "province": {province.pk: province for province in rows["provinces"]},
            "county": {county.pk: county for county in rows["counties"]},
        }
        brands = Brand.objects.public().order_by("county__code", "name").values_list("pk", "name")
        self.fields["brand"].choices = [("", _("All brands")), *brands]
        self._style_widgets()

    def _style_widgets(self) -> None:
        """Bootstrap classes on the widgets: the page writes its fields by hand (crispy-forms' field templates
        cost more than the search's queries)."""
        errors = self._errors or {}  # not self.errors: that would validate the form
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if name in errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self._style_widgets()

    def attach_reference_rows(self, postings) -> None:
        """Give each posting its occupation, minimum level, province and county from the rows the form holds,
        instead of joining four more tables: at 100,000 postings PostgreSQL spent longer planning that
        seven-table join than running it (docs/benchmarks.md)."""
        for posting in postings:
            for field, rows in self._rows_by_pk.items():
                pk = getattr(posting, f"{field}_id")
                if pk is not None:
                    setattr(posting, field, rows[pk])

    def _init_occupations(self, occupations) -> None:
        """Occupations grouped under their categories; a category filters on its occupations' ids, so the
        search needs no join to the categories."""
        by_category: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for occupation in occupations:
            key = (occupation.category.slug, occupation.category.name)
            by_category.setdefault(key, []).append((occupation.pk, occupation.name))
        self.fields["occupation"].choices = [("", _("All occupations"))] + [
            (name, choices) for (_slug, name), choices in by_category.items()
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (slug, name) for slug, name in by_category
        ]
        self._category_occupations = {
            slug: [pk for pk, _name in choices] for (slug, _name), choices in by_category.items()
        }

    def _init_locations(self, counties, provinces) -> None:
        self._county_pks = {county.code: county.pk for county in counties}
        self._province_pks = {province.code: province.pk for province in provinces}
        self.home_province_id = counties[0].city.province_id if counties else None
        city = counties[0].city.name if counties else ""
        home = next((p.name for p in provinces if p.pk == self.home_province_id), "")
        self.fields["loc"].choices = [
            ("", _("Anywhere")),
            (
                city or _("This city"),
                [(LOC_CITY, _("All of %(city)s") % {"city": city})]
                + [(LOC_COUNTY + county.code, county.name) for county in counties],
            ),
            (
                _("Provinces"),
                [(LOC_OTHER, _("Other provinces (outside %(province)s)") % {"province": home})]
                + [(LOC_PROVINCE + province.code, province.name) for province in provinces],
            ),
        ]
        self.city_name = city

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("The upper figure cannot be below the lower one."))
        return data

    def filter(self, queryset, *, many: bool = False):
        """The postings the filters select. `many`: more than the search counts match, and the first page is
        wanted (jobs.search.tokens_match)."""
        if not self.is_bound:
            return queryset
        if not self.is_valid():
            # Dropping a filter that cannot be read would list more than was asked for: the page shows the
            # errors and no jobs until they are corrected.
            return queryset.none()
        queryset = super().filter(queryset)
        data = self.cleaned_data
        if terms := search_terms(data["q"]):
            queryset = self._filter_keyword(queryset, terms, many=many)
        if category := data.get("category"):
            queryset = queryset.filter(occupation_id__in=self._category_occupations[category])
        if (rank := data.get("level")) is not None:
            # Jobs the holder of this level qualifies for: no minimum, or a minimum at or below it.
            allowed = [pk for level_rank, pk in self._level_pks.items() if level_rank <= rank]
            queryset = queryset.filter(Q(min_level__isnull=True) | Q(min_level_id__in=allowed))
        if loc := data.get("loc"):
            queryset = self._filter_location(queryset, loc)
        for benefit in self.benefits:
            if data.get(benefit):
                queryset = queryset.filter(**{benefit: True})
        return queryset

    def _filter_keyword(self, queryset, terms: list[str], *, many: bool):
        """Every term in the title, the description, the employer's name or the occupation's name
        (jobs/search.py: on PostgreSQL the token index finds the candidates, the substring tests decide)."""
        if connections[queryset.db].vendor == "postgresql":
            exact = [term for term in terms if tokens_decide(term)]
            in_order = many and len(exact) == len(terms)
            queryset = queryset.filter(tokens_match(tokens_query(terms), in_order=in_order))
            # Besides being cheaper, leaving out tests that change nothing keeps the planner's row estimate
            # (from the tokens' statistics) right, so it reads a frequent word's jobs in date order.
            terms = [term for term in terms if term not in exact]
        for term in terms:
            lookup = substring_lookup(term)
            match = (
                Q(**{f"title__{lookup}": term})
                | Q(**{f"description__{lookup}": term})
                | Q(**{f"employer__name__{lookup}": term})
            )
            folded = term.casefold()
            if occupations := [pk for pk, name in self._occupation_names if folded in name]:
                match |= Q(occupation_id__in=occupations)
            queryset = queryset.filter(match)
        return queryset

    def _filter_location(self, queryset, loc: str):
        if loc == LOC_CITY:
            # Jobs in this city name their county; a county-less one in the city's name counts too.
            return queryset.filter(
                Q(county__isnull=False) | Q(province_id=self.home_province_id, city_name=self.city_name)
            )
        if loc == LOC_OTHER:
            # As PostingQuerySet.in_other_provinces(), with the city's province already known.
            return queryset.exclude(province_id=self.home_province_id)
        if loc.startswith(LOC_COUNTY):
            return queryset.filter(county_id=self._county_pks[loc.removeprefix(LOC_COUNTY)])
        return queryset.filter(province_id=self._province_pks[loc.removeprefix(LOC_PROVINCE)])

    def current_sort(self) -> str:
        """The chosen sort order; a missing or unknown one means newest first."""
        if not self.is_bound:
            return SORT_NEWEST
        self.is_valid()
        return self.cleaned_data.get("sort") or SORT_NEWEST

    def ordering(self) -> tuple[str, ...]:
        return ORDERINGS[self.current_sort()]
