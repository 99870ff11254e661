"""The demo's eight training institutions, their staff accounts and their admission applications (the
applications themselves are in `demo.training.admission`)."""

from __future__ import annotations

from demo.accounts import ensure_user
from demo.common import credit_code
from demo.training.admission import APPLICATIONS, apply
from laborbrand.accounts.models import User
from laborbrand.reference.models import County
from training.models import Institution

Kind = Institution.Kind

# The two demo institution accounts (printed by seed_demo) and their institutions.
INSTITUTIONS = [
    (
        "institution_a",
        {
            "name": "金寨县职业技术学校",
            "kind": Kind.TECHNICAL_SCHOOL,
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
            "kind": Kind.PRIVATE,
            "county": "341525",
            "credit_code": "52341525MJ00123455",
            "contact_name": "吴静",
            "contact_phone": "0564-5023456",
            "address": "霍山县衡山镇",
        },
    ),
]

# The other six institutions: staff accounts exist (so the applications are really submitted by the
# institution) but are not among the printed demo accounts.
MORE_INSTITUTIONS = [
    (
        "inst_3",
        {
            "name": "金安区机电职业技术学院",
            "kind": Kind.VOCATIONAL_COLLEGE,
            "county": "341502",
            "credit_code": credit_code("12341502MB0K27351"),
            "contact_name": "方国庆",
            "contact_phone": "0564-3361024",
            "address": "金安区三十铺镇职教园",
        },
    ),
    (
        "inst_4",
        {
            "name": "裕安区巾帼家政职业培训学校",
            "kind": Kind.PRIVATE,
            "county": "341503",
            "credit_code": credit_code("52341503MJ0R48612"),
            "contact_name": "何丽",
            "contact_phone": "0564-3318802",
            "address": "裕安区苏埠镇",
        },
    ),
    (
        "inst_5",
        {
            "name": "叶集区木业职业技能培训中心",
            "kind": Kind.ENTERPRISE_CENTRE,
            "county": "341504",
            "credit_code": credit_code("91341504MA2T6N3Q8"),
            "contact_name": "邵文斌",
            "contact_phone": "0564-6625310",
            "address": "叶集区孙岗镇家居产业园",
        },
    ),
    (
        "inst_6",
        {
            "name": "霍邱县柳编电商职业培训学校",
            "kind": Kind.PRIVATE,
            "county": "341522",
            "credit_code": credit_code("52341522MJ0W7C5H1"),
            "contact_name": "蒋红梅",
            "contact_phone": "0564-6078215",
            "address": "霍邱县临水镇",
        },
    ),
    (
        "inst_7",
        {
            "name": "舒城县杭埠电子产业实训中心",
            "kind": Kind.ENTERPRISE_CENTRE,
            "county": "341523",
            "credit_code": credit_code("91341523MA2U8E1L3"),
            "contact_name": "汪海涛",
            "contact_phone": "0564-8702196",
            "address": "舒城县杭埠镇经济开发区",
        },
    ),
    (
        "inst_8",
        {
            "name": "霍山县技工学校",
            "kind": Kind.TECHNICAL_SCHOOL,
            "county": "341525",
            "credit_code": credit_code("12341525MB0P5D2G6"),
            "contact_name": "储德发",
            "contact_phone": "0564-5029638",
            "address": "霍山县佛子岭镇",
        },
    ),
]


def _institution(ctx, username: str, spec: dict, *, listed: bool) -> tuple[Institution, User]:
    spec = {**spec, "county": County.objects.get(code=spec["county"])}
    fields = {
        "role": User.Role.INSTITUTION_STAFF,
        "real_name": spec["contact_name"],
        "email": f"{username}@example.com",
    }
    user, _ = ensure_user(ctx, username=username, listed=listed, **fields)
    institution, _created = Institution.objects.get_or_create(credit_code=spec["credit_code"], defaults=spec)
    institution.staff.add(user)
    return institution, user


def seed_institutions(ctx) -> dict[str, Institution]:
    """Each institution by its staff user name, with its application submitted and decided if it had none."""
    admin = User.objects.get(username="city_admin")
    institutions = {}
    for listed, items in ((True, INSTITUTIONS), (False, MORE_INSTITUTIONS)):
        for username, spec in items:
            institution, staff = _institution(ctx, username, spec, listed=listed)
            institutions[username] = institution
            if not institution.applications.exists():
                apply(institution, staff, admin, APPLICATIONS[username])
    for institution in institutions.values():
        institution.refresh_from_db()
    return institutions
