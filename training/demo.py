from laborbrand.accounts.demo import ensure_user
from laborbrand.accounts.models import User
from laborbrand.reference.models import County
from training.models import Institution

INSTITUTIONS = [
    (
        "institution_a",
        {
            "name": "金寨县职业技术学校",
            "kind": Institution.Kind.TECHNICAL_SCHOOL,
            "county": "341524",
            "credit_code": "12341524MB1A2B3C4A",
            "contact_name": "周明",
            "contact_phone": "0564-7012345",
            "address": "金寨县梅山镇",
        },
    ),
    (
        "institution_b",
        {
            "name": "霍山县家政服务培训中心",
            "kind": Institution.Kind.PRIVATE,
            "county": "341525",
            "credit_code": "52341525MJ00123455",
            "contact_name": "吴静",
            "contact_phone": "0564-5023456",
            "address": "霍山县衡山镇",
        },
    ),
]


def seed(ctx):
    for username, spec in INSTITUTIONS:
        spec = {**spec, "county": County.objects.get(code=spec["county"])}
        user, _ = ensure_user(
            ctx,
            username=username,
            role=User.Role.INSTITUTION_STAFF,
            real_name=spec["contact_name"],
            email=f"{username}@example.com",
        )
        institution, _created = Institution.objects.get_or_create(
            credit_code=spec["credit_code"], defaults=spec
        )
        institution.staff.add(user)
