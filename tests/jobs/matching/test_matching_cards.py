"""Recommendation cards stay short on a phone: each shows the job (or the candidate), the score and the two
main reasons — the components met in full that count most — and keeps the full explanation (every factor
with its points, and training advice) in a <details> that opens on demand, with no script. The same for the
worker's "recommended for you" and the employer's recommended candidates."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs.matching.weights import DEFAULT_WEIGHTS
from tests import factories
from tests.jobs.factories_apps import logged_in, url, verified_company
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

FULL = 1000
# Fits (per mille) a card's reasons are drawn from, and the reasons expected, heaviest first. The default
# weights: occupation 30, level 20, location 15, brand 10, salary 10, fairness 10, freshness 5.
CASES = {
    "all met: the two heaviest": (
        {},
        ["In an occupation you want or hold a certificate in", "No certificate required; one in"],
    ),
    "the heaviest missed: the next two": (
        {"occupation": 500},
        ["No certificate required; one in", "In your home county"],
    ),
    "only one met": (
        {"occupation": 500, "level": 600, "location": 800, "brand": 0, "salary": 0, "fairness": 400},
        ["Newly published"],
    ),
    "none met": (
        {
            "occupation": 0,
            "level": 0,
            "location": 300,
            "brand": 0,
            "salary": 0,
            "fairness": 400,
            "freshness": 100,
        },
        [],
    ),
}


def cards(page: str, attribute: str) -> list[str]:
    """The HTML of each card on the page, by its data attribute."""
    return [part.split("</article>")[0] for part in page.split(f"{attribute}=")[1:]]


def reasons(card: str) -> list[str]:
    found = re.search(r"data-main-reasons>(.*?)</ul>", card, re.S)
    if not found:
        return []
    return [
        re.sub(r"<[^>]+>|✓", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", found[1], re.S)
    ]


def folded(card: str) -> str:
    """What the card keeps inside its <details> (shown on demand)."""
    return card.split("<details", 1)[1].split("</details>")[0]


@pytest.fixture
def run(db):
    return MatchRunFactory(weights=dict(DEFAULT_WEIGHTS))


@pytest.fixture
def posting(employer):
    return factories.JobPostingFactory(employer=verified_company(employer), title="数控车工（推荐）")


def recommend(run, worker, posting, fits):
    factories.WorkerProfileFactory(user=worker)
    return RecommendationFactory(run=run, worker=worker, posting=posting, **{"freshness": FULL, **fits})


@pytest.mark.parametrize(("fits", "expected"), list(CASES.values()), ids=list(CASES))
def test_a_workers_card_shows_the_two_main_reasons_and_folds_the_rest(
    client, worker, run, posting, fits, expected
):
    recommend(run, worker, posting, fits)
    page = logged_in(client, worker).get(url("recommended")).content.decode()
    [card] = cards(page, "data-recommendation")
    shown = reasons(card)
    assert len(shown) == len(expected) <= 2
    for text, start in zip(shown, expected, strict=True):
        assert text.startswith(start), (text, start)
    assert posting.title in card and "data-match-score=" in card
    # Every factor with its points is in the explanation that opens on demand, not on the card itself.
    explanation = folded(card)
    assert 'data-match-points="' in explanation
    assert 'data-match-points="' not in card.split("<details", 1)[0]
    assert explanation.count("data-component=") == 7


def test_training_advice_is_folded_into_the_explanation(client, worker, run, posting):
    posting.min_level = factories.make_level(3)
    posting.save(update_fields=["min_level"])
    recommend(run, worker, posting, {"held_level": 2, "level": 400})
    factories.TrainingProgramFactory(
        occupation=posting.occupation, target_level=factories.make_level(3), enrolling=True
    )
    [card] = cards(logged_in(client, worker).get(url("recommended")).content.decode(), "data-recommendation")
    assert "data-training-advice" in folded(card)
    assert "data-training-advice" not in card.split("<details", 1)[0]


@pytest.mark.parametrize(("fits", "expected"), list(CASES.values()), ids=list(CASES))
def test_an_employers_candidate_card_does_the_same(client, employer, worker, run, posting, fits, expected):
    recommend(run, worker, posting, fits)
    page = logged_in(client, employer).get(url("candidate_list", posting.pk)).content.decode()
    [card] = cards(page, "data-candidate")
    assert len(reasons(card)) == len(expected)
    assert 'data-match-points="' in folded(card)
    assert 'data-match-points="' not in card.split("<details", 1)[0]


def test_the_cards_carry_no_inline_script_or_style(client, worker, run, posting):
    recommend(run, worker, posting, {})
    page = logged_in(client, worker).get(url("recommended")).content.decode()
    main = page.split("<main", 1)[1].split("</main>")[0]
    assert "<script" not in main
    assert " style=" not in main
    assert not re.search(r" on[a-z]+=", main)


def test_twenty_cards_cost_no_more_queries_than_two(client, worker, run):
    factories.WorkerProfileFactory(user=worker)
    for _ in range(2):
        RecommendationFactory(run=run, worker=worker, posting=factories.JobPostingFactory())
    logged_in(client, worker).get(url("recommended"))  # reference rows cached from here on
    with CaptureQueriesContext(connection) as two:
        client.get(url("recommended"))
    for _ in range(18):
        RecommendationFactory(run=run, worker=worker, posting=factories.JobPostingFactory())
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(url("recommended")).content.decode()
    assert page.count("data-main-reasons") == 20
    assert len(twenty) == len(two)
