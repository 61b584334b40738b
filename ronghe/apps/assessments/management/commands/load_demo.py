"""``manage.py load_demo``: synthetic enterprises, authorities, a consultancy and four years of
assessments, with one demo account per role (printed at the end). Idempotent: it does nothing when
the demo organisations exist.

The enterprises and their history (``apps/assessments/demo.py``) look like a real population: real
counties, each province's own industries, maturity by zone, industry and size, improving every year,
a work queue of submitted assessments in every province. Each app adds its own demo data with one
``load`` call below (certification, providers, programmes, benchmarking).
"""

from __future__ import annotations

import numpy as np
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from ronghe.apps.accounts.models import Membership
from ronghe.apps.assessments import services as assessments
from ronghe.apps.assessments.demo import assess_history, consultancy_clients, place_enterprises
from ronghe.apps.frameworks.services import get_version
from ronghe.apps.organizations import services as orgs
from ronghe.apps.organizations.models import Organization
from ronghe.core.codes import org_code_check_char, uscc_check_char

PASSWORD = "ronghe-demo-2026"
YEARS = [2023, 2024, 2025]
"""The years every app's demo data covers; the base enterprises' history starts a year earlier."""
HISTORY = [2022, *YEARS]


def _credit_code(division: str, serial: int) -> str:
    body = f"D{serial:06d}X"[:8]
    first17 = "91" + division + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


class Command(BaseCommand):
    help = "Load demo organisations, accounts and four years of assessments."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=300)

    def handle(self, *args, enterprises: int, **options):
        if Organization.objects.filter(name__startswith="演示").exists():
            self.stdout.write("demo data already loaded")
            self._print_accounts()
            return
        rng = np.random.default_rng(2026)
        framework = get_version("gbt23020-discrete")
        with transaction.atomic():
            admin = self._user("demo_admin", None, is_staff=True, is_superuser=True)
            province_gov = orgs.create_organization(kind="authority", name="演示·浙江省经济和信息化厅",
                                                    region_id="330000")
            city_gov = orgs.create_organization(kind="authority", name="演示·杭州市经济和信息化局", region_id="330100")
            consultancy = orgs.create_organization(kind="consultancy", name="演示·融合管理咨询有限公司",
                                                   credit_code=_credit_code("330106", 999999), region_id="330106")
            body = orgs.create_organization(kind="assessment_body", name="演示·两化融合评定中心", region_id="110105")
            population = place_enterprises(enterprises, _credit_code, rng, len(HISTORY))
            created = population.enterprises
            counts = assess_history(population, framework, HISTORY, admin, rng)
            consultancy_clients(consultancy, created)
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
            from ronghe.apps.registrations.demo import load as load_registrations  # 企业注册 at 杭州市's desk

            load_registrations(PASSWORD)
            load_programs(created, province_gov, city_gov, consultancy, self._user)
            draft = assessments.start(first, framework, YEARS[-1] + 1)
            assessments.save_draft(draft, {"JC_01": 60})
            from ronghe.apps.benchmarking import demo  # peers for the benchmark panel and dashboards

            demo.load(framework, YEARS, admin, PASSWORD, enterprises=enterprises // 2, out=self.stdout)
            from ronghe.apps.regions.demo import load as load_regions  # the national evaluation of the sample

            load_regions()
        self.stdout.write(f"{len(created)} enterprises, {counts['scored']} scored assessments "
                          f"({counts['submitted']} waiting for review, {counts['rejected']} returned) loaded")
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
