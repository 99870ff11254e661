"""Form validation: every bad input gets a clear error on the right field (and the views save nothing)."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from brands.forms import BrandForm, CriterionFormSet, DecisionForm, NewsForm, StandardForm
from brands.models import Brand, BrandStandard, RecognitionCriterion
from tests import factories

pytestmark = pytest.mark.django_db

Measure = BrandStandard.Measure
Dimension = BrandStandard.Dimension


def image_bytes(size=(64, 64), fmt="PNG", mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def noise_png(side=1500) -> bytes:
    """A real PNG over 2 MB: random pixels do not compress."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(content: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def brand_data(**overrides):
    data = {
        "name": "金寨红嫂家政",
        "category": factories.make_category("domestic").pk,
        "occupations": [o.pk for o in factories.make_occupations(2, "domestic")],
        "slogan": "红嫂精神，贴心服务",
        "description": "大别山区的家政服务品牌。",
        "township": "",
    }
    data.update(overrides)
    return data


def brand_form(county, files=None, instance=None, **overrides):
    return BrandForm(brand_data(**overrides), files or {}, county=county, instance=instance)


# --- BrandForm ------------------------------------------------------------------------------------------


def test_brand_form_accepts_good_input(official_a):
    form = brand_form(official_a.county)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["logo"] is None


def test_same_name_in_the_same_county_is_refused(official_a, brand_a):
    with translation.override("en"):
        form = brand_form(official_a.county, name=f"  {brand_a.name} ")

        assert not form.is_valid()
        assert form.has_error("name", "duplicate_name")
        assert form.errors["name"] == ["Your county already has a brand with this name."]


def test_same_name_in_another_county_is_fine(official_b, brand_a):
    assert brand_form(official_b.county, name=brand_a.name).is_valid()


def test_editing_a_brand_keeps_its_own_name(official_a, brand_a):
    assert brand_form(official_a.county, instance=brand_a, name=brand_a.name).is_valid()


def test_township_must_be_in_the_brands_county(official_a, official_b):
    other = official_b.county.townships.first()
    own = official_a.county.townships.first()

    assert brand_form(official_a.county, township=own.pk).is_valid()
    form = brand_form(official_a.county, township=other.pk)
    assert not form.is_valid()
    assert form.has_error("township", "invalid_choice")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "品" * 51, "max_length"),
        ("slogan", "标" * 101, "max_length"),
        ("description", "述" * 5001, "max_length"),
        ("name", "", "required"),
        ("name", "   ", "required"),
        ("description", "", "required"),
        ("category", "", "required"),
        ("category", "99999", "invalid_choice"),
        ("occupations", [], "required"),
        ("occupations", ["99999"], "invalid_choice"),
    ],
)
def test_brand_form_bad_input(official_a, field, value, code):
    form = brand_form(official_a.county, **{field: value})

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()


def test_longest_allowed_values_are_accepted(official_a):
    form = brand_form(official_a.county, name="品" * 50, slogan="标" * 100, description="述" * 5000)

    assert form.is_valid(), form.errors


def test_markup_is_kept_as_typed(official_a):
    form = brand_form(official_a.county, name="<script>alert(1)</script>", description="<b>粗</b>")

    assert form.is_valid()
    assert form.cleaned_data["name"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 64, "logo.png", "invalid_image"),
        (b"#!/bin/sh\necho hello\n", "logo.png", "invalid_image"),
        (b"just some text, not a picture\n" * 10, "logo.jpg", "invalid_image"),
        (b"", "logo.png", "empty"),
        (image_bytes(fmt="GIF", mode="P"), "logo.gif", "logo_format"),
        (image_bytes(fmt="BMP"), "logo.bmp", "logo_format"),
        (image_bytes(), "logo.exe", "invalid_extension"),
    ],
    ids=["renamed executable", "shell script", "text as jpg", "empty file", "gif", "bmp", "exe extension"],
)
def test_logo_that_is_not_an_accepted_image_is_refused(official_a, content, name, code):
    form = brand_form(official_a.county, files={"logo": upload(content, name)})

    assert not form.is_valid()
    assert form.has_error("logo", code), form.errors.as_data()
    assert list(form.errors) == ["logo"]


def test_logo_over_2_mb_is_refused_with_its_size(official_a):
    content = noise_png()
    assert len(content) > 2 * 1024 * 1024

    with translation.override("en"):
        form = brand_form(official_a.county, files={"logo": upload(content)})
        assert not form.is_valid()
        assert form.has_error("logo", "logo_too_large")
        assert form.errors["logo"][0].replace("\xa0", " ").endswith("at most 2.0 MB is allowed.")


@pytest.mark.parametrize(
    ("size", "code"),
    [
        ((12000, 12000), "logo_too_many_pixels"),
        ((15000, 15000), "invalid_image"),
        ((4097, 10), "logo_too_many_pixels"),
    ],
    ids=["small file, huge canvas", "decompression bomb", "one pixel too wide"],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_logo_with_a_huge_canvas_is_refused_before_decoding(official_a, size, code):
    content = image_bytes(size=size, mode="1")
    assert len(content) < 100_000

    form = brand_form(official_a.county, files={"logo": upload(content)})

    assert not form.is_valid()
    assert form.has_error("logo", code), form.errors.as_data()


def test_logo_of_the_largest_allowed_side_is_accepted(official_a):
    form = brand_form(official_a.county, files={"logo": upload(image_bytes(size=(4096, 10)))})

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("fmt", "mode", "name"), [("PNG", "RGBA", "a.png"), ("JPEG", "RGB", "a.jpg"), ("WEBP", "RGB", "a.webp")]
)
def test_png_jpeg_and_webp_logos_are_accepted(official_a, fmt, mode, name):
    form = brand_form(official_a.county, files={"logo": upload(image_bytes(fmt=fmt, mode=mode), name)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["logo"] is not None


# --- StandardForm ---------------------------------------------------------------------------------------


def standard_form(brand, instance=None, **overrides):
    data = {"dimension": Dimension.SKILL, "requirement": "熟练操作数控车床", "measure": "", "target": ""}
    data.update(overrides)
    return StandardForm(data, brand=brand, instance=instance)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"measure": Measure.MIN_TRAINING_MONTHS, "target": "3"},
        {"measure": Measure.MIN_PRACTICAL_SHARE, "target": "100"},
        {"measure": Measure.MIN_CERTIFICATE_LEVEL, "target": "5"},
        {"measure": Measure.MIN_ETHICS_HOURS, "target": "200"},
    ],
)
def test_standard_form_accepts_good_input(brand_a, overrides):
    assert standard_form(brand_a, **overrides).is_valid()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"measure": Measure.MIN_TRAINING_MONTHS}, "target", "required"),
        ({"target": "3"}, "measure", "required"),
        ({"measure": Measure.MIN_PRACTICAL_SHARE, "target": "150"}, "target", "out_of_range"),
        ({"measure": Measure.MIN_CERTIFICATE_LEVEL, "target": "6"}, "target", "out_of_range"),
        ({"measure": Measure.MIN_TRAINING_MONTHS, "target": "37"}, "target", "out_of_range"),
        ({"measure": Measure.MIN_TRAINING_MONTHS, "target": "0"}, "target", "out_of_range"),
        ({"measure": Measure.MIN_TRAINING_MONTHS, "target": "-1"}, "target", "min_value"),
        ({"measure": Measure.MIN_ETHICS_HOURS, "target": "201"}, "target", "out_of_range"),
        ({"target": "0"}, "measure", "required"),
        ({"measure": Measure.MIN_TRAINING_MONTHS, "target": "三"}, "target", "invalid"),
        ({"measure": "months"}, "measure", "invalid_choice"),
        ({"dimension": "beauty"}, "dimension", "invalid_choice"),
        ({"dimension": ""}, "dimension", "required"),
        ({"requirement": ""}, "requirement", "required"),
        ({"requirement": "要" * 501}, "requirement", "max_length"),
    ],
)
def test_standard_form_bad_input(brand_a, overrides, field, code):
    form = standard_form(brand_a, **overrides)

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()


def test_out_of_range_message_names_the_range(brand_a):
    with translation.override("en"):
        form = standard_form(brand_a, measure=Measure.MIN_PRACTICAL_SHARE, target="150")
        form.is_valid()
        assert form.errors["target"] == ["For this measure the target must be between 1 and 100."]


def test_second_target_for_the_same_measure_is_refused(brand_a):
    factories.BrandStandardFactory(brand=brand_a, measure=Measure.MIN_TRAINING_MONTHS, target=3)

    form = standard_form(brand_a, dimension=Dimension.ETHICS, measure=Measure.MIN_TRAINING_MONTHS, target="6")

    assert not form.is_valid()
    assert form.has_error("measure", "duplicate_measure")


def test_same_measure_in_another_brand_is_fine(brand_a, brand_b):
    factories.BrandStandardFactory(brand=brand_b, measure=Measure.MIN_TRAINING_MONTHS, target=3)

    assert standard_form(brand_a, measure=Measure.MIN_TRAINING_MONTHS, target="6").is_valid()


def test_editing_a_standard_keeps_its_own_measure(brand_a):
    standard = factories.BrandStandardFactory(brand=brand_a, measure=Measure.MIN_TRAINING_MONTHS, target=3)

    assert standard_form(
        brand_a, instance=standard, measure=Measure.MIN_TRAINING_MONTHS, target="4"
    ).is_valid()


# --- News, decisions, criteria --------------------------------------------------------------------------


def news_form(brands, **overrides):
    brand = brands.first()
    data = {"brand": brand.pk if brand else "", "title": "开班", "summary": "", "body": "正文"}
    data.update(overrides)
    return NewsForm(data, brands=brands)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "题" * 101, "max_length"),
        ("summary", "摘" * 201, "max_length"),
        ("body", "文" * 20001, "max_length"),
        ("title", "", "required"),
        ("body", "", "required"),
    ],
)
def test_news_form_bad_input(official_a, field, value, code):
    factories.CultivatingBrandFactory(county=official_a.county)

    form = news_form(Brand.objects.all(), **{field: value})

    assert not form.is_valid()
    assert form.has_error(field, code)


def test_news_form_offers_only_the_given_brands(official_a, brand_b):
    own = factories.CultivatingBrandFactory(county=official_a.county)

    form = news_form(Brand.objects.filter(pk=own.pk), brand=brand_b.pk)

    assert not form.is_valid()
    assert form.has_error("brand", "invalid_choice")


def test_decision_reason_is_limited_to_2000_characters():
    assert DecisionForm({"reason": "因" * 2000}).is_valid()
    form = DecisionForm({"reason": "因" * 2001})
    assert not form.is_valid()
    assert form.has_error("reason", "max_length")


def criteria_data(criteria, **thresholds):
    data = {
        "form-TOTAL_FORMS": str(len(criteria)),
        "form-INITIAL_FORMS": str(len(criteria)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, criterion in enumerate(criteria):
        data[f"form-{i}-id"] = str(criterion.pk)
        data[f"form-{i}-threshold"] = str(thresholds.get(criterion.metric, criterion.threshold))
        if criterion.active:
            data[f"form-{i}-active"] = "on"
    return data


@pytest.mark.parametrize(
    ("value", "code"), [("-1", "min_value"), ("0", "min_value"), ("many", "invalid"), ("", "required")]
)
def test_criterion_threshold_must_be_a_whole_positive_number(recognition_criteria, value, code):
    metric = RecognitionCriterion.Metric.PUBLISHED_NEWS
    formset = CriterionFormSet(
        criteria_data(recognition_criteria, **{metric: value}), queryset=RecognitionCriterion.objects.all()
    )

    assert not formset.is_valid()
    (form,) = [f for f in formset.forms if f.instance.metric == metric]
    assert form.has_error("threshold", code)
