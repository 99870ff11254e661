"""The sixty demo trainees (user names trainee_01 … trainee_60, not printed), and finding a demo worker
or trainee by the reference the other demo tables use."""

from __future__ import annotations

import datetime
from datetime import timedelta

from demo.accounts import ensure_user
from laborbrand.accounts import pii
from laborbrand.accounts.models import User

# Sixty demo trainees (user names trainee_01 … trainee_60; not printed): 1–34 women, 35–60 men, each with
# the county (of their ID number) they come from.
TRAINEE_NAMES = [
    # women
    ("王秀兰", "341503"),
    ("李桂芳", "341503"),
    ("张玉梅", "341503"),
    ("刘春燕", "341503"),
    ("陈小红", "341503"),
    ("杨丽娟", "341503"),
    ("黄翠英", "341503"),
    ("赵金凤", "341503"),
    ("周美玲", "341503"),
    ("吴晓静", "341503"),
    ("徐淑珍", "341502"),
    ("孙海燕", "341502"),
    ("胡月娥", "341503"),
    ("朱慧敏", "341503"),
    ("高红霞", "341503"),
    ("林巧云", "341503"),
    ("何素琴", "341524"),
    ("郭丽萍", "341524"),
    ("马晓燕", "341524"),
    ("罗桂香", "341524"),
    ("梁雪梅", "341525"),
    ("宋佳慧", "341525"),
    ("郑兰英", "341525"),
    ("谢雨欣", "341525"),
    ("韩凤霞", "341522"),
    ("唐秀云", "341522"),
    ("冯爱华", "341522"),
    ("于晓莉", "341522"),
    ("董春梅", "341522"),
    ("萧玉兰", "341522"),
    ("程慧芳", "341524"),
    ("曹丽华", "341524"),
    ("袁小琴", "341524"),
    ("邓桂兰", "341524"),
    # men
    ("许建华", "341524"),
    ("傅志刚", "341524"),
    ("沈国强", "341524"),
    ("曾海波", "341524"),
    ("彭家俊", "341523"),
    ("吕文军", "341523"),
    ("苏宏伟", "341523"),
    ("卢晓东", "341523"),
    ("蒋德胜", "341523"),
    ("蔡俊杰", "341523"),
    ("贾永生", "341523"),
    ("丁明亮", "341523"),
    ("魏长青", "341525"),
    ("薛立新", "341525"),
    ("叶成林", "341525"),
    ("阎振宇", "341525"),
    ("余国华", "341502"),
    ("潘志强", "341502"),
    ("杜鹏飞", "341502"),
    ("戴宇航", "341502"),
    ("夏子豪", "341502"),
    ("钟浩然", "341502"),
    ("汪世杰", "341502"),
    ("田文博", "341502"),
    ("任俊峰", "341523"),
    ("姜天佑", "341523"),
]
FIRST_MAN = 35


def trainee_username(n: int) -> str:
    return f"trainee_{n:02d}"


def _trainee_id_number(n: int, region: str) -> str:
    """A valid 18-digit ID number: born 2000–2006, with the sex digit odd for men and even for women."""
    birth = datetime.date(2000, 1, 3) + timedelta(days=(n * 139) % 2550)
    sex_digit = (2 * (n % 5) + 1) if n >= FIRST_MAN else 2 * (n % 5)
    body = f"{region}{birth:%Y%m%d}{n:02d}{sex_digit}"
    return pii.validate_id_number(body + pii.id_number_check_character(body))


def ensure_trainees(ctx) -> dict[int, User]:
    trainees = {}
    for n, (name, region) in enumerate(TRAINEE_NAMES, start=1):
        username = trainee_username(n)
        trainees[n], _ = ensure_user(
            ctx,
            username=username,
            listed=False,
            role=User.Role.WORKER,
            real_name=name,
            phone=f"137000000{n:02d}",
            id_number=_trainee_id_number(n, region),
            privacy_consent=True,
        )
    return trainees


def demo_worker(ref: int | str) -> User | None:
    """A demo worker by user name, or a demo trainee by number."""
    return User.objects.filter(username=ref if isinstance(ref, str) else trainee_username(ref)).first()
