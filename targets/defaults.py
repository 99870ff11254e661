"""The city's targets for a year that has none of its own (design.md, "The figures the city is judged by").

Counts are the year's totals, rates the per cent to reach. A county's share of a count is set by city admins;
a rate holds for every county unless a county has its own."""

from decimal import Decimal

DEFAULT_TARGETS: dict[str, Decimal] = {
    "trainee_times": Decimal(15000),
    "trainee_times_advanced": Decimal(3000),
    "pass_rate": Decimal(95),
    "ethics_sessions": Decimal(20),
    "ethics_coverage": Decimal(100),
    "apprenticeships_started": Decimal(2000),
    "certificate_holding_rate": Decimal(80),
    "brand_placements": Decimal(12000),
    "match_success": Decimal(75),
    "cross_province_placements": Decimal(5000),
    # "3–5 docking fairs": the target is the least the city accepts.
    "docking_fairs": Decimal(3),
    "published_news": Decimal(100),
}

# Each county puts forward one or two brands, selected by 31 May: a county's target is one, the city's one per
# county (targets.models.default_target).
BRANDS_SELECTED_PER_COUNTY = Decimal(1)
