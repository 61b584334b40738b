"""A hypothesis state machine drives the certification services with any sequence of actions by any
persona — applications, every case, finding and certificate transition, assignments, new milestone
dates, new approved assessments — and checks after every step that:

- each action succeeded exactly when an independent oracle (this file's reading of the rules:
  declared source state, permitted role, and each guard computed from the database) says it may;
- a refused action changed nothing and wrote no audit record;
- every case's audit trail is a chain of declared transitions ending in its current state;
- states are declared ones; a certificate exists exactly for each certified case; an enterprise
  never has two cases in progress.
"""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ronghe.apps.audit.models import AuditEvent
from ronghe.apps.certification import services
from ronghe.apps.certification.models import Case, CaseAssessor, Certificate, Finding
from ronghe.core.certification.lifecycle import CASE, CERTIFICATE, FINDING, add_months
from tests.apps.certification.helpers import STAGE_ANSWERS, ready_project

pytestmark = pytest.mark.django_db

ACTORS = ["ent_a", "consultant", "assessor", "other_assessor", "committee", "admin"]
DATES = st.sampled_from([None, -40, -5, 5])
AUDIT_STATES = set(services.FINDING_CASE_STATES)
REACHED: set[str] = set()
SIDES = {"decline": "assessor", "cancel": "ent_a", "dispute": "ent_a", "return_case": "committee",
         "refuse": "committee"}


DEPTHS = 17


def machine_for(world):
    """The state machine class over ``world``'s personas."""
    from ronghe.apps.assessments import services as assessments
    from ronghe.apps.frameworks.services import register_files
    from tests.conftest import FILES

    (mini, _), = register_files([FILES / "frameworks" / "mini.yaml"])
    today = services.today()
    w = world

    class Machine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.project = ready_project(w.a, trial_days=200)
            self.case = None  # the case under test (the newest)
            self.stages: list[int] = []  # stages of the approved assessments, oldest first
            self.renames = 0

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        # ---------------------------------------------------------------- the oracle's reading
        def roles(self, actor, case):
            r = set()
            if actor == "ent_a":
                r.add("enterprise")
            if actor == "assessor":
                r.add("body")
                if case.team.filter(user=w.assessor).exists():
                    r.add("assessor")
            if actor == "committee":
                r.add("committee")
            return r

        def milestone(self, kind):
            return self.project.milestones.get(kind=kind).done_on

        def counted(self):
            return AuditEvent.objects.count()

        def attempt(self, expected: bool, call):
            before = self.counted()
            try:
                call()
                ok = True
            except (services.Refused, services.InputError):
                ok = False
            assert ok == expected, f"service said {ok}, the rules say {expected}"
            if not ok:
                assert self.counted() == before, "a refused action wrote to the audit log"
            return ok

        @initialize(depth=st.integers(0, DEPTHS - 1), trial=st.sampled_from([200, 200, 60]))
        def start_somewhere(self, depth, trial=200):
            """Begin at a point of the main path, then let anything happen: 0 no case, 1–10 along the path,
            11 certified, 12 refused at its notice, 13 declined, 14 and 15 certified then suspended or
            withdrawn, 16 cancelled by the applicant."""
            if trial != 200:  # a trial run too short to apply: the application below must be refused
                self.set_milestones(trial=trial, audit=5, review=5)
            if depth:
                self.apply(actor="ent_a", renew=False)
            if self.case is None:
                return
            if depth in (13, 16):
                self.case_step(name="decline" if depth == 13 else "cancel", actor="assessor" if depth == 13
                               else "ent_a", days=None, report="", reason="材料不全", grade="A")
                return
            for _ in range(9 if depth == 12 else min(depth, 11) - 1):
                self.advance_one("A")
            if depth in (14, 15):
                self.advance_one("A")
                self.certificate_step(name="suspend" if depth == 14 else "withdraw", actor="committee", text="说明")
            if depth == 12:  # to the public notice, where an objection is upheld
                self.case_step(name="refuse", actor="committee", days=None, report="", reason="异议成立", grade="A")

        # ---------------------------------------------------------------------------- actions
        @rule(trial=st.sampled_from([30, 100, 200]), audit=st.sampled_from([5, 95, 150]),
              review=st.sampled_from([5, 95, -3]))
        def set_milestones(self, trial, audit, review):
            services.update_milestone(self.project, "trial_run", done_on=today - dt.timedelta(days=trial))
            services.update_milestone(self.project, "internal_audit", done_on=today - dt.timedelta(days=audit))
            done = today - dt.timedelta(days=review)
            ok = self.attempt(done <= today, lambda: services.update_milestone(
                self.project, "management_review", done_on=done))
            assert ok or self.milestone("management_review") != done

        @precondition(lambda self: len(self.stages) < 4)
        @rule(stage=st.sampled_from([1, 3]))
        def approve_an_assessment(self, stage):
            a = assessments.start(w.a, mini, 2020 + len(self.stages))
            assessments.save_draft(a, STAGE_ANSWERS[stage])
            assessments.submit(a)
            assessments.approve(a)
            self.stages.append(stage)

        @rule(actor=st.sampled_from(["ent_a", *ACTORS]), renew=st.booleans())
        def apply(self, actor, renew):
            previous = Certificate.objects.filter(enterprise=w.a).order_by("-id").first() if renew else None
            open_case = Case.objects.filter(enterprise=w.a).exclude(state__in=CASE.terminal).exists()
            if previous is not None:
                guards = previous.state in ("valid", "suspended")
            else:
                trial, ia, mr = (self.milestone(k) for k in ("trial_run", "internal_audit", "management_review"))
                ready = add_months(trial, 3)
                guards = ready <= today and all(d is not None and ready <= d <= today for d in (ia, mr))
            expected = actor == "ent_a" and not open_case and guards
            if self.attempt(expected, lambda: services.apply(self.project, w.body, by=getattr(w, actor),
                                                              previous_certificate=previous)):
                self.case = Case.objects.order_by("-id").first()

        @precondition(lambda self: self.case is not None)
        @rule(actor=st.sampled_from(["assessor", "other_assessor", "ent_a"]), lead=st.booleans())
        def assign(self, actor, lead):
            c = Case.objects.get(pk=self.case.pk)
            expected = actor == "assessor" and c.state not in CASE.terminal
            self.attempt(expected, lambda: services.assign_assessor(
                c, w.assessor, CaseAssessor.Role.LEAD if lead else CaseAssessor.Role.MEMBER, by=getattr(w, actor)))

        @precondition(lambda self: self.case is not None)
        @rule(name=st.sampled_from(CASE.names()), actor=st.sampled_from(ACTORS), days=DATES,
              report=st.sampled_from(["", "报告"]), reason=st.sampled_from(["", "理由"]),
              grade=st.sampled_from(["A", "AA", "AAA"]))
        def case_step(self, name, actor, days, report, reason, grade):
            c = Case.objects.get(pk=self.case.pk)
            day = None if days is None else today + dt.timedelta(days=days)
            t = CASE.get(name)
            expected = name != "apply" and c.state in t.source and bool(self.roles(actor, c) & t.roles) \
                and self.guards_hold(c, name, day, report, reason, grade)
            before = c.state
            if self.attempt(expected, lambda: services.transition(c, name, by=getattr(w, actor), date=day,
                                                                  report=report, reason=reason, grade=grade)):
                c.refresh_from_db()
                assert (before, c.state) == (before, t.target)
                REACHED.add(c.state)

        @precondition(lambda self: self.case is not None and any(
            Case.objects.get(pk=self.case.pk).state in CASE.get(n).source for n in SIDES))
        @rule(pick=st.integers(0, 1))
        def side_exit(self, pick):
            """A step off the main path (decline, cancel, dispute, return, refuse) by the one who may take it."""
            c = Case.objects.get(pk=self.case.pk)
            available = [n for n in SIDES if c.state in CASE.get(n).source]
            name = available[pick % len(available)]
            self.case_step(name=name, actor=SIDES[name], days=None, report="", reason="理由", grade="A")

        @precondition(lambda self: self.case is not None)
        @rule(grade=st.sampled_from(["A", "A", "AA", "AAA"]), steps=st.integers(1, 8), resolve=st.booleans(),
              notice=st.sampled_from([-30, -3]))
        def advance(self, grade, steps, resolve, notice):
            """The main path's next steps with sensible inputs, so that deep states are reached too."""
            for _ in range(steps):
                self.advance_one(grade, resolve, notice)
                if Case.objects.get(pk=self.case.pk).state == "in_notice":
                    break  # a public notice is a pause: anyone may object before the certificate is issued

        def advance_one(self, grade, resolve=True, notice=-30):
            c = Case.objects.get(pk=self.case.pk)
            plan = {"accept": ("assessor", None), "plan_stage1": ("assessor", -20),
                    "complete_stage1": ("assessor", None), "plan_stage2": ("assessor", -10),
                    "complete_stage2": ("assessor", None),
                    "conclude": ("assessor", None), "confirm": ("ent_a", None), "submit_review": ("assessor", None),
                    "publish_notice": ("committee", -30), "issue": ("committee", None)}
            name = next((n for n in plan if c.state in CASE.get(n).source), None)
            if name is None:
                return
            for f in c.findings.exclude(state="verified") if resolve and c.state not in CASE.terminal else []:
                # the enterprise corrects, the assessor verifies
                if f.state == "open":
                    self.attempt(True, lambda f=f: services.finding_transition(f, "answer", by=w.ent_a, answer="整改"))
                if c.team.filter(user=w.assessor).exists():
                    self.attempt(True, lambda f=f: services.finding_transition(f, "verify", by=w.assessor))
            if name in ("plan_stage1", "plan_stage2") and not c.team.filter(role="lead").exists():
                services.assign_assessor(c, w.assessor, CaseAssessor.Role.LEAD, by=w.assessor)
            actor, days = plan[name]
            days = notice if name == "publish_notice" else days  # -3: the notice still runs, no certificate yet
            self.case_step(name=name, actor=actor, days=days, report="报告", reason="理由", grade=grade)

        def guards_hold(self, c, name, day, report, reason, grade) -> bool:
            lead = c.team.filter(role="lead").exists()
            if name == "plan_stage1":
                return lead and day is not None
            if name == "plan_stage2":
                return lead and day is not None and day >= c.stage1_on
            if name == "complete_stage1":
                return c.stage1_on <= today and bool(report)
            if name == "complete_stage2":
                return c.stage2_on <= today and bool(report)
            if name == "conclude":
                latest = self.stages[-1] if self.stages else None
                need = {"A": 0, "AA": 2, "AAA": 3}[grade]
                return (not c.findings.exclude(state="verified").exists() and bool(report)
                        and (need == 0 or (latest is not None and latest >= need)))
            if name in ("decline", "cancel", "dispute", "return_case", "refuse"):
                return bool(reason)
            if name == "publish_notice":
                return day is not None
            if name == "issue":
                return c.notice_end is not None and c.notice_end <= today
            return True

        @precondition(lambda self: self.case is not None)
        @rule(actor=st.sampled_from(["assessor", "assessor", "other_assessor", "ent_a"]))
        def raise_finding(self, actor):
            c = Case.objects.get(pk=self.case.pk)
            expected = "assessor" in self.roles(actor, c) and c.state in AUDIT_STATES
            self.attempt(expected, lambda: services.raise_finding(c, severity="minor", clause="9", description="d",
                                                                   evidence="e", by=getattr(w, actor)))

        @precondition(lambda self: Finding.objects.exists())
        @rule(name=st.sampled_from(["answer", "verify", "reopen"]),
              actor=st.sampled_from(["ent_a", "assessor", *ACTORS]),
              text=st.sampled_from(["", "整改"]), data=st.data())
        def finding_step(self, name, actor, text, data):
            f = data.draw(st.sampled_from(list(Finding.objects.order_by("pk"))))
            t = FINDING.get(name)
            need_text = {"answer": "answer", "reopen": "reason"}.get(name)
            expected = f.case.state not in CASE.terminal and f.state in t.source and \
                bool(self.roles(actor, f.case) & t.roles) and (need_text is None or bool(text))
            self.attempt(expected, lambda: services.finding_transition(
                f, name, by=getattr(w, actor), answer=text if name == "answer" else "",
                reason=text if name == "reopen" else ""))

        @precondition(lambda self: Certificate.objects.exists())
        @rule(name=st.sampled_from(["surveil", "suspend", "reinstate", "withdraw", "change"]),
              actor=st.sampled_from(["assessor", "committee", "assessor", "committee", *ACTORS]),
              text=st.sampled_from(["", "说明", "说明"]))
        def certificate_step(self, name, actor, text):
            cert = Certificate.objects.order_by("-id").first()
            t = CERTIFICATE.get(name)
            roles = {"body", "assessor"} if actor == "assessor" and cert.case.team.filter(user=w.assessor).exists() \
                else {"body"} if actor == "assessor" else {"committee"} if actor == "committee" else set()
            due = cert.surveillances.filter(done_on__isnull=True).exists()
            guard = bool(text) and (name != "surveil" or due)
            self.renames += 1
            expected = cert.state in t.source and bool(roles & t.roles) and guard
            self.attempt(expected, lambda: services.certificate_transition(
                cert, name, by=getattr(w, actor), reason=text, report=text,
                changes={"enterprise_name": f"更名{self.renames}"} if name == "change" else None))

        @precondition(lambda self: Certificate.objects.exists())
        @rule(lapse=st.booleans())
        def daily_run(self, lapse):
            """Time passes (the newest certificate's validity may end) and the scheduled daily run
            records the expiry of exactly the certificates in force past their validity."""
            if lapse:
                Certificate.objects.filter(pk=Certificate.objects.order_by("-id").first().pk).update(
                    valid_until=today - dt.timedelta(days=1))
            due = set(Certificate.objects.filter(state__in=["valid", "suspended"], valid_until__lt=today)
                      .values_list("pk", flat=True))
            assert services.expire_certificates() == len(due)
            assert set(Certificate.objects.filter(pk__in=due).values_list("state", flat=True)) <= {"expired"}
            services.announce_overdue_surveillance()
            assert services.announce_overdue_surveillance() == 0  # each overdue audit is announced once

        # ------------------------------------------------------------------------- invariants
        @invariant()
        def states_are_declared_and_trails_are_declared_paths(self):
            for c in Case.objects.all():
                assert c.state in CASE.states
                state = CASE.initial
                for e in c.history().order_by("at", "id"):
                    if "to_state" not in e.data:
                        continue  # an assignment
                    name = e.action.split(".", 1)[1]
                    t = CASE.get(name)
                    assert e.data["from_state"] == state and state in t.source and e.data["to_state"] == t.target
                    state = t.target
                assert state == c.state
            for f in Finding.objects.all():
                assert f.state in FINDING.states
            for cert in Certificate.objects.all():
                assert cert.state in CERTIFICATE.states

        @invariant()
        def certificates_exist_exactly_for_certified_cases(self):
            certified = set(Case.objects.filter(state="certified").values_list("pk", flat=True))
            REACHED.update(Case.objects.values_list("state", flat=True))
            REACHED.update("cert:" + s for s in Certificate.objects.values_list("state", flat=True))
            REACHED.update("finding:" + s for s in Finding.objects.values_list("state", flat=True))
            assert certified == set(Certificate.objects.values_list("case_id", flat=True))
            active = Case.objects.filter(enterprise=w.a).exclude(state__in=CASE.terminal).count()
            assert active <= 1

    return Machine


def test_every_state_is_reached_with_the_oracle_agreeing(world):
    """The tour: a run from each starting point, so every state is surely visited (the random runs below
    then explore from random starting points)."""
    Machine = machine_for(world)
    REACHED.clear()
    for depth in range(DEPTHS):
        m = Machine()
        try:
            m.start_somewhere(depth=depth)
            m.states_are_declared_and_trails_are_declared_paths()
            m.certificates_exist_exactly_for_certified_cases()
        finally:
            m.teardown()
    assert set(CASE.states) - {"new"} <= REACHED, sorted(set(CASE.states) - REACHED)
    assert {"cert:valid", "cert:suspended", "cert:withdrawn"} <= REACHED, sorted(REACHED)


def test_no_sequence_of_actions_reaches_an_illegal_state_or_skips_a_guard(world):
    run_state_machine_as_test(machine_for(world), settings=settings(
        max_examples=40, stateful_step_count=50, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # a failure prints its whole sequence; shrinking DB runs is slow
        suppress_health_check=list(HealthCheck)))
