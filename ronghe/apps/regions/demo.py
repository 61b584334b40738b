"""Demo regional evaluations for ``manage.py load_demo``: the national authority's evaluation of the
provinces from its sample data (which follows the published CCID figures), published, so that the
regional index page is not empty on a fresh demo. The province and city authorities run their own
from the run page ("use sample data"). Idempotent: nothing is added when an evaluation exists."""

from __future__ import annotations

from ronghe.apps.organizations.models import Organization
from ronghe.apps.regions import services
from ronghe.apps.regions.models import Evaluation


def load(runs: int = 500) -> Evaluation | None:
    """Run and publish the national sample evaluation (``runs`` Monte Carlo runs)."""
    national = Organization.objects.filter(kind=Organization.Kind.AUTHORITY, national=True,
                                           name__startswith="演示").first()
    if national is None or Evaluation.objects.filter(authority=national).exists():
        return None
    with services.sample_path(national, "lianghua-regional") as path:
        ev = services.run_evaluation(national, "lianghua-regional", [path], runs=runs,
                                     title="演示·全国区域两化融合发展水平评估（样例数据）")
    return services.publish(ev)
