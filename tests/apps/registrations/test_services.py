"""The registration services: checks with the field named, the desk of the region, approve, reject,
audit and e-mails."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError

from ronghe.apps.accounts import access
from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.organizations.models import Organization
from ronghe.apps.registrations import services
from ronghe.apps.registrations.models import Registration
from tests.apps.registrations.helpers import STRONG, payload, pending
from tests.base import credit_code

pytestmark = pytest.mark.django_db


def _faults(**over):
    with pytest.raises(ValidationError) as info:
        services.register(payload(**over))
    return info.value.message_dict


def test_it_creates_an_inactive_user_and_a_pending_registration_and_nothing_else(world,
                                                                                django_capture_on_commit_callbacks):
    orgs = Organization.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        reg = pending()
    assert reg.state == "pending" and reg.authority == world.hangzhou
    assert not reg.user.is_active and reg.user.check_password(STRONG) and reg.user.email == "reg101@example.com"
    assert not reg.user.memberships.exists() and Organization.objects.count() == orgs
    assert AuditEvent.objects.filter(action="registration.submitted", object_id=str(reg.pk)).exists()
    # the applicant gets an acknowledgement; the desk's members a notification (in the site and by e-mail)
    assert [m.to for m in mail.outbox if "收到" in m.subject] == [["reg101@example.com"]]
    assert world.city_authority.notifications.filter(verb="registration.submitted").count() == 1
    assert not world.province.notifications.filter(verb="registration.submitted").exists()


def test_it_names_each_field_at_fault_in_chinese(world):
    bad = credit_code("330106", 102)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    faults = _faults(credit_code=bad, region="330100", industry="99", size="huge", email="nope", phone="x",
                     username="a b", password="123", name="")
    assert set(faults) == {"credit_code", "region", "industry", "size", "email", "phone", "username", "password",
                           "name"}
    assert "第 18 位校验码应为" in faults["credit_code"][0]
    assert "区县" in faults["region"][0]  # 杭州市 has counties below it: choose down to one
    assert not Registration.objects.exists() and not User.objects.filter(username="a b").exists()


def test_it_refuses_a_credit_code_already_registered_or_pending(world):
    assert "已注册" in _faults(credit_code=world.a.credit_code)["credit_code"][0]
    first = pending(103)
    again = _faults(serial=104, credit_code=first.credit_code)
    assert "待审核" in again["credit_code"][0]
    assert "已被使用" in _faults(serial=105, username="REG103")["username"][0]  # names are case-insensitive


def test_it_sends_a_registration_to_the_lowest_authority_covering_its_region(world):
    assert pending(110, "330106").authority == world.hangzhou  # 杭州市 covers 西湖区
    assert pending(111, "330203").authority == world.zhejiang  # no 宁波市 authority: up to 浙江省
    beijing = pending(112, "110105")
    assert beijing.authority == world.other_province.memberships.get().organization
    seen = {p: set(access.registrations_for_user(u).values_list("region_id", flat=True))
            for p, u in world.personas().items() if u is not None}
    assert seen["city_authority"] == {"330106"} and seen["province"] == {"330203"}
    assert seen["other_province"] == {"110105"} and seen["admin"] == {"330106", "330203", "110105"}
    assert all(not seen[p] for p in ("ent_a", "ent_a_member", "ent_b", "consultant", "assessor", "committee",
                                     "other_assessor", "provider", "other_provider", "expert"))


def test_it_approves_into_an_enterprise_with_the_applicant_as_manager(world, django_capture_on_commit_callbacks):
    reg = pending()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.approve(reg, by=world.city_authority)
    org = reg.organization
    assert reg.state == "approved" and reg.decided_by == world.city_authority and reg.decided_at is not None
    assert (org.kind, org.credit_code, org.region_id, org.industry_id, org.size) == (
        "enterprise", reg.credit_code, "330106", "34", "300人以下")
    reg.user.refresh_from_db()
    assert reg.user.is_active and reg.user.memberships.get().organization == org
    assert reg.user.memberships.get().role == "manager"
    assert AuditEvent.objects.filter(action="registration.approved", actor=world.city_authority,
                                     object_id=str(reg.pk)).exists()
    assert AuditEvent.objects.filter(action="organization.created", object_id=str(org.pk)).exists()
    (message,) = mail.outbox
    assert message.to == ["reg101@example.com"] and "已通过" in message.subject
    assert reg.user.notifications.filter(verb="registration.approved").exists()
    with pytest.raises(services.RegistrationError) as info:
        services.approve(reg, by=world.city_authority)  # decided once
    assert info.value.code == "not_pending"


def test_it_rejects_with_a_reason_emailed_and_frees_the_credit_code(world, django_capture_on_commit_callbacks):
    reg = pending()
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.reject(reg, "  ", by=world.city_authority)
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.reject(reg, "营业执照信息与名称不符", by=world.city_authority)
    assert reg.state == "rejected" and not reg.user.is_active
    (message,) = mail.outbox
    assert message.to == ["reg101@example.com"] and "营业执照信息与名称不符" in message.body
    event = AuditEvent.objects.get(action="registration.rejected", object_id=str(reg.pk))
    assert event.actor == world.city_authority and event.data["reason"] == "营业执照信息与名称不符"
    assert pending(120, credit_code=reg.credit_code, username="again").state == "pending"  # may try again
    with pytest.raises(services.RegistrationError):
        services.approve(reg, by=world.city_authority)


def test_it_refuses_to_approve_when_the_code_was_registered_meanwhile(world):
    from ronghe.apps.organizations.services import create_organization

    reg = pending()
    create_organization(kind="enterprise", name="抢先", credit_code=reg.credit_code, region_id="330106",
                        industry_id="34", size="300人以下")
    with pytest.raises(services.RegistrationError) as info:
        services.approve(reg, by=world.city_authority)
    reg.refresh_from_db()
    reg.user.refresh_from_db()
    assert "已被其他组织使用" in info.value.message and reg.state == "pending" and not reg.user.is_active


def test_it_protects_the_state_from_direct_saves(world):
    reg = pending()
    reg.state = "approved"
    with pytest.raises(PermissionError):
        reg.save()


def test_it_tells_a_pending_or_rejected_applicant_why_login_fails_but_not_a_stranger(world):
    reg = pending()
    assert "待" in services.login_refusal("reg101", STRONG) and "杭州市经信局" in services.login_refusal("reg101",
                                                                                                         STRONG)
    assert services.login_refusal("reg101", "wrong password") is None  # no hint without the password
    assert services.login_refusal("nobody", STRONG) is None
    services.reject(reg, "材料不全", by=world.city_authority)
    assert "材料不全" in services.login_refusal("reg101", STRONG)


def test_a_rejected_applicant_registers_again_under_the_same_user_name(world):
    """A refusal releases the user name: the applicant (or anyone) may register again with it; the old
    account gives the name up only then — until then its login still says why it was refused — and the
    old registration's audit log keeps the name."""
    first = pending(130)
    assert "username" in _faults(serial=131, username="REG130")  # taken while it awaits approval
    services.reject(first, "材料不全", by=world.city_authority)
    assert "材料不全" in services.login_refusal("reg130", STRONG)
    again = pending(131, username="reg130", password=STRONG + "2")
    first.refresh_from_db()
    assert again.user.username == "reg130" and again.state == "pending"
    assert first.user.username == f"reg130~{first.pk}" and not first.user.has_usable_password()
    assert not first.user.is_active and first.state == "rejected" and first.reason == "材料不全"
    released = AuditEvent.objects.get(action="registration.username_released", object_id=str(first.pk))
    assert released.data == {"username": "reg130"}
    assert "待" in services.login_refusal("reg130", STRONG + "2")  # the new registration answers now
    assert services.login_refusal("reg130", STRONG) is None
    assert "username" in _faults(serial=132, username="reg130")  # the new one holds the name again
    services.approve(again, by=world.city_authority)
    assert User.objects.get(username="reg130").is_active
    world.ent_a.is_active = False  # an inactive account that is no refused applicant keeps its name
    world.ent_a.save()
    assert "username" in _faults(serial=133, username="ent_a")
