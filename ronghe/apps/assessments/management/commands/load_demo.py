"""``manage.py load_demo``: synthetic enterprises, authorities, a consultancy and three years of
scored assessments, with one demo account per role (printed at the end). Idempotent: it does
nothing when the demo organisations exist.

Enterprises differ by latent maturity (stronger in the east and in electronics and machinery,
improving every year), so regional comparisons and trends look like real data, not noise.
"""

from __future__ import annotations

import numpy as np
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments import services as assessments
from ronghe.apps.frameworks.services import get_version
from ronghe.apps.organizations import services as orgs
from ronghe.apps.organizations.models import Organization, Region
from ronghe.core.codes import org_code_check_char, uscc_check_char
from ronghe.core.frameworks.synthetic import answers
from ronghe.core.index.data import zone_of

PASSWORD = "ronghe-demo-2026"
PROVINCES = ["330000", "320000", "440000", "110000", "420000", "510000", "610000"]
INDUSTRIES = ["34", "35", "36", "38", "39", "26", "17"]
SIZES = [s for s, _ in Organization.Size.choices]
YEARS = [2023, 2024, 2025]


def _credit_code(division: str, serial: int) -> str:
    body = f"D{serial:06d}X"[:8]
    first17 = "91" + division + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


class Command(BaseCommand):
    help = "Load demo organisations, accounts and three years of scored assessments."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=300)

    def handle(self, *args, enterprises: int, **options):
        if Organization.objects.filter(name__startswith="演示").exists():
            self.stdout.write("demo data already loaded")
            self._print_accounts()
            return
        rng = np.random.default_rng(2026)
        framework = get_version("gbt23020-discrete")
        fw = framework.loaded().framework
        counties = {p: list(Region.objects.filter(level="county", code__startswith=p[:2])
                            .values_list("code", flat=True)) for p in PROVINCES}
        provinces = [p for p in PROVINCES if counties[p]]  # those whose divisions are loaded
        with transaction.atomic():
            admin = self._user("demo_admin", None, is_staff=True, is_superuser=True)
            province_gov = orgs.create_organization(kind="authority", name="演示·浙江省经济和信息化厅",
                                                    region_id="330000")
            city_gov = orgs.create_organization(kind="authority", name="演示·杭州市经济和信息化局", region_id="330100")
            consultancy = orgs.create_organization(kind="consultancy", name="演示·融合管理咨询有限公司",
                                                   credit_code=_credit_code("330106", 999999), region_id="330106")
            body = orgs.create_organization(kind="assessment_body", name="演示·两化融合评定中心", region_id="110105")
            maturity = []
            created = []
            for i in range(enterprises):
                province = provinces[i % len(provinces)] if i else "330000"
                county = "330106" if i == 0 else rng.choice(counties[province])
                industry = INDUSTRIES[i % len(INDUSTRIES)]
                e = orgs.create_organization(
                    kind="enterprise", name=f"演示企业{i + 1:03d}（{Region.objects.get(code=county).name}）",
                    credit_code=_credit_code(county, i + 1), region_id=county, industry_id=industry,
                    size=SIZES[int(rng.integers(0, len(SIZES)))])
                bonus = (0.08 if zone_of(county) == "east" else 0) + (0.06 if industry in {"38", "39"} else 0)
                maturity.append(np.clip(rng.beta(2.2, 3.0) + bonus, 0, 1))
                created.append(e)
            orgs.grant_access(created[0], consultancy)
            for t, year in enumerate(YEARS):
                level = np.clip(np.array(maturity) + 0.04 * t, 0, 1)
                raw = answers(fw, len(created), seed=year, maturity=level, blank_rate=0.1)
                for e, (_, row) in zip(created, raw.iterrows(), strict=True):
                    a = assessments.start(e, framework, year)
                    assessments.save_draft(a, {k: v for k, v in row.items() if v is not None and v == v})
                    assessments.submit(a)
                    assessments.approve(a, by=admin)
            first = created[0]
            self._user("demo_enterprise", first, role="manager")
            self._user("demo_consultant", consultancy)
            self._user("demo_city", city_gov)
            self._user("demo_province", province_gov)
            assessor = self._user("demo_assessor", body)
            from ronghe.apps.certification.demo import load as load_certification  # 贯标 projects, 评定 cases

            load_certification(created, body, consultancy, assessor, self._user)
            from ronghe.apps.programs.demo import load as load_programs  # 试点示范 calls, the expert pool
            from ronghe.apps.providers.demo import load as load_providers  # 服务商, offerings, requests

            load_providers(created, self._user)
            load_programs(created, province_gov, city_gov, consultancy, self._user)
            draft = assessments.start(first, framework, YEARS[-1] + 1)
            assessments.save_draft(draft, {"JC_01": 60})
            from ronghe.apps.benchmarking import demo  # peers for the benchmark panel and dashboards

            demo.load(framework, YEARS, admin, PASSWORD, enterprises=enterprises // 2, out=self.stdout)
            from ronghe.apps.regions.demo import load as load_regions  # the national evaluation of the sample

            load_regions()
        self.stdout.write(f"{len(created)} enterprises, {len(created) * len(YEARS)} scored assessments loaded")
        self._print_accounts()

    def _user(self, name: str, org: Organization | None, role: str = "manager", **extra) -> User:
        user = User.objects.create_user(name, password=PASSWORD, **extra)
        if org is not None:
            Membership.objects.create(user=user, organization=org, role=role)
        return user

    def _print_accounts(self) -> None:
        self.stdout.write(f"demo accounts (password {PASSWORD}):")
        for name, role in [("demo_enterprise", "企业 enterprise"), ("demo_consultant", "咨询机构 consultancy"),
                           ("demo_city", "杭州市主管部门 city authority"), ("demo_province", "浙江省主管部门 province"),
                           ("demo_assessor", "评定机构 assessment body"),
                           ("demo_committee", "评定工作委员会 committee"), ("demo_expert", "评审专家 expert"),
                           ("demo_provider", "服务商 service provider"), ("demo_admin", "平台管理员 administrator"),
                           ("demo_national", "工业和信息化部 national authority")]:
            self.stdout.write(f"  {name:<16} {role}")
