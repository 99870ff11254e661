"""Reference data loaded by migrations: provinces, the demo city's divisions, skill levels, occupations."""

import re

import pytest
from django.db import IntegrityError, transaction

from laborbrand.reference.models import (
    City,
    County,
    Occupation,
    OccupationCategory,
    Province,
    SkillLevel,
    Township,
)

pytestmark = pytest.mark.django_db

DEMO_COUNTIES = {
    "341502": "金安区",
    "341503": "裕安区",
    "341504": "叶集区",
    "341522": "霍邱县",
    "341523": "舒城县",
    "341524": "金寨县",
    "341525": "霍山县",
}


def test_all_34_provincial_divisions_with_six_digit_codes():
    codes = list(Province.objects.values_list("code", flat=True))

    assert len(codes) == 34
    assert all(len(code) == 6 and code.isdigit() and code.endswith("0000") for code in codes)
    assert Province.objects.get(code="340000").name == "安徽省"


def test_demo_city_is_luan_in_anhui():
    city = City.objects.get(code="341500")

    assert city.name == "六安市"
    assert city.province.code == "340000"


def test_demo_city_has_its_seven_counties_and_districts():
    counties = County.objects.select_related("city")

    assert {c.code: c.name for c in counties} == DEMO_COUNTIES
    for county in counties:
        assert len(county.code) == 6
        assert county.code.isdigit()
        assert county.code.startswith("3415")
        assert county.city.code == "341500"


def test_every_county_has_townships():
    for county in County.objects.all():
        assert county.townships.exists(), county.name


def test_township_names_are_unique_within_a_county():
    county = County.objects.get(code="341524")
    name = county.townships.first().name

    with pytest.raises(IntegrityError), transaction.atomic():
        Township.objects.create(county=county, name=name)


def test_same_township_name_may_exist_in_two_counties():
    assert Township.objects.filter(name="城关镇").count() == 2


def test_five_skill_levels_ranked_one_to_five():
    levels = list(SkillLevel.objects.all())

    assert [level.rank for level in levels] == [1, 2, 3, 4, 5]
    assert [level.grade for level in levels] == ["五级", "四级", "三级", "二级", "一级"]
    assert [level.name for level in levels] == ["初级工", "中级工", "高级工", "技师", "高级技师"]
    assert str(levels[2]) == "三级/高级工"


def test_skill_level_rank_outside_one_to_five_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillLevel.objects.create(rank=6, grade="零级", name="不存在")


def test_at_least_fifty_occupations_each_in_a_category():
    occupations = Occupation.objects.select_related("category")

    assert occupations.count() >= 50
    assert all(o.category_id for o in occupations)
    assert not OccupationCategory.objects.filter(occupations__isnull=True).exists()


def test_occupations_cover_the_brand_fields_of_the_design():
    names = set(Occupation.objects.values_list("name", flat=True))

    for expected in ("数控车工", "电工", "汽车维修工", "家政服务员", "民宿管家", "竹编工艺师"):
        assert expected in names


def test_occupation_codes_are_blank_or_national_classification_codes():
    """Codes are filled in only from the national classification (e.g. 6-18-01-01), never invented."""
    for code in Occupation.objects.values_list("code", flat=True):
        assert code == "" or re.fullmatch(r"\d-\d{2}-\d{2}-\d{2}", code), code


def test_category_order_is_stable():
    orders = list(OccupationCategory.objects.values_list("order", flat=True))

    assert orders == sorted(orders)
    assert len(set(orders)) == len(orders)
