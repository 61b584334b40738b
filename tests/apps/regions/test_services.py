import pytest

from ronghe.apps.organizations import services as orgs
from ronghe.apps.regions import services
from ronghe.apps.regions.models import Evaluation
from ronghe.core.errors import AnswerFileError
from tests.apps.regions.helpers import write_data
from tests.conftest import FILES

pytestmark = pytest.mark.django_db


def test_it_ranks_only_the_authoritys_sub_regions(world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["330106", "330102", "330203", "110105"])  # 330102 is not in the test table
    ev = services.run_evaluation(world.city_authority.memberships.get().organization, "lianghua-regional", [data],
                                 runs=50)
    assert ev.results["regions"] == ["330102", "330106"]  # 杭州's districts only; 宁波 and 北京 left out
    assert ev.results["ranks"][-1] == [2, 1]  # 330106 is listed first in the data, so it is stronger
    assert ev.status == "draft" and ev.version is None and len(ev.uncertainty) == 2
    assert ev.results["growth"][0] == [None, None] and len(ev.results["cagr_pct"]) == 2
    assert ev.results["zones"] == []  # east/central/west compare provinces: a city's districts have no such table
    assert "region 330102: not a GB/T 2260 code in the loaded division table" in ev.results["checks"]


def test_it_publishes_frozen_versions(world, tmp_path):
    national = orgs.create_organization(kind="authority", name="工业和信息化部", national=True)
    data = FILES / "index" / "provinces-long.csv"
    first = services.publish(services.run_evaluation(national, "lianghua-regional", [data], runs=20))
    second = services.publish(services.run_evaluation(national, "lianghua-regional", [data], runs=20))
    assert (first.version, second.version) == (1, 2) and len(first.results["regions"]) == 31
    first.results = {}
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(services.EvaluationError):
        services.publish(second)
    assert [e.action for e in second.history()] == ["evaluation.published", "evaluation.run"]


def test_it_refuses_data_without_two_regions_of_the_jurisdiction(world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["110105", "110101"])
    with pytest.raises(AnswerFileError, match="少于两个"):
        services.run_evaluation(world.city_authority.memberships.get().organization, "lianghua-regional", [data])
    assert Evaluation.objects.count() == 0


def test_it_shows_drafts_only_to_their_authority(world, tmp_path):
    data = write_data(tmp_path / "d.csv", ["330106", "330102"])
    ev = services.run_evaluation(world.city_authority.memberships.get().organization, "lianghua-regional", [data],
                                 runs=20)
    assert list(services.visible_evaluations(world.city_authority)) == [ev]
    assert list(services.visible_evaluations(world.ent_a)) == []
    services.publish(ev)
    assert list(services.visible_evaluations(world.ent_b)) == [ev]
