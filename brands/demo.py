"""Demo labour brands for the seven counties of 六安市, spread across the lifecycle.

Every brand is created and moved through `brands.services`, acting as the county's demo official (金寨县,
霍山县) or the city admin (the other counties, which have no demo official), so that history, lifecycle
events and notifications are the real ones. A brand that exists already is left exactly as it is, with its
standards and news: rerunning changes nothing.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from brands import services
from brands.models import Brand, BrandNews, BrandStandard
from laborbrand.accounts.models import User
from laborbrand.reference.models import County, Occupation, OccupationCategory, Township

Status = Brand.Status
ETHICS = BrandStandard.Dimension.ETHICS
SKILL = BrandStandard.Dimension.SKILL
SERVICE = BrandStandard.Dimension.SERVICE
Measure = BrandStandard.Measure

# Counties with a demo official act through that official; the others through the city admin.
OFFICIALS = {"341524": "official_a", "341525": "official_b"}

# The moves that lead from a new draft to each status (every one after "submitted" is the city's).
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.RETURNED: [Status.SUBMITTED, Status.RETURNED],
    Status.REJECTED: [Status.SUBMITTED, Status.REJECTED],
    Status.CULTIVATING: [Status.SUBMITTED, Status.CULTIVATING],
    Status.RECOGNISED: [Status.SUBMITTED, Status.CULTIVATING, Status.RECOGNISED],
    Status.RETIRED: [Status.SUBMITTED, Status.CULTIVATING, Status.RETIRED],
}

BRANDS = [
    {
        "county": "341502",
        "name": "金安机械加工",
        "township": "三十铺镇",
        "category": "machining",
        "occupations": ["数控车工", "钳工", "加工中心操作工"],
        "slogan": "金安精工，匠心制造",
        "description": (
            "金安区机械加工产业基础扎实，三十铺镇周边聚集了数十家汽车零部件和通用设备配套企业。"
            "品牌依托区内技工院校，开展数控车削、钳工装配和加工中心操作培训，"
            "以“理论够用、实训为主”为原则，让学员毕业即能上岗。"
            "目标是培养一批看得懂图纸、守得住精度的本地机械加工技工。"
        ),
        "status": Status.CULTIVATING,
        "reasons": {Status.CULTIVATING: "标准完整、培训资源落实，同意列为培育对象。"},
        "logo": ("#1f4e79", "gear"),
        "standards": [
            (
                ETHICS,
                "遵守安全生产操作规程和企业劳动纪律，参加职业道德专题培训。",
                Measure.MIN_ETHICS_HOURS,
                8,
            ),
            (SKILL, "培训周期不少于3个月。", Measure.MIN_TRAINING_MONTHS, 3),
            (SKILL, "实训课时占总课时的比例不低于60%。", Measure.MIN_PRACTICAL_SHARE, 60),
            (SKILL, "结业时取得四级/中级工及以上职业技能等级证书。", Measure.MIN_CERTIFICATE_LEVEL, 2),
            (SERVICE, "按图纸和工艺文件加工，首件自检合格后方可批量生产。", "", None),
            (SERVICE, "做到工完、料净、场地清，量具刃具定置摆放。", "", None),
        ],
        "news": [
            (
                40,
                "金安机械加工品牌首期数控车工培训班开班",
                "首期培训班招收学员42名，培训为期3个月，实训课时占比超过六成。",
                "近日，金安机械加工品牌首期数控车工培训班在区职业技术学校开班，42名学员参加培训。\n\n"
                "培训为期3个月，安排理论教学与车间实训交替进行，实训课时占比超过六成。"
                "结业考核合格的学员将参加四级/中级工职业技能等级认定。",
            ),
            (
                12,
                "区内五家配套企业与品牌签订用工意向",
                "五家汽车零部件企业提出首批用工需求，优先录用品牌培训合格学员。",
                "在区人社局组织的校企对接活动中，五家汽车零部件和通用设备企业与金安机械加工品牌签订用工意向，"
                "提出首批用工需求。\n\n企业表示，将优先录用取得职业技能等级证书的品牌学员，"
                "并安排师傅“一带一”帮助新员工尽快适应岗位。",
            ),
        ],
    },
    {
        "county": "341503",
        "name": "裕安家政服务",
        "township": "苏埠镇",
        "category": "domestic",
        "occupations": ["家政服务员", "保洁员", "收纳整理师"],
        "slogan": "裕安家政，用心到家",
        "description": (
            "裕安家政服务品牌面向城乡富余劳动力和返乡妇女，提供家庭保洁、收纳整理和日常照料等技能培训。"
            "学员经培训考核后持证上岗，由合作家政企业统一派单、统一回访。"
            "品牌倡导“守时、守信、守规矩”，让雇主放心、让从业者有尊严。"
        ),
        "status": Status.CULTIVATING,
        "reasons": {},
        "logo": None,
        "standards": [
            (ETHICS, "尊重雇主隐私，不打听、不传播家庭信息。", Measure.MIN_ETHICS_HOURS, 12),
            (SKILL, "培训周期不少于1个月，实操训练贯穿全程。", Measure.MIN_TRAINING_MONTHS, 1),
            (SKILL, "取得五级/初级工及以上职业技能等级证书后上岗。", Measure.MIN_CERTIFICATE_LEVEL, 1),
            (SERVICE, "上门服务统一着装、佩戴工牌，服务前后与雇主确认服务内容。", "", None),
        ],
        "news": [
            (
                33,
                "裕安家政服务品牌走进苏埠镇开展技能培训",
                "培训课程覆盖家庭保洁、收纳整理和老人日常照料，60余名妇女报名参加。",
                "裕安家政服务品牌培训课堂走进苏埠镇，为当地妇女开展为期一个月的家政技能培训。\n\n"
                "课程涵盖家庭保洁、收纳整理、老人日常照料和安全常识，授课老师以示范操作为主，"
                "学员分组反复练习。60余名妇女报名参加。",
            ),
            (
                6,
                "首批持证家政服务员赴长三角城市上岗",
                "23名学员取得职业技能等级证书，通过劳务协作赴苏州、杭州等地上岗。",
                "经过培训和考核，裕安家政服务品牌首批23名学员取得家政服务员职业技能等级证书。\n\n"
                "在区人社局牵线下，学员通过劳务协作赴苏州、杭州等地家政企业上岗，"
                "企业为其缴纳社会保险并提供住宿。",
            ),
        ],
    },
    {
        "county": "341504",
        "name": "叶集木作工匠",
        "township": "孙岗镇",
        "category": "handicrafts",
        "occupations": ["手工木工", "工艺品雕刻工"],
        "slogan": "叶集木作，一木一匠心",
        "description": (
            "叶集区木材加工和家具制造产业兴旺，当地木工手艺代代相传。"
            "品牌计划以手工木工和木雕为主，培养既懂传统榫卯工艺、又会现代家具制作的木作工匠。"
            "目前品牌已提交市局审核。"
        ),
        "status": Status.SUBMITTED,
        "reasons": {},
        "logo": ("#7c4a1e", "stripes"),
        "standards": [
            (ETHICS, "传承工匠精神，用料诚信，不以次充好。", Measure.MIN_ETHICS_HOURS, 8),
            (SKILL, "培训周期不少于4个月，掌握常用榫卯结构制作。", Measure.MIN_TRAINING_MONTHS, 4),
            (SKILL, "实训课时占总课时的比例不低于70%。", Measure.MIN_PRACTICAL_SHARE, 70),
            (SERVICE, "安全使用木工机械，作业时佩戴防护用品，做好粉尘防护。", "", None),
        ],
        "news": [],
    },
    {
        "county": "341522",
        "name": "霍邱柳编匠人",
        "township": "临水镇",
        "category": "handicrafts",
        "occupations": ["竹编工艺师", "电子商务师"],
        "slogan": "一根柳条，编出好日子",
        "description": (
            "霍邱县临水镇柳编历史悠久，产品远销海外。"
            "品牌把传统编织手艺与电商销售结合起来，组织留守妇女和中老年劳动者在家门口就业。"
            "培训既教编织技法，也教网店运营和直播销售，让手艺人增收有门路。"
        ),
        "status": Status.CULTIVATING,
        "reasons": {Status.CULTIVATING: "特色鲜明、带动就业效果好，同意列为培育对象。"},
        "logo": ("#6b8e23", "weave"),
        "standards": [
            (ETHICS, "诚信经营，如实描述产品材质和工艺，不虚假宣传。", Measure.MIN_ETHICS_HOURS, 6),
            (
                SKILL,
                "培训周期不少于2个月，掌握至少三种基本编织技法，能独立完成一件完整作品。",
                Measure.MIN_TRAINING_MONTHS,
                2,
            ),
            (SKILL, "实训课时占总课时的比例不低于60%。", Measure.MIN_PRACTICAL_SHARE, 60),
            (SERVICE, "按订单约定的规格、数量和交期交货，出现质量问题及时返修。", "", None),
        ],
        "news": [
            (
                28,
                "临水镇柳编技艺培训班结业",
                "45名学员完成两个月培训，多数已承接合作企业的加工订单。",
                "霍邱柳编匠人品牌在临水镇举办的柳编技艺培训班近日结业，45名学员完成为期两个月的培训。\n\n"
                "培训期间，老艺人手把手传授编织技法，学员完成了果篮、收纳筐等作品。"
                "目前多数学员已承接合作企业的加工订单，实现在家门口就业。",
            ),
            (
                9,
                "柳编手艺人学直播，线上订单明显增加",
                "品牌开设电商直播课程，帮助手艺人把柳编产品卖到全国。",
                "为拓宽销路，霍邱柳编匠人品牌开设电商直播课程，邀请电商企业讲师讲解选品、拍摄和直播技巧。\n\n"
                "参加培训的手艺人表示，学会直播后线上订单明显增加，编织手艺有了更好的收入。",
            ),
        ],
    },
    {
        "county": "341522",
        "name": "霍邱建筑劳务",
        "township": None,
        "category": "construction",
        "occupations": ["钢筋工", "砌筑工", "架子工"],
        "slogan": "霍邱建工，筑梦四方",
        "description": (
            "霍邱县外出从事建筑施工的劳动者较多，品牌拟以钢筋工、砌筑工和架子工为主开展培训。"
            "申报材料提出组织劳动者统一持证、统一输出。"
        ),
        "status": Status.REJECTED,
        "reasons": {
            Status.REJECTED: (
                "技能标准只提出持证要求，缺少培训周期和实训比例等可衡量指标，也未落实合作培训机构。"
                "建议结合本县优势工种重新谋划后另行申报。"
            )
        },
        "logo": None,
        "standards": [
            (ETHICS, "遵守施工现场安全管理制度。", "", None),
            (SKILL, "持证上岗。", Measure.MIN_CERTIFICATE_LEVEL, 1),
            (SERVICE, "服从现场管理。", "", None),
        ],
        "news": [],
    },
    {
        "county": "341523",
        "name": "舒城电子装配工",
        "township": "杭埠镇",
        "category": "electrical",
        "occupations": ["电子设备装接工", "电子产品装调工", "工业机器人系统操作员"],
        "slogan": "舒城巧手，精装电子",
        "description": (
            "舒城县杭埠镇电子信息产业集聚，企业对熟练装配工和设备操作员需求旺盛。"
            "品牌联合园区企业和职业学校开展订单式培训，课程按企业生产线设置，学员在真实产线上实训。"
            "经过几年培育，品牌学员已成为园区电子企业的骨干力量。"
        ),
        "status": Status.RECOGNISED,
        "reasons": {
            Status.CULTIVATING: "同意列为培育对象。",
            Status.RECOGNISED: (
                "品牌多年来培训、取证和劳务输出成效明显，县人社局报送的线下台账可以印证；平台上线不久，"
                "相关数据尚在积累，经市局研究予以认定。"
            ),
        },
        "logo": ("#0b5394", "grid"),
        "standards": [
            (ETHICS, "遵守防静电和质量管理制度，爱岗敬业、团结协作。", Measure.MIN_ETHICS_HOURS, 8),
            (SKILL, "培训周期不少于3个月，其中产线实训不少于6周。", Measure.MIN_TRAINING_MONTHS, 3),
            (SKILL, "实训课时占总课时的比例不低于65%。", Measure.MIN_PRACTICAL_SHARE, 65),
            (SKILL, "结业时取得四级/中级工及以上职业技能等级证书。", Measure.MIN_CERTIFICATE_LEVEL, 2),
            (SERVICE, "严格按作业指导书操作，自检、互检合格后流入下道工序。", "", None),
        ],
        "news": [
            (
                52,
                "舒城电子装配工品牌通过市级认定",
                "经市人社局审核，舒城电子装配工品牌被认定为市级劳务品牌。",
                "经县级申报、市级审核，舒城电子装配工品牌通过认定，成为市级劳务品牌。\n\n"
                "县人社局表示，将继续联合园区企业和职业学校扩大订单式培训规模，"
                "推动更多品牌学员取得高级工证书。",
            ),
            (
                21,
                "杭埠园区企业专场招聘会吸引千余人参加",
                "20家电子企业提供装配、调试和设备操作岗位800余个。",
                "舒城电子装配工品牌专场招聘会在杭埠镇举行，20家电子企业提供装配、调试和设备操作岗位800余个，"
                "吸引千余名求职者参加。\n\n现场设置了品牌学员专区，持证学员可直接与企业面谈。",
            ),
            (
                3,
                "工业机器人操作员培训班开班",
                "首期工业机器人系统操作员培训班招收学员30名，目标取得三级/高级工证书。",
                "为适应企业智能化改造需求，舒城电子装配工品牌开设工业机器人系统操作员培训班，"
                "首期招收学员30名。\n\n培训在合作企业的智能产线上进行，目标是让学员取得三级/高级工证书。",
            ),
        ],
    },
    {
        "county": "341523",
        "name": "舒城民宿管家",
        "township": None,
        "category": "hospitality",
        "occupations": ["民宿管家", "客房服务员", "中式烹调师"],
        "slogan": "山水舒城，宾至如归",
        "description": (
            "舒城县乡村旅游发展较快，民宿数量逐年增加，但专业的民宿管家和服务人员不足。"
            "品牌拟培养懂接待、会烹饪、能讲好本地故事的民宿服务人才。"
        ),
        "status": Status.RETURNED,
        "reasons": {
            Status.RETURNED: (
                "服务规范只有一条原则性要求，请补充接待、卫生和消防安全方面的具体规范；"
                "技能标准请明确最低培训周期和实训比例后重新提交。"
            )
        },
        "logo": None,
        "standards": [
            (ETHICS, "热情待客，明码标价，不欺客宰客。", "", None),
            (SKILL, "取得五级/初级工及以上职业技能等级证书。", Measure.MIN_CERTIFICATE_LEVEL, 1),
            (SERVICE, "为客人提供优质服务。", "", None),
        ],
        "news": [],
    },
    {
        "county": "341524",
        "name": "金寨红嫂家政",
        "township": "梅山镇",
        "category": "domestic",
        "occupations": ["家政服务员", "育婴员", "养老护理员"],
        "slogan": "红嫂精神，温暖万家",
        "description": (
            "金寨是革命老区，“红嫂”吃苦耐劳、热心助人的精神在这里代代相传。"
            "金寨红嫂家政品牌以此为名，组织当地妇女学习家政服务、母婴护理和养老护理技能。"
            "学员经培训取证后，通过劳务协作到长三角城市上岗，也在县内养老机构就近就业。"
        ),
        "status": Status.RECOGNISED,
        "reasons": {
            Status.CULTIVATING: "同意列为培育对象。",
            Status.RECOGNISED: (
                "品牌影响力和就业带动效果突出，有线下台账为证；平台数据尚在积累，经市局研究予以认定。"
            ),
        },
        "logo": ("#9b1c1c", "heart"),
        "standards": [
            (ETHICS, "传承红嫂精神，诚实守信，尊重服务对象。", Measure.MIN_ETHICS_HOURS, 12),
            (ETHICS, "保护雇主家庭隐私，不泄露服务对象个人信息。", "", None),
            (SKILL, "培训周期不少于2个月。", Measure.MIN_TRAINING_MONTHS, 2),
            (SKILL, "实操训练课时占比不低于50%。", Measure.MIN_PRACTICAL_SHARE, 50),
            (SKILL, "取得四级/中级工及以上职业技能等级证书。", Measure.MIN_CERTIFICATE_LEVEL, 2),
            (SERVICE, "持健康证、技能证上岗，服务合同约定内容清楚，定期回访。", "", None),
        ],
        "news": [
            (
                60,
                "金寨红嫂家政品牌获市级认定",
                "金寨红嫂家政品牌被认定为市级劳务品牌。",
                "经市人社局审核，金寨红嫂家政品牌通过认定。\n\n"
                "近年来，品牌累计组织多期家政、母婴和养老护理培训，学员在长三角城市和县内养老机构就业，"
                "“金寨红嫂”逐渐成为雇主信得过的家政名片。",
            ),
            (
                25,
                "“金寨红嫂”育婴员培训班在梅山镇开班",
                "培训为期两个月，重点学习婴幼儿生活照料和早期发展指导。",
                "金寨红嫂家政品牌育婴员培训班在梅山镇开班，50名学员参加培训。\n\n"
                "培训为期两个月，重点学习婴幼儿生活照料、保健护理和早期发展指导，"
                "结业后组织参加育婴员职业技能等级认定。",
            ),
            (
                4,
                "苏州家政企业来金寨招聘“红嫂”",
                "长三角家政企业到金寨举办专场招聘，提供住家保姆、育婴员等岗位。",
                "在长三角劳务协作框架下，苏州多家家政企业来到金寨举办专场招聘，"
                "提供住家保姆、育婴员和养老护理员等岗位。\n\n"
                "企业负责人表示，金寨红嫂踏实肯干、口碑好，希望长期合作。",
            ),
        ],
        "drafts": [
            (
                "金寨红嫂家政品牌年度总结（草稿）",
                "",
                "本年度品牌培训、取证和就业情况总结，待数据核实后发布。",
            ),
        ],
    },
    {
        "county": "341524",
        "name": "金寨数控技工",
        "township": None,
        "category": "machining",
        "occupations": ["数控车工", "数控铣工"],
        "slogan": "老区新技工",
        "description": (
            "金寨县现代产业园引进了一批装备制造企业，对数控操作人员需求增加。"
            "品牌拟依托县职业技术学校的数控实训基地，培养本地数控技工。"
        ),
        "status": Status.DRAFT,
        "reasons": {},
        "logo": None,
        "standards": [
            (SKILL, "培训周期不少于3个月。", Measure.MIN_TRAINING_MONTHS, 3),
            (SKILL, "实训课时占总课时的比例不低于60%。", Measure.MIN_PRACTICAL_SHARE, 60),
        ],
        "news": [],
    },
    {
        "county": "341525",
        "name": "霍山黄芽茶艺师",
        "township": None,
        "category": "hospitality",
        "occupations": ["茶艺师", "茶叶加工工"],
        "slogan": "一杯黄芽茶，一门好手艺",
        "description": (
            "霍山黄芽是全国知名的黄茶，种茶、制茶是霍山山区群众的传统营生。"
            "品牌围绕茶叶加工和茶艺服务开展培训，让茶农既会做好茶、也会泡好茶、讲好茶。"
            "品牌学员活跃在县内茶企、茶馆，也在长三角城市的茶空间就业。"
        ),
        "status": Status.RECOGNISED,
        "reasons": {
            Status.CULTIVATING: "同意列为培育对象。",
            Status.RECOGNISED: (
                "地域特色鲜明，培训和就业成效明显，有线下台账为证；平台数据尚在积累，经市局研究予以认定。"
            ),
        },
        "logo": ("#3d7a2a", "leaf"),
        "standards": [
            (ETHICS, "尊重茶文化，讲解产品如实准确，不夸大功效。", Measure.MIN_ETHICS_HOURS, 8),
            (SKILL, "培训周期不少于2个月，覆盖一个完整的春茶制作季。", Measure.MIN_TRAINING_MONTHS, 2),
            (SKILL, "实训课时占总课时的比例不低于60%。", Measure.MIN_PRACTICAL_SHARE, 60),
            (SKILL, "取得三级/高级工及以上茶艺师或茶叶加工工证书。", Measure.MIN_CERTIFICATE_LEVEL, 3),
            (SERVICE, "茶事服务仪容整洁、礼仪规范，器具洁净消毒。", "", None),
        ],
        "news": [
            (
                70,
                "霍山黄芽茶艺师品牌通过市级认定",
                "霍山黄芽茶艺师品牌被认定为市级劳务品牌。",
                "经市人社局审核，霍山黄芽茶艺师品牌通过认定。\n\n"
                "县人社局表示，将以品牌为抓手，进一步扩大茶艺和茶叶加工培训规模，带动更多山区群众就业增收。",
            ),
            (
                35,
                "春茶季制茶技能培训走进茶园",
                "培训师傅在茶园和加工厂现场教学，学员参与杀青、闷黄等关键工序。",
                "春茶开采时节，霍山黄芽茶艺师品牌把制茶技能培训搬进茶园和加工厂。\n\n"
                "培训师傅现场讲解鲜叶采摘标准和杀青、闷黄等关键工序，学员跟班实操，"
                "一个茶季下来掌握了黄芽加工的全过程。",
            ),
            (
                14,
                "霍山黄芽茶艺师技能竞赛举行",
                "36名选手参加茶艺和制茶两个项目比赛，优胜者可按规定申报晋升技能等级。",
                "霍山黄芽茶艺师技能竞赛在县城举行，36名选手参加茶艺和制茶两个项目的比赛。\n\n"
                "比赛设理论知识和实际操作两部分，优胜选手可按规定申报晋升职业技能等级。",
            ),
        ],
    },
    {
        "county": "341525",
        "name": "霍山石斛种植技工",
        "township": None,
        "category": "agriculture",
        "occupations": ["农业技术员", "电子商务师"],
        "slogan": "仙草之乡，技艺兴农",
        "description": (
            "霍山石斛是国家地理标志产品，仿野生种植对技术要求高。"
            "品牌培养掌握石斛组培、移栽、管护和采收加工技术的种植技工，并培训电商销售技能。"
            "学员多在县内石斛基地和合作社就业。"
        ),
        "status": Status.CULTIVATING,
        "reasons": {},
        "logo": None,
        "standards": [
            (ETHICS, "规范使用农业投入品，守护产品质量安全和品牌声誉。", Measure.MIN_ETHICS_HOURS, 6),
            (SKILL, "培训周期不少于3个月，覆盖移栽和管护关键期。", Measure.MIN_TRAINING_MONTHS, 3),
            (SKILL, "田间实训课时占总课时的比例不低于70%。", Measure.MIN_PRACTICAL_SHARE, 70),
            (SERVICE, "按基地生产技术规程作业，如实记录田间管理档案。", "", None),
        ],
        "news": [
            (
                45,
                "霍山石斛种植技工品牌列为市级培育对象",
                "品牌围绕石斛种植、管护和电商销售开展培训。",
                "霍山石斛种植技工品牌经市人社局审核，列为市级劳务品牌培育对象。\n\n"
                "品牌将联合石斛基地和合作社，开展组培、移栽、管护和采收加工技术培训。",
            ),
            (
                8,
                "石斛基地开展田间管护实训",
                "学员在基地技术员指导下学习遮阴、水分和病虫害管理。",
                "霍山石斛种植技工品牌组织学员在县内石斛基地开展田间实训。\n\n"
                "基地技术员讲解遮阴、水分和病虫害管理要点，学员分组负责苗床管护，"
                "并如实填写田间管理档案。",
            ),
        ],
    },
]


def _logo(colour: str, shape: str) -> SimpleUploadedFile:
    """A simple 256×256 PNG mark: a coloured tile with a white shape, no text."""
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=40, fill=colour)
    white = "#ffffff"
    if shape == "heart":
        draw.ellipse((58, 70, 134, 146), fill=white)
        draw.ellipse((122, 70, 198, 146), fill=white)
        draw.polygon([(62, 124), (194, 124), (128, 200)], fill=white)
    elif shape == "leaf":
        draw.ellipse((70, 50, 186, 206), fill=white)
        draw.line((128, 60, 128, 220), fill=colour, width=8)
    elif shape == "gear":
        for x0, y0, x1, y1 in [(112, 40, 144, 216), (40, 112, 216, 144)]:
            draw.rectangle((x0, y0, x1, y1), fill=white)
        draw.ellipse((68, 68, 188, 188), fill=white)
        draw.ellipse((104, 104, 152, 152), fill=colour)
    elif shape == "grid":
        for row in range(3):
            for col in range(3):
                x, y = 52 + col * 56, 52 + row * 56
                draw.rectangle((x, y, x + 40, y + 40), fill=white)
    elif shape == "weave":
        for i in range(4):
            draw.rectangle((48, 56 + i * 40, 208, 72 + i * 40), fill=white)
            draw.rectangle((56 + i * 44, 48, 68 + i * 44, 208), fill=white if i % 2 else colour)
    elif shape == "stripes":
        for i in range(5):
            draw.rounded_rectangle((48, 48 + i * 34, 208, 66 + i * 34), radius=8, fill=white)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def _occupations(names: list[str]) -> list[Occupation]:
    occupations = list(Occupation.objects.filter(name__in=names))
    if len(occupations) != len(names):
        missing = set(names) - {o.name for o in occupations}
        raise LookupError(f"Demo brand occupations missing from the reference data: {sorted(missing)}")
    return occupations


def _decide(brand: Brand, to: str, *, official: User, admin: User, reason: str) -> Brand:
    if to == Status.SUBMITTED:
        return services.brand_submit(brand=brand, actor=official)
    decide = {
        Status.CULTIVATING: services.brand_accept,
        Status.RECOGNISED: services.brand_recognise,
        Status.RETURNED: services.brand_return,
        Status.REJECTED: services.brand_reject,
        Status.RETIRED: services.brand_retire,
    }[to]
    return decide(brand=brand, actor=admin, reason=reason)


def _publish_news(brand: Brand, author: User, items, now) -> None:
    for days_ago, title, summary, body in items:
        news = services.news_create(brand=brand, author=author, title=title, summary=summary, body=body)
        # Spread the demo news over the past weeks, as if posted one by one.
        news.published_at = now - timedelta(days=days_ago)
        services.news_publish(news=news)
        BrandNews.objects.filter(pk=news.pk).update(created=news.published_at)


def seed(ctx) -> str:
    admin = User.objects.get(username="city_admin")
    officials = {code: User.objects.get(username=username) for code, username in OFFICIALS.items()}
    counties = {c.code: c for c in County.objects.all()}
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for spec in BRANDS:
        county = counties[spec["county"]]
        if Brand.objects.filter(county=county, name=spec["name"]).exists():
            continue
        official = officials.get(county.code, admin)
        brand = services.brand_create(
            actor=official,
            county=county,
            name=spec["name"],
            township=Township.objects.get(county=county, name=spec["township"]) if spec["township"] else None,
            category=OccupationCategory.objects.get(slug=spec["category"]),
            occupations=_occupations(spec["occupations"]),
            slogan=spec["slogan"],
            description=spec["description"],
            logo=_logo(*spec["logo"]) if spec["logo"] else None,
        )
        for dimension, requirement, measure, target in spec["standards"]:
            services.standard_add(
                brand=brand, dimension=dimension, requirement=requirement, measure=measure, target=target
            )
        for to in PATHS[spec["status"]]:
            brand = _decide(brand, to, official=official, admin=admin, reason=spec["reasons"].get(to, ""))
        _publish_news(brand, official, spec["news"], now)
        for title, summary, body in spec.get("drafts", []):
            services.news_create(brand=brand, author=official, title=title, summary=summary, body=body)
    return f"{Brand.objects.count()} brands, {BrandNews.objects.published().count()} published news items"
