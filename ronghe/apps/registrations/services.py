"""Enterprise self-registration: register (public), approve and reject (the authority's desk).

``register`` checks every field and names each fault (a ``ValidationError`` keyed by field, the
way a form shows it), then creates an *inactive* user and a pending registration — nothing else.
``approve`` creates the enterprise through ``organizations.services.create_organization`` (the same
checks as any organisation), makes the applicant its manager and activates the account; ``reject``
records the reason. Every change is one transaction with its audit event; e-mails and in-site
notifications go out once it is committed. Pages, API and demo data call these same functions.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ronghe.apps.accounts import access
from ronghe.apps.accounts.models import Membership
from ronghe.apps.accounts.validators import validate_username
from ronghe.apps.organizations.models import Industry, Organization, Region
from ronghe.apps.organizations.services import levels_below
from ronghe.apps.registrations.models import Registration
from ronghe.core.codes import uscc_problem

FIELDS = ("name", "credit_code", "region", "industry", "size", "contact_name", "email", "phone", "username",
          "password")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,19}$")
REASON_MAX = 2000
"""Longest rejection reason, in characters."""


class RegistrationError(Exception):
    """A decision that cannot be taken now (the registration is no longer pending, or the credit code
    was registered meanwhile); ``code`` is stable for programs."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    return value.strip() if isinstance(value, str) else ""


def check(data: dict[str, Any]) -> dict[str, Any]:
    """The registration's values, cleaned, or a ``ValidationError`` naming every field at fault and why.

    ``region`` is a GB/T 2260 code down to the county (a region without subdivisions), ``industry``
    a GB/T 4754 division (2 digits), ``size`` one of the platform's size bands."""
    errors: dict[str, str] = {}
    out = {f: _text(data, f) for f in FIELDS if f != "password"}
    out["password"] = data.get("password") if isinstance(data.get("password"), str) else ""
    if not 2 <= len(out["name"]) <= 200:
        errors["name"] = _("Give the enterprise's registered name (2–200 characters).")
    code = out["credit_code"] = out["credit_code"].upper()
    problem = uscc_problem(code) if code else _("Enter the unified social credit code.")
    if problem:
        errors["credit_code"] = problem
    elif Organization.objects.filter(credit_code=code).exists():
        errors["credit_code"] = _("An organisation with this credit code is already registered.")
    elif Registration.objects.filter(credit_code=code, state=Registration.State.PENDING).exists():
        errors["credit_code"] = _("A registration with this credit code is already awaiting approval.")
    region = Region.objects.filter(code=out["region"]).first() if out["region"].isdigit() else None
    if region is None:
        errors["region"] = _("Choose the region from the lists.")
    elif region.children.exclude(name="市辖区").exists():
        errors["region"] = _("Choose the region down to the county (district).")
    out["region"] = region
    industry = Industry.objects.filter(code=out["industry"]).first() if re.fullmatch(r"\d{2}", out["industry"]) \
        else None
    if industry is None:
        errors["industry"] = _("Choose the industry (a GB/T 4754 division) from the list.")
    out["industry"] = industry
    if out["size"] not in Organization.Size.values:
        errors["size"] = _("Choose a size band from the list.")
    if not 1 <= len(out["contact_name"]) <= 50:
        errors["contact_name"] = _("Name the contact person (1–50 characters).")
    try:
        validate_email(out["email"])
        if len(out["email"]) > 254:
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = _("Enter an e-mail address; the decision is sent there.")
    if not PHONE.match(out["phone"]):
        errors["phone"] = _("Enter a phone number (digits, 6–20 characters).")
    User = get_user_model()
    try:
        validate_username(out["username"])
        if User.objects.filter(username__iexact=out["username"]).exclude(pk__in=_released(out["username"])).exists():
            errors["username"] = _("This user name is taken; choose another.")
    except ValidationError as exc:
        errors["username"] = " ".join(exc.messages)
    try:
        validate_password(out["password"], User(username=out["username"], email=out["email"]))
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    return out


def _released(username: str):
    """The accounts named ``username`` that a new registration may take over: inactive applicants whose
    registration was rejected. A refused applicant (or anyone else) may register again under the same
    name; until then the old account keeps the name, so its login still says why it was refused."""
    return get_user_model().objects.filter(username__iexact=username, is_active=False,
                                           registration__state=Registration.State.REJECTED).values("pk")


def _release(username: str) -> None:
    """Rename the rejected applicants' accounts named ``username`` to ``name~registration id`` (``~`` is
    never allowed in a user name, so no one can choose it) and make their passwords unusable; the old
    registration's audit log records the name it gave up."""
    User = get_user_model()
    for user in User.objects.select_for_update().filter(pk__in=_released(username)):  # no outer join: PostgreSQL
        old = user.username
        user.username = f"{old}~{user.registration.pk}"[:150]
        user.set_unusable_password()
        user.save(update_fields=["username", "password"])
        user.registration.log("registration.username_released", None, username=old)


def register(data: dict[str, Any]) -> Registration:
    """Check ``data`` (:func:`check`), then create the inactive user and the pending registration at
    the desk of the region's authority, tell that authority and acknowledge to the applicant."""
    from ronghe.apps.notifications.services import notify

    values = check(data)
    User = get_user_model()
    try:
        with transaction.atomic():
            _release(values["username"])
            user = User.objects.create_user(values["username"], email=values["email"], password=values["password"],
                                            is_active=False)
            desk = access.registration_desk(values["region"].code)
            reg = Registration.objects.create(
                name=values["name"], credit_code=values["credit_code"], region=values["region"],
                industry=values["industry"], size=values["size"], contact_name=values["contact_name"],
                email=values["email"], phone=values["phone"], user=user, authority=desk)
            reg.log("registration.submitted", user, credit_code=reg.credit_code, region=reg.region_id,
                    authority=desk.pk if desk else None, username=user.username)
            if desk is not None:
                notify(User.objects.filter(memberships__organization=desk, is_active=True).distinct(),
                       "registration.submitted", _("Enterprise registration to approve: %(name)s") % {"name": reg.name},
                       _("Credit code %(code)s, contact %(contact)s.") % {"code": reg.credit_code,
                                                                        "contact": reg.contact_name},
                       url=reverse("registrations:detail", args=[reg.pk]))
            subject = _("【融合】We received the registration of %(name)s") % {"name": reg.name}
            body = _("Your registration is awaiting approval by %(authority)s. You will be told by e-mail; "
                     "until then you cannot log in.\nUser name: %(username)s\n") % {
                "authority": desk.name if desk else _("the platform administrators"), "username": user.username}
            transaction.on_commit(lambda: send_mail(subject, body, None, [reg.email], fail_silently=True))
    except IntegrityError as exc:  # the same code or user name registered concurrently, after check() looked
        raise ValidationError({"credit_code": _("A registration with this credit code is already awaiting "
                                                "approval.")}) from exc
    return reg


def _pending(reg: Registration) -> Registration:
    locked = Registration.objects.select_for_update().get(pk=reg.pk)
    if locked.state != Registration.State.PENDING:
        raise RegistrationError("not_pending", _("This registration was already decided (%(state)s).")
                                % {"state": locked.get_state_display()})
    return locked


def approve(reg: Registration, *, by: Any) -> Registration:
    """Create the enterprise, make the applicant its manager, activate the account; tell the applicant."""
    from ronghe.apps.notifications.services import notify
    from ronghe.apps.organizations.services import create_organization

    try:
        with transaction.atomic():
            reg = _pending(reg)
            org = create_organization(by=by, kind=Organization.Kind.ENTERPRISE, name=reg.name,
                                      credit_code=reg.credit_code, region_id=reg.region_id,
                                      industry_id=reg.industry_id, size=reg.size)
            user = reg.user
            Membership.objects.create(user=user, organization=org, role=Membership.Role.MANAGER)
            user.is_active = True
            user.save(update_fields=["is_active"])
            reg.state, reg.organization, reg.decided_by, reg.decided_at = (
                Registration.State.APPROVED, org, by, timezone.now())
            reg._transition = True
            reg.save(update_fields=["state", "organization", "decided_by", "decided_at", "updated_at"])
            reg.log("registration.approved", by, organization=org.pk, credit_code=reg.credit_code)
            notify([user], "registration.approved",
                   _("Registration of %(name)s approved") % {"name": reg.name},
                   _("You can now log in as %(username)s and start the enterprise's self-assessment.")
                   % {"username": user.username}, url="/")
    except ValidationError as exc:  # e.g. the credit code was taken by an organisation meanwhile
        raise RegistrationError("invalid", " ".join(exc.messages)) from exc
    return reg


def reject(reg: Registration, reason: str, *, by: Any) -> Registration:
    """Refuse the registration with ``reason`` (1–2,000 characters), which the applicant is e-mailed;
    the account stays inactive, and the credit code and the user name may be registered again (the
    name is released when a new registration takes it, :func:`_release`)."""
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= REASON_MAX:
        raise ValidationError({"reason": _("Give the reason (1–2,000 characters); the applicant is told.")})
    with transaction.atomic():
        reg = _pending(reg)
        reg.state, reg.reason, reg.decided_by, reg.decided_at = (
            Registration.State.REJECTED, reason, by, timezone.now())
        reg._transition = True
        reg.save(update_fields=["state", "reason", "decided_by", "decided_at", "updated_at"])
        reg.log("registration.rejected", by, reason=reason)
        subject = _("【融合】Registration of %(name)s rejected") % {"name": reg.name}
        body = _("Your enterprise registration was rejected.\nReason: %(reason)s\n") % {"reason": reason}
        transaction.on_commit(lambda: send_mail(subject, body, None, [reg.email], fail_silently=True))
    return reg


def login_refusal(username: str, password: str) -> str | None:
    """What the login page says to an applicant whose password is right but whose registration is not
    approved (awaiting approval, or rejected with the reason); None for anyone else, so that the
    page never tells a stranger whether a name exists."""
    User = get_user_model()
    user = User.objects.filter(username=username, is_active=False).select_related("registration").first()
    if user is None or not password or not user.check_password(password):
        return None
    reg = getattr(user, "registration", None)
    if reg is None:
        return None
    if reg.state == Registration.State.PENDING:
        return _("Your enterprise registration is awaiting approval by %(authority)s; you can log in once it is "
                 "approved.") % {"authority": reg.authority.name if reg.authority else
                                 _("the platform administrators")}
    if reg.state == Registration.State.REJECTED:
        return _("Your enterprise registration was rejected: %(reason)s") % {"reason": reg.reason}
    return None


# --------------------------------------------------------------------------- pickers of the public page
def region_picker(selected: str = "") -> list[tuple[list[Region], str, str]]:
    """The region cascade of the registration page: the provinces, then the children of each region
    chosen so far (the 市辖区 placeholders left out), as (regions, chosen code, parent code) per level —
    the shape of ``organizations.services.region_choices``, starting at the whole country."""
    chain: list[Region] = []
    node = Region.objects.filter(code=selected).first() if selected.isdigit() else None
    while node is not None:
        chain.insert(0, node)
        node = node.parent
    provinces = list(Region.objects.filter(level="province").order_by("code"))
    return [(provinces, chain[0].code if chain else "", ""), *levels_below(chain)]


def industry_groups() -> list[tuple[Industry, list[Industry]]]:
    """GB/T 4754 sections, each with its divisions, for a grouped picker (a division is chosen)."""
    rows = list(Industry.objects.order_by("code"))
    sections = [i for i in rows if not i.code.isdigit()]
    return [(s, [d for d in rows if d.code.isdigit() and d.section == s.code]) for s in sections]
