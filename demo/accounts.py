"""Demo accounts of the city and county bureaux, a member of the programme's leading group, and two
workers."""

from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify, user_create
from laborbrand.reference.models import County

Role = User.Role

WELCOME_TITLE = "欢迎使用劳务品牌就业服务网"
WELCOME_BODY = "这是演示账号，数据均为虚构。"

# Demo identities: valid check digits, invented people.
ACCOUNTS = [
    {
        "username": "city_admin",
        "role": Role.CITY_ADMIN,
        "real_name": "王建国",
        "email": "city_admin@example.com",
    },
    {
        "username": "official_a",
        "role": Role.COUNTY_OFFICIAL,
        "real_name": "李春华",
        "county": "341524",
        "email": "official_a@example.com",
    },
    {
        "username": "official_b",
        "role": Role.COUNTY_OFFICIAL,
        "real_name": "陈志强",
        "county": "341525",
        "email": "official_b@example.com",
    },
    {
        "username": "leader_a",
        "role": Role.LEADING_GROUP,
        "real_name": "周文静",
        "department": "市财政局",
        "email": "leader_a@example.com",
    },
    {
        "username": "worker_a",
        "role": Role.WORKER,
        "real_name": "张伟",
        "id_number": "341524200003150017",
        "phone": "13800000001",
        "consent": True,
    },
    {
        "username": "worker_b",
        "role": Role.WORKER,
        "real_name": "刘芳",
        "id_number": "341525200207080029",
        "phone": "13800000002",
        "consent": True,
    },
]


def ensure_user(ctx, *, username: str, role: str, listed: bool = True, **fields) -> tuple[User, bool]:
    """The demo user `username`, created with the demo password if missing; `listed` accounts are printed."""
    if listed:
        ctx["users"][username] = role
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing, False
    # The demo's numbers count as verified, so the demo workers sign in by phone and receive texts.
    user = user_create(
        username=username, password=None, role=role, phone_verified=bool(fields.get("phone")), **fields
    )
    # Every demo account has the same password: seed_demo hashes it once (a hash costs most of a second by
    # design). An update, not save(), so the account's history holds only its creation.
    user.password = ctx["password_hash"]
    User.objects.filter(pk=user.pk).update(password=user.password)
    return user, True


def seed(ctx) -> str:
    counties = {c.code: c for c in County.objects.all()}
    for spec in ACCOUNTS:
        spec = dict(spec)
        county = counties[spec.pop("county")] if "county" in spec else None
        consent = spec.pop("consent", False)
        department = spec.pop("department", "")
        user, created = ensure_user(ctx, county=county, privacy_consent=consent, **spec)
        if created and department:
            # user_create knows no department (only leading-group members have one): set it as the form does.
            User.objects.filter(pk=user.pk).update(department=department)
        if created:
            notify(recipient=user, title=WELCOME_TITLE, body=WELCOME_BODY, email=False)
    return f"{User.objects.count()} accounts"
