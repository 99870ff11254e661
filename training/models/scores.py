"""The pass rule a programme's class results and a skill-level assessment share, and the score field both
record it with."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# The national rule for skill-level assessment (职业技能等级认定): a part is passed with at least 60 points. A
# programme's class results follow the same rule (docs/decisions.md).
PASS_MARK = 60


def passes(theory_score, practical_score) -> bool:
    return theory_score >= PASS_MARK and practical_score >= PASS_MARK


def pass_follows_from_scores(prefix: str) -> models.CheckConstraint:
    """`passed` is true exactly when both scores reach PASS_MARK (and is unset, with both scores, until
    there is a result)."""
    # Spelled out with IS NOT NULL: a CHECK whose condition is NULL (a missing score) would pass.
    both_given = models.Q(theory_score__isnull=False, practical_score__isnull=False)
    both_reach = models.Q(theory_score__gte=PASS_MARK, practical_score__gte=PASS_MARK)
    one_misses = models.Q(theory_score__lt=PASS_MARK) | models.Q(practical_score__lt=PASS_MARK)
    return models.CheckConstraint(
        condition=models.Q(passed__isnull=True, theory_score__isnull=True, practical_score__isnull=True)
        | (models.Q(passed=True) & both_given & both_reach)
        | (models.Q(passed=False) & both_given & one_misses),
        name=f"{prefix}_pass_follows_from_scores",
    )


def score_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **kwargs,
    )
