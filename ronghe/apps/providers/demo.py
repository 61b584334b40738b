"""Demo service providers for ``manage.py load_demo``: six providers of the four kinds with offerings
tagged on the GB/T 23020 frameworks' indicators, and requests from demo enterprises in every state —
the demo enterprise's own among them, one rated — so that ``demo_provider`` has an inbox and the
result pages list matching providers. Everything goes through the services (audit log included).
Names are invented (演示·…); no real company is meant.
"""

from __future__ import annotations

from ronghe.apps.organizations.services import create_organization
from ronghe.apps.providers import services

FRAMEWORKS = ("gbt23020-discrete", "gbt23020-process")
PROVIDERS = [  # name, region, category, summary, offerings: (name, kind, tags, regions, industries, price, references)
    ("演示·之江工业互联网平台有限公司", "330106", "platform",
     "面向离散制造的工业互联网平台，设备接入、数据采集与工业 App。", [
        ("设备联网与数据采集", "platform", ["JC1", "JC2"], ["330000"], [], (8, 30), "杭州某机床厂、宁波某注塑企业"),
        ("生产管控 MES 云服务", "platform", ["DX2", "DX6", "DX7"], ["330000"], ["34", "35", "38", "39"], (15, 60),
         "绍兴某纺机企业"),
        ("数据中台与经营分析", "platform", ["ZH5", "XT3"], ["330000", "320000"], [], (20, 80), ""),
    ]),
    ("演示·浙江工业云服务有限公司", "330106", "cloud", "工业云平台：研发设计、经营管理 SaaS 按需订阅。", [
        ("研发设计工具上云（CAD/CAE/PDM）", "service", ["DX1", "ZH4"], ["330000"], ["34", "35", "36", "38", "39"],
         (3, 12), ""),
        ("云 ERP 与财务业务一体化", "service", ["DX5", "DX3", "DX4", "ZH3"], ["330000"], [], (5, 25), "湖州某家具企业"),
    ]),
    ("演示·融智两化融合咨询有限公司", "330106", "consultancy", "两化融合管理体系贯标咨询、评估诊断与数字化转型规划。", [
        ("两化融合管理体系贯标咨询", "service", ["JC4", "JC5"], ["330000"], [], (10, 30), "已服务 40 余家企业"),
        ("数字化转型规划", "service", ["JC", "XT"], ["330000", "320000"], [], None, "面议"),
    ]),
    ("演示·安信工控安全技术有限公司", "320106", "solution", "工业控制系统安全防护与等级保护测评辅导。", [
        ("工控安全防护与等保辅导", "service", ["JC6"], ["320000", "330000", "310000"], [], (5, 20), ""),
    ]),
    ("演示·智链供应链协同平台有限公司", "440305", "platform", "产业链上下游协同、订单与物流协同平台。", [
        ("产业链协同平台", "platform", ["XT1", "ZH1"], [], [], (10, 50), "珠三角家电配套企业"),
    ]),
    ("演示·京能能源管理技术有限公司", "110105", "solution", "能源在线监测与能效优化。", [
        ("能源管理系统", "product", ["DX8"], ["110000", "130000"], [], (20, 60), ""),
    ]),
]


def load(enterprises, make_user) -> dict[str, int]:
    """Create the providers, their offerings and requests from ``enterprises`` (the first is the demo
    enterprise). Returns counts."""
    from ronghe.apps.organizations.models import Region

    loaded = set(Region.objects.values_list("code", flat=True))
    catalogue = []
    for k, (name, region, category, summary, offerings) in enumerate(PROVIDERS):
        org = create_organization(kind="provider", name=name, region_id=region if region in loaded else None)
        user = make_user("demo_provider" if k == 0 else f"demo_provider{k + 1}", org)
        p = services.register_provider(org, category=category, summary=summary, contact="400-000-0000",
                                       website="https://example.com", by=user)
        for title, kind, tags, regions, industries, price, references in offerings:
            if regions and not set(regions) & loaded:
                continue  # it serves no region loaded here (a small code table in tests)
            regions = [r for r in regions if r in loaded]
            o = services.save_offering(p, name=title, kind=kind, summary=summary, nationwide=not regions,
                                       regions=regions, industries=industries, references=references,
                                       price_from=price[0] if price else None, price_to=price[1] if price else None,
                                       price_note="" if price else "面议",
                                       tags=[(f, t) for f in FRAMEWORKS for t in tags], by=user)
            catalogue.append((o, user))
    for e in enterprises[:40]:  # the enterprises that send requests need a person to do it
        if not e.memberships.filter(role="manager").exists():
            make_user(f"demo_ent_{e.pk}", e)
    return {"providers": len(PROVIDERS), "offerings": len(catalogue),
            "requests": _requests(enterprises, catalogue)}


def _requests(enterprises, catalogue) -> int:
    """Requests of the first enterprises to offerings that match their diagnosis, taken to every state."""
    from ronghe.apps.assessments.models import Assessment

    by_offering = {o.pk: user for o, user in catalogue}
    plan = ["rated", "answered", "sent", "rated", "completed", "engaged", "declined", "withdrawn", "rated", "rated"]
    n = 0
    for e in enterprises[:40]:
        if n >= len(plan):
            break
        manager = e.memberships.filter(role="manager").first()
        latest = (Assessment.objects.filter(enterprise=e, status="scored").select_related("score", "framework")
                  .order_by("-year").first())
        if manager is None or latest is None:
            continue
        found = services.matches(latest, limit=1)
        if not found:
            continue
        target = plan[n]
        r = services.send_request(e, found[0]["offering"], message="希望了解服务方案和报价。", assessment=latest,
                                  share=n % 2 == 0, by=manager.user)
        provider = by_offering[r.offering_id]
        if target == "declined":
            services.request_transition(r, "decline", by=provider, reason="暂不服务该行业")
        elif target == "withdrawn":
            services.request_transition(r, "withdraw", by=manager.user)
        elif target != "sent":
            services.request_transition(r, "answer", by=provider, answer="可提供上门诊断，方案和报价见附件说明。")
            if target in ("engaged", "completed", "rated"):
                services.request_transition(r, "engage", by=manager.user)
            if target in ("completed", "rated"):
                services.request_transition(r, "complete", by=provider)
            if target == "rated":
                services.request_transition(r, "rate", by=manager.user, rating=5 - n % 3, review="服务专业，交付及时。")
        n += 1
    return n
