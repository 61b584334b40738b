"""Enterprise registrations over REST: register (public, throttled like the page), and the
authority's desk — list (paginated with the total), one registration, approve, reject.

Access is the pages' (``accounts.access.registrations_for_user``): what the caller may not see is
404. The same services as the pages; every error is an ``ErrorOut``.
"""

from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.pagination import paginate

from ronghe.api.auth import AUTH
from ronghe.api.errors import ApiError, responses
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.accounts import access, throttle
from ronghe.apps.registrations import services
from ronghe.apps.registrations.schemas import RegIn, RegOut, RegRejectIn, RegSentOut

router = Router(tags=["registrations"], auth=AUTH)


def _invalid(exc: ValidationError) -> ApiError:
    details = [{"field": f, "reason": m} for f, ms in exc.message_dict.items() for m in ms]
    return ApiError(422, "invalid", gettext("Some values are not valid."), details)


def _out(regs):
    from ronghe.apps.organizations.services import region_names

    names = region_names(r.region_id for r in regs)
    return [{"id": r.pk, "state": r.state, "state_label": str(r.get_state_display()), "name": r.name,
             "credit_code": r.credit_code, "region_id": r.region_id, "region_name": names.get(r.region_id, ""),
             "industry_id": r.industry_id, "industry_name": r.industry.name, "size": r.size,
             "contact_name": r.contact_name, "email": r.email, "phone": r.phone, "username": r.user.username,
             "authority_id": r.authority_id, "organization_id": r.organization_id, "reason": r.reason,
             "created_at": r.created_at.isoformat(),
             "decided_at": r.decided_at.isoformat() if r.decided_at else None} for r in regs]


class _Rows:
    """The registrations as ninja's paginator slices them (names are filled in for the page only)."""

    def __init__(self, qs):
        self.qs = qs

    def __len__(self):
        return self.qs.count()

    def __getitem__(self, key):
        return _out(list(self.qs[key]))


@router.post("/", auth=None, response=responses({201: RegSentOut}, 429),
             summary=_("Register an enterprise (no account needed)"),
             description=_("Creates an inactive user and a registration awaiting the approval of the authority "
                           "of the region; 422 names every field at fault (credit code check character, a code "
                           "already registered or pending, a region above county level, a weak password …); "
                           "429 after RONGHE_SIGNUP_RATE attempts per client address."),
             operation_id="registrations_register")
def register(request, payload: RegIn):
    if not throttle.allow(request, "signup", settings.RONGHE_SIGNUP_RATE):
        raise ApiError(429, "throttled", gettext("Too many requests from your address. Try again later."))
    try:
        reg = services.register(payload.dict())
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return Status(201, {"id": reg.pk, "state": reg.state,
                        "message": gettext("Your registration is awaiting approval by the authority of your "
                                           "region.")})


@router.get("/", response=responses(list[RegOut], 401),
            summary=_("Enterprise registrations at your desk"),
            description=_("For authorities: the registrations from their region that they decide (the lowest "
                          "authority covering the region); staff see all; everyone else an empty list. "
                          "?state= pending (default), approved or rejected; oldest first."),
            operation_id="registrations_list")
@paginate(Pages)
def list_registrations(request, state: Literal["pending", "approved", "rejected"] = "pending"):
    return _Rows(access.registrations_for_user(request.user).filter(state=state)
                 .select_related("industry", "user").order_by("created_at", "pk"))


@router.get("/{registration_id}", response=responses(RegOut, 401, 404),
            summary=_("One enterprise registration"), operation_id="registrations_get")
def get_registration(request, registration_id: Id):
    return _out([access.get_registration_for_user(request.user, registration_id)])[0]


@router.post("/{registration_id}/approve", response=responses(RegOut, 401, 404, 409),
             summary=_("Approve a registration: the enterprise is created and the applicant can log in"),
             description=_("Creates the enterprise, makes the applicant its manager, activates the account and "
                           "tells the applicant (e-mail and notification); audited. 409 when it was already "
                           "decided or the credit code was registered meanwhile."),
             operation_id="registrations_approve")
def approve(request, registration_id: Id):
    reg = access.get_registration_for_user(request.user, registration_id)
    try:
        reg = services.approve(reg, by=request.user)
    except services.RegistrationError as exc:
        raise ApiError(409, exc.code, exc.message) from exc
    return _out([access.get_registration_for_user(request.user, reg.pk)])[0]


@router.post("/{registration_id}/reject", response=responses(RegOut, 401, 404, 409),
             summary=_("Reject a registration with a reason"),
             description=_("The applicant is e-mailed the reason; the account stays inactive; audited. 409 when it "
                           "was already decided."), operation_id="registrations_reject")
def reject(request, registration_id: Id, payload: RegRejectIn):
    reg = access.get_registration_for_user(request.user, registration_id)
    try:
        reg = services.reject(reg, payload.reason, by=request.user)
    except ValidationError as exc:
        raise _invalid(exc) from exc
    except services.RegistrationError as exc:
        raise ApiError(409, exc.code, exc.message) from exc
    return _out([access.get_registration_for_user(request.user, reg.pk)])[0]
