import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ronghe.apps.certification import services
from ronghe.apps.certification.models import Case, Certificate, EvidenceVersion
from ronghe.apps.frameworks.services import sync_shipped
from ronghe.core.certification.lifecycle import CASE
from tests.base import load_test_codes

pytestmark = pytest.mark.django_db


def test_it_loads_a_case_in_every_state_and_work_for_the_demo_assessor(tmp_path, capsys, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_test_codes(tmp_path)
    sync_shipped()
    call_command("load_demo", enterprises=24)
    assert "demo_committee" in capsys.readouterr().out
    assert set(Case.objects.values_list("state", flat=True)) == set(CASE.states) - {"new"}
    assert set(Certificate.objects.values_list("state", flat=True)) == {"valid", "suspended", "withdrawn"}
    assert len(set(Certificate.objects.values_list("grade", flat=True))) >= 2
    work = services.work(User.objects.get(username="demo_assessor"))
    assert work["open"] >= 9 and work["overdue_surveillance"] and work["deadlines"]
    assert services.verify(Certificate.objects.first().number).exists()
    renewal = Case.objects.get(kind="reassessment")  # a re-assessment of the certificate expiring soon
    soon = services.today() + dt.timedelta(90)
    assert renewal.state == "accepted" and renewal.previous_certificate.valid_until < soon
    # every project has evidence, which the audit view shows next to its clauses; one document has two versions
    case = Case.objects.get(state="stage2_done")
    assert {"4.4.3.1", "5.2", "9"} <= set(services.clause_evidence(case.project))
    assert EvidenceVersion.objects.filter(number=2).exists()
    # one certificate is past its validity: the daily run records it (and announces the overdue audit)
    assert services.expire_certificates() == 1 and Certificate.objects.filter(state="expired").count() == 1
    assert services.announce_overdue_surveillance() == 1
