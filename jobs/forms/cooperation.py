from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import DockingFair, Employer, JobPosting, PartnerRegion, home_province_id
from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import ModelForm, parse_id
from laborbrand.reference.models import Province

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerRegionForm(DateWindowsMixin, ModelForm):
    target_placements = forms.IntegerField(
        label=_("placement target per year"),
        min_value=1,
        max_value=1_000_000,
        help_text=_("Placements a year into jobs in the region's province that the agreement aims at."),
    )

    class Meta:
        model = PartnerRegion
        fields = ["name", "province", "agreement", "signed_on", "target_placements", "active"]
        widgets = {"signed_on": DATE_WIDGET, "agreement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_province = Province.objects.filter(pk=home_province_id()).first()
        if self.home_province is not None:
            self.fields["province"].help_text = _(
                "A partner region lies outside %(province)s: its jobs count as cross-province placements."
            ) % {"province": self.home_province.name}

    def clean_province(self):
        province = self.cleaned_data["province"]
        if province == self.home_province:
            raise ValidationError(
                _(
                    "%(province)s is the city's own province. A partner region is in another province, "
                    "where placements count as cross-province."
                ),
                code="home_province",
                params={"province": province.name},
            )
        return province


def _ids(values) -> set[int]:
    """The ids among submitted values or model instances; anything else (out of range too) is ignored."""
    ids = (parse_id(getattr(value, "pk", value)) for value in values)
    return {value for value in ids if value is not None}


def _posting_label(posting: JobPosting) -> str:
    return f"{posting.title} · {posting.employer.name} · {posting.province.name} {posting.city_name}"


class DockingFairForm(DateWindowsMixin, ModelForm):
    """A docking fair with its verified employers and, of those employers, the postings offered. Only the
    chosen employers' postings are offered as choices (tick employers, then "show their postings")."""

    class Meta:
        model = DockingFair
        fields = ["title", "held_on", "place", "partner", "employers", "postings", "attendance"]
        widgets = {
            "held_on": DATE_WIDGET,
            "employers": forms.CheckboxSelectMultiple,
            "postings": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "employers": _("Verified employers that took part."),
            "postings": _(
                "The jobs the employers offered at the fair. Hires into them from the fair's date on count "
                "as the fair's result."
            ),
            "attendance": _("Leave empty until the fair has taken place."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fair = self.instance
        self.fields["partner"].queryset = PartnerRegion.objects.filter(
            Q(active=True) | Q(pk=fair.partner_id)
        ).select_related("province")
        self.fields["employers"].queryset = Employer.objects.filter(verified_at__isnull=False).select_related(
            "province"
        )
        self.fields["employers"].label_from_instance = lambda e: f"{e.name}（{e.province.name}）"
        # Published postings of verified employers, and those the fair already lists whatever became of them.
        eligible = Q(employer__verified_at__isnull=False) & ~Q(
            status__in=[JobPosting.Status.DRAFT, JobPosting.Status.TAKEN_DOWN]
        )
        if fair.pk:
            eligible |= Q(pk__in=fair.postings.values("pk"))
        self.fields["postings"].queryset = (
            JobPosting.objects.filter(eligible)
            .select_related("employer", "province")
            .order_by("employer__name", "title", "pk")
        )
        # Shown: the chosen employers' postings, and any posting ticked in the submitted form (so a stray one
        # can be unticked). Any posting of a verified employer validates, so one whose employer is not in
        # the fair gets clean()'s message rather than "not one of the choices".
        shown = Q(employer_id__in=self.chosen_employer_ids())
        if self.is_bound:
            shown |= Q(pk__in=_ids(self.data.getlist(self.add_prefix("postings"))))
        self.offered_postings = list(self.fields["postings"].queryset.filter(shown))
        self.fields["postings"].widget.choices = [(p.pk, _posting_label(p)) for p in self.offered_postings]

    def chosen_employer_ids(self) -> set[int]:
        if self.is_bound:
            return _ids(self.data.getlist(self.add_prefix("employers")))
        return _ids(self.initial.get("employers") or [])

    def clean(self):
        data = super().clean()
        employers, postings = data.get("employers"), data.get("postings")
        if employers is not None and postings:
            chosen = {e.pk for e in employers}
            stray = [p for p in postings if p.employer_id not in chosen]
            if stray:
                self.add_error(
                    "postings",
                    ValidationError(
                        _(
                            "Every posting must belong to one of the fair's employers, and these do not: "
                            "%(titles)s."
                        )
                        % {"titles": "、".join(f"{p.title}（{p.employer.name}）" for p in stray)},
                        code="not_an_employers_posting",
                    ),
                )
        held_on, attendance = data.get("held_on"), data.get("attendance")
        if held_on and attendance is not None and held_on > timezone.localdate():
            self.add_error(
                "attendance",
                ValidationError(
                    _("Attendance can be recorded once the fair has taken place."), code="not_held_yet"
                ),
            )
        return data
