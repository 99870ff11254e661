"""The demo's applications told as stories, for the demo accounts to find: which worker applies to which
posting, when, and how far it gets."""

from __future__ import annotations

from jobs.models import Application

Status = Application.Status

# Applications told as stories: worker_a's (a cross-province hire after last year's fair, then looking
# nearer home with a new certificate), worker_b's, and employer_a's applicants. "posting" is the planned
# posting's key (employer:occupation:nth); "applied" days ago (at the fair for a fair posting) and "span"
# the days from applying to the last step.
SCENARIOS = [
    {
        "worker": "worker_a",
        "posting": "emp_13:电子设备装接工:earlier0",
        "status": Status.HIRED,
        "span": 12,
    },
    {
        "worker": "worker_a",
        "posting": "emp_4:电子产品装调工:0",
        "status": Status.INTERVIEW,
        "applied": 6,
        "span": 4,
        "notes": {
            Status.INTERVIEW: "请于下周二上午9:00到杭埠经济开发区厂区人事部面试，携带身份证和技能证书。"
        },
    },
    {
        "worker": "worker_a",
        "posting": "emp_8:电子设备装接工:1",
        "status": Status.VIEWED,
        "applied": 9,
        "span": 2,
    },
    {
        "worker": "worker_a",
        "posting": "emp_4:工业机器人系统操作员:0",
        "status": Status.REJECTED,
        "applied": 14,
        "span": 5,
        "notes": {Status.REJECTED: "该岗位需要有工业机器人示教经验，欢迎完成工业机器人培训后再次申请。"},
    },
    {"worker": "worker_a", "posting": "emp_8:电子产品装调工:1", "status": Status.SUBMITTED, "applied": 1},
    {"worker": "worker_b", "posting": "emp_3:茶艺师:0", "status": Status.VIEWED, "applied": 5, "span": 1},
    {
        "worker": "worker_b",
        "posting": "emp_3:茶叶加工工:0",
        "status": Status.WITHDRAWN,
        "applied": 12,
        "span": 3,
    },
    {
        "worker": "trainee_12",
        "posting": "employer_a:钳工:0",
        "status": Status.HIRED,
        "applied": 34,
        "span": 14,
        "notes": {Status.HIRED: "学徒期满考核合格，已签订劳动合同，欢迎正式入职。"},
    },
    {
        "worker": "trainee_56",
        "posting": "employer_a:数控车工:0",
        "status": Status.INTERVIEW,
        "applied": 5,
        "span": 2,
        "notes": {Status.INTERVIEW: "请于周五上午8:30到金安区三十铺镇厂区参加数控车床实操考核。"},
    },
    {"worker": "trainee_57", "posting": "employer_a:数控车工:0", "status": Status.SUBMITTED, "applied": 2},
    {
        "worker": "trainee_58",
        "posting": "employer_a:数控车工:0",
        "status": Status.VIEWED,
        "applied": 4,
        "span": 1,
    },
    {
        "worker": "trainee_35",
        "posting": "employer_a:钳工:0",
        "status": Status.OFFERED,
        "applied": 16,
        "span": 9,
        "notes": {Status.OFFERED: "月薪6,500元，试用期两个月，请于三日内答复。"},
    },
    {
        "worker": "trainee_36",
        "posting": "employer_a:钳工:0",
        "status": Status.REJECTED,
        "applied": 20,
        "span": 6,
    },
    {"worker": "trainee_46", "posting": "employer_a:焊工:0", "status": Status.SUBMITTED, "applied": 3},
    {
        "worker": "trainee_38",
        "posting": "employer_a:加工中心操作工:0",
        "status": Status.WITHDRAWN,
        "applied": 11,
        "span": 2,
    },
]

# How many days ago each scenario posting's first story application was made.
SCENARIO_AGES = {
    key: max(spec.get("applied", 0) for spec in SCENARIOS if spec["posting"] == key)
    for key in {spec["posting"] for spec in SCENARIOS}
}
