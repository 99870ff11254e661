"""Names the brand service tests (tests/brands/test_services_*.py) share: the brand statuses and the
standards' dimensions."""

from brands.models import Brand, BrandStandard

Status = Brand.Status
Dimension = BrandStandard.Dimension
