"""Writes planned needs through the real services, as the people of the demo would have: every
step at its own moment, in the order things happened across all needs, with the deadline clock
ticking in between (tongxin.needs.services.clock) so that late needs are urged and escalated by
the same code as in production. Every rule is checked, every step audited and notified."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from tongxin.needs.models import EventKind as K
from tongxin.needs.models import Need
from tongxin.needs.services import (
    need_accept,
    need_archive,
    need_bounce,
    need_claim,
    need_dispatch,
    need_merge,
    need_reopen,
    need_resolve,
    need_return,
    need_start,
    need_story_consent,
    need_submit,
    need_visit,
    need_withdraw,
)
from tongxin.needs.services.clock import need_clock_advance
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .needs_cast import Cast, actor_of
from .needs_plan import NeedPlan, Step, ticks_between

TARGET_MODELS: dict[str, Any] = {"territory": Territory, "org": Organization, "unit": Unit, "person": Person}
SUBMIT, TICK = "submit", "tick"


def _moments(plans: list[NeedPlan], now: datetime) -> Iterator[tuple[datetime, int, str, Any]]:
    """Every submission, step and clock tick, in time order."""
    items: list[tuple[datetime, int, str, Any]] = []
    for plan in plans:
        items.append((plan.submitted_at, plan.index, SUBMIT, plan))
        items += [(step.at, plan.index, "step", (plan, step)) for step in plan.steps]
    if plans:
        items += [(tick, -1, TICK, None) for tick in ticks_between(plans[0].submitted_at, now)]
    heapq.heapify(items)
    while items:
        yield heapq.heappop(items)


class ServiceNeedWriter:
    def __init__(self, *, cast: Cast, now: datetime) -> None:
        self.cast, self.now = cast, now
        self.needs: dict[int, Need] = {}
        self.targets: dict[tuple[str, int], Any] = {}
        self.communities = {t.pk: t for t in Territory.objects.filter(level__in=("community", "village"))}

    def write(self, plans: Iterable[NeedPlan]) -> dict[str, int]:
        plans = list(plans)
        steps = ticks = 0
        for _at, _index, what, payload in _moments(plans, self.now):
            if what == SUBMIT:
                self.submit(payload)
            elif what == TICK:
                need_clock_advance(now=_at)
                ticks += 1
            else:
                plan, step = payload
                self.step(plan, step)
                steps += 1
        return {"needs": len(plans), "need steps": steps, "clock ticks": ticks}

    def submit(self, plan: NeedPlan) -> None:
        user = self.cast.user(plan.submitter, plan.street_id)
        person = Person.objects.get(pk=plan.person_id) if plan.person_id else None
        self.needs[plan.index] = need_submit(
            text=plan.text,
            category=plan.category,
            community=self.communities[plan.community_id],
            channel=plan.channel,
            by=actor_of(user),
            now=plan.submitted_at,
            person=person,
            caller_name=plan.caller_name,
            caller_phone=plan.caller_phone,
            urgent=plan.urgent,
            tags=plan.tags,
            place=plan.place,
            private=plan.private,
        )

    def target(self, key: tuple[str, int]) -> Any:
        if key not in self.targets:
            self.targets[key] = TARGET_MODELS[key[0]].objects.get(pk=key[1])
        return self.targets[key]

    def step(self, plan: NeedPlan, step: Step) -> None:
        need = self.needs[plan.index]
        by = actor_of(self.cast.user(step.actor, plan.street_id))
        at = step.at
        kind = step.kind
        if kind == K.ACCEPT:
            need_accept(need=need, by=by, now=at)
        elif kind == K.RETURN:
            need_return(need=need, reason=step.note, by=by, now=at)
        elif kind == K.DISPATCH:
            assert step.target is not None
            need_dispatch(need=need, to=self.target(step.target), by=by, now=at)
        elif kind == K.BOUNCE:
            need_bounce(need=need, reason=step.note, by=by, now=at)
        elif kind == K.CLAIM:
            need_claim(need=need, by=by, now=at)
        elif kind == K.START:
            need_start(need=need, by=by, now=at)
        elif kind == K.RESOLVE:
            need_resolve(need=need, result=step.note, by=by, now=at)
        elif kind == K.VISIT:
            assert step.rating is not None
            need_visit(need=need, rating=step.rating, comment=step.note, by=by, now=at)
        elif kind == K.CONSENT:
            need_story_consent(need=need, consent=True, by=by, now=at)
        elif kind == K.REOPEN:
            need_reopen(need=need, reason=step.note, by=by, now=at)
        elif kind == K.ARCHIVE:
            need_archive(need=need, by=by, now=at)
        elif kind == K.WITHDRAW:
            need_withdraw(need=need, reason=step.note, by=by, now=at)
        elif kind == K.MERGE:
            assert step.merge_into is not None
            need_merge(need=need, into=self.needs[step.merge_into.index], by=by, now=at)
        else:
            raise ValueError(f"no service for a planned {kind}")
