"""Every state change of a training programme: creating and editing it against its brand's measurable
standards, and moving it through its lifecycle (planned, enrolling, running, completed)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brands.models import BrandStandard
from laborbrand.accounts.models import User
from laborbrand.dates import check_dates
from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.models import SkillLevel
from training.models import (
    Institution,
    ProgramEvent,
    TrainingProgram,
)

ProgramStatus = TrainingProgram.Status


PROGRAM_ALLOWED = {
    ProgramStatus.PLANNED: {ProgramStatus.ENROLLING},
    ProgramStatus.ENROLLING: {ProgramStatus.RUNNING},
    ProgramStatus.RUNNING: {ProgramStatus.COMPLETED},
}


def program_shortfalls(program: TrainingProgram) -> list[str]:
    """Why a programme falls short of its brand's measurable standards (empty when it meets them all)."""
    reasons = []
    for standard in program.brand.standards.exclude(measure=""):
        measure, target = standard.measure, standard.target
        if measure == BrandStandard.Measure.MIN_TRAINING_MONTHS and program.months < target:
            reasons.append(
                ngettext(
                    "The brand asks for at least %(target)d month of training; this one runs %(months)d.",
                    "The brand asks for at least %(target)d months of training; this one runs %(months)d.",
                    target,
                )
                % {"target": target, "months": program.months}
            )
        elif measure == BrandStandard.Measure.MIN_PRACTICAL_SHARE and program.practical_share < target:
            reasons.append(
                _("The brand asks for at least %(target)d%% practical hours; this one has %(share).0f%%.")
                % {"target": target, "share": program.practical_share}
            )
        elif measure == BrandStandard.Measure.MIN_CERTIFICATE_LEVEL and program.target_level.rank < target:
            reasons.append(
                _("The brand asks for training to %(target)s; this one targets %(level)s.")
                % {"target": standard.target_text(SkillLevel.by_rank()), "level": program.target_level}
            )
        elif measure == BrandStandard.Measure.MIN_ETHICS_HOURS and program.ethics_hours < target:
            reasons.append(
                ngettext(
                    "The brand asks for at least %(target)d hour of professional ethics; this one has "
                    "%(hours)d.",
                    "The brand asks for at least %(target)d hours of professional ethics; this one has "
                    "%(hours)d.",
                    target,
                )
                % {"target": target, "hours": program.ethics_hours}
            )
    return reasons


def _check_program(program: TrainingProgram) -> None:
    institution = program.institution
    check_dates(program)
    if not institution.is_qualified:
        raise InvalidTransition(_("Only a qualified institution can run brand programmes."))
    if not institution.occupations.filter(pk=program.occupation_id).exists():
        raise InvalidTransition(
            _("%(institution)s is not admitted to train %(occupation)s.")
            % {"institution": institution.name, "occupation": program.occupation}
        )
    if program.end_date < program.start_date:
        raise InvalidTransition(_("The programme cannot end before it starts."))
    if program.ethics_hours > program.theory_hours:
        raise InvalidTransition(_("The ethics hours are part of the theory hours and cannot exceed them."))
    if not program.brand.is_public:
        raise InvalidTransition(_("Programmes can be run only for cultivating or recognised brands."))
    reasons = program_shortfalls(program)
    if reasons:
        raise InvalidTransition(" ".join(reasons))


@transaction.atomic
def program_create(*, institution: Institution, **fields) -> TrainingProgram:
    program = TrainingProgram(institution=institution, **fields)
    _check_program(program)
    program.save()
    return program


@transaction.atomic
def program_update(*, program: TrainingProgram, **fields) -> TrainingProgram:
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if program.status == ProgramStatus.COMPLETED:
        raise InvalidTransition(_("A completed programme can no longer be changed."))
    for name, value in fields.items():
        setattr(program, name, value)
    _check_program(program)
    program.save()
    return program


@transaction.atomic
def program_advance(*, program: TrainingProgram, to: str, actor: User) -> TrainingProgram:
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    _assert_program_move(program, to)
    if to == ProgramStatus.COMPLETED and not program.has_ended():
        raise InvalidTransition(
            _(
                "The programme runs until %(date)s. To complete it before then, use “Complete early” and "
                "give the reason."
            )
            % {"date": program.end_date.isoformat()}
        )
    return _move_program(program, to, actor)


@transaction.atomic
def program_complete_early(*, program: TrainingProgram, actor: User, reason: str) -> TrainingProgram:
    """The documented way to finish a running programme before its end date (the class finished its hours
    sooner, or must stop): the reason is kept in the programme's history, and results can then be
    recorded."""
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    _assert_program_move(program, ProgramStatus.COMPLETED)
    if program.has_ended():
        raise InvalidTransition(_("The programme has reached its end date: mark it completed."))
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for completing the programme before its end date."))
    return _move_program(program, ProgramStatus.COMPLETED, actor, reason=reason.strip(), early=True)


def _assert_program_move(program: TrainingProgram, to: str) -> None:
    if to not in PROGRAM_ALLOWED.get(program.status, set()):
        raise InvalidTransition(
            _("A programme that is “%(current)s” cannot become “%(target)s”.")
            % {"current": program.get_status_display(), "target": ProgramStatus(to).label}
        )


def _move_program(
    program: TrainingProgram, to: str, actor: User, *, reason: str = "", early: bool = False
) -> TrainingProgram:
    old = program.status
    program.status = to
    program.save(update_fields=["status"])
    ProgramEvent.objects.create(
        program=program, old_status=old, new_status=to, actor=actor, reason=reason, early=early
    )
    return program
