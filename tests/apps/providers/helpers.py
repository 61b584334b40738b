"""A small catalogue on the mini framework: 杭州's provider serves 浙江省 (machinery only) with an
offering for 研发 (B1) and one for the whole 单项应用 aspect (B); 北京's serves the whole country for
基础建设 (A), and only 北京市 for 生产 (B2)."""

from ronghe.apps.frameworks.services import register_files
from ronghe.apps.providers import services
from tests.conftest import FILES


def catalogue(world):
    register_files([FILES / "frameworks" / "mini.yaml"])
    hz = services.register_provider(world.provider_org, category="platform", summary="工业互联网平台",
                                    by=world.provider)
    bj = services.register_provider(world.other_provider_org, category="consultancy", summary="咨询",
                                    by=world.other_provider)
    offers = {
        "hz_rd": services.save_offering(hz, name="数字化研发设计上云", regions=["330000"], industries=["34"],
                                        tags=[("mini", "B1")], price_from=5, price_to=20, by=world.provider),
        "hz_apps": services.save_offering(hz, name="单项应用诊断与实施", regions=["330100"],
                                          tags=[("mini", "B")], by=world.provider),
        "bj_base": services.save_offering(bj, name="两化融合基础建设咨询", nationwide=True, tags=[("mini", "A")],
                                          references="某集团", by=world.other_provider),
        "bj_prod": services.save_offering(bj, name="生产管控系统", regions=["110000"], tags=[("mini", "B2")],
                                          by=world.other_provider),
    }
    return hz, bj, offers
