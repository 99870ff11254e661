"""Helpers for the county officials' brand page tests (tests/brands/test_views_official_*.py): the
statuses and dimensions, the news manage list's URL and the messages a response added."""

from django.contrib.messages import get_messages
from django.urls import reverse

from brands.models import Brand, BrandStandard

Status = Brand.Status
Dimension = BrandStandard.Dimension
NEWS_MANAGE_LIST = reverse("brands:news_manage_list")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]
