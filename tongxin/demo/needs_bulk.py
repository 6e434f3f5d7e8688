"""The bulk path for needs: the rows the services would write for a plan, computed here and loaded
in batches (COPY on PostgreSQL), for a district's year of needs (~0.45M needs, ~3M events).

It replays each plan on an unsaved Need with the services' own pieces — the transition table,
the deadline clock functions (tongxin.needs.deadlines), the text cleaning of intake, the
classifier — and writes what the services' steps would have changed and the event they would have
appended, with the same notes. The clock's ticks (urging and escalation) are replayed per need
at the same moments as the services path runs them; a need's clock depends on nothing but its
own row, so this gives the same events. tests/test_needs_bulk.py compares the two paths row by
row. Not written here: notifications (a bulk history is not news to anyone) and one audit row
per step (one per kind of row, with the counts, as for the people)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.crypto import encrypt
from tongxin.core.validators import clean_text, normalize_mobile
from tongxin.insight import classifier
from tongxin.needs import deadlines
from tongxin.needs.models import EventKind as K
from tongxin.needs.models import Need, NeedEvent
from tongxin.needs.models import Status as S
from tongxin.needs.services.clock import escalation_note, urge_note
from tongxin.needs.services.flow import dispatch_note, visit_note
from tongxin.needs.services.intake import PLACE_MAX, clean_need_text, clean_tags
from tongxin.needs.services.steps import CLOCK_STARTS, PRIVATE_STEPS, assignee_key
from tongxin.needs.transitions import OPEN, changes_status, target_of
from tongxin.orgs.models import Organization
from tongxin.people.models import Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.workdays.calendar import WorkCalendar, work_calendar

from .needs_cast import Cast
from .needs_plan import NeedPlan, Place, Step, first_tick_after
from .tables import Columns, RowTable, plain_indexes_deferred

NOTE_MAX = 500
BATCH = 5000
NEED_COLUMNS = Columns(Need)
EVENT_COLUMNS = Columns(NeedEvent, exclude=("id",))
TARGET_MODELS: dict[str, Any] = {"territory": Territory, "org": Organization, "unit": Unit, "person": Person}
ASSIGNEE_ATTR = {
    "territory": "assigned_territory_id",
    "org": "assigned_org_id",
    "unit": "assigned_unit_id",
    "person": "assigned_person_id",
}


def _clear_assignee(need: Need) -> None:
    need.assigned_territory_id = need.assigned_org_id = need.assigned_unit_id = need.assigned_person_id = None


class Replay:
    """One need's life as rows: the need (mutated step by step) and its events."""

    def __init__(self, writer: BulkNeedWriter, plan: NeedPlan, pk: int) -> None:
        self.writer, self.plan = writer, plan
        self.events: list[tuple] = []
        self.need: Need
        self._submitted(pk)
        self.cursor = plan.submitted_at

    def _submitted(self, pk: int) -> None:
        plan, writer = self.plan, self.writer
        user = writer.cast.user(plan.submitter, plan.street_id)
        text = clean_need_text(plan.text)
        suggestion = writer.suggestion(text)
        need = Need(
            id=pk,
            person_id=plan.person_id,
            caller_name=clean_text(plan.caller_name)[:50],
            caller_phone=normalize_mobile(plan.caller_phone) if plan.caller_phone else "",
            submitted_by_id=user.pk,
            channel=plan.channel,
            text=text,
            category_id=plan.category,
            urgent=plan.urgent,
            tags=clean_tags(plan.tags),
            community=writer.community(plan.community_id),
            place=clean_text(plan.place)[:PLACE_MAX],
            private=plan.private,
            status=S.SUBMITTED,
            submitted_at=plan.submitted_at,
            updated_at=plan.submitted_at,
            suggested_category=suggestion.category,
            suggested_urgent=suggestion.urgent,
            suggestion_confidence=suggestion.confidence,
        )
        deadlines.clock_start_accept(need, calendar=writer.calendar)
        self.need = need
        self._event(
            user_id=user.pk, label=user.get_username(), at=plan.submitted_at, kind=K.SUBMIT, before=""
        )

    def _event(
        self,
        *,
        user_id: int | None,
        label: str,
        at: datetime,
        kind: str,
        before: str,
        note: str = "",
        key: str = "",
    ) -> None:
        self.events.append(
            EVENT_COLUMNS.row(
                {
                    "need_id": self.need.pk,
                    "actor_id": user_id,
                    "actor_label": label,
                    "at": at,
                    "kind": kind,
                    "from_status": before,
                    "to_status": self.need.status,
                    "note": note,
                    "public": kind not in PRIVATE_STEPS,
                    "assignee_key": key,
                }
            )
        )

    def run(self) -> None:
        for step in self.plan.steps:
            self.clock_until(step.at)
            self.step(step)
        self.clock_until(self.writer.now)

    # --- the services' steps -------------------------------------------------------------------

    def record(
        self,
        *,
        kind: str,
        at: datetime,
        actor: tuple[int | None, str],
        note: str = "",
        key: str = "",
        change: Any = None,
    ) -> None:
        need = self.need
        before = need.status
        key = key or assignee_key(need)
        need.status = target_of(kind, before)
        if change is not None:
            change(need)
        if changes_status(kind):
            if kind in CLOCK_STARTS:
                deadlines.clock_restart_handling(need, started_at=at, calendar=self.writer.calendar)
            elif need.status not in OPEN:
                deadlines.clock_clear(need)
        need.updated_at = at
        self._event(user_id=actor[0], label=actor[1], at=at, kind=kind, before=before, note=note, key=key)

    def step(self, step: Step) -> None:
        plan, at, kind = self.plan, step.at, step.kind
        user = self.writer.cast.user(step.actor, plan.street_id)
        who: dict[str, Any] = {"actor": (user.pk, user.get_username()), "at": at, "kind": kind}
        if kind == K.ACCEPT:

            def accept(n: Need) -> None:
                n.accepted_at = at

            self.record(**who, change=accept)
        elif kind in (K.RETURN, K.BOUNCE):
            reason = clean_need_text(step.note, field="reason", limit=NOTE_MAX)

            def bounce(n: Need) -> None:
                _clear_assignee(n)
                n.bounce_count += 1

            self.record(**who, note=reason, change=bounce if kind == K.BOUNCE else None)
        elif kind == K.DISPATCH:
            assert step.target is not None
            kind_of_target, target_pk = step.target

            def dispatch(n: Need) -> None:
                _clear_assignee(n)
                setattr(n, ASSIGNEE_ATTR[kind_of_target], target_pk)

            note = dispatch_note(
                to_person=kind_of_target == "person", name=self.writer.target_name(step.target)
            )
            self.record(**who, note=note, key=f"{kind_of_target}:{target_pk}", change=dispatch)
        elif kind == K.CLAIM:

            def claim(n: Need) -> None:
                _clear_assignee(n)
                n.assigned_person_id = user.person_id

            self.record(**who, note=_("已有热心人认领"), change=claim)
        elif kind in (K.START, K.ARCHIVE):
            self.record(**who)
        elif kind == K.RESOLVE:
            result = clean_need_text(step.note, field="result", limit=NOTE_MAX)

            def resolve(n: Need) -> None:
                n.resolution, n.resolved_at = result, at

            self.record(**who, note=result, change=resolve)
        elif kind == K.VISIT:
            rating, comment = step.rating, step.note.strip()[:NOTE_MAX]
            assert rating is not None

            def visit(n: Need) -> None:
                n.rating, n.comment, n.visited_at = rating, comment, at

            note = visit_note(need=self.need, user=user, rating=rating, comment=comment)
            self.record(**who, note=note, change=visit)
        elif kind == K.CONSENT:

            def consent(n: Need) -> None:
                n.story_consent_at = at

            self.record(**who, note=_("居民同意公开事迹"), change=consent)
        elif kind == K.REOPEN:

            def reopen(n: Need) -> None:
                _clear_assignee(n)
                n.rating, n.comment, n.visited_at, n.resolved_at = None, "", None, None

            self.record(**who, note=step.note.strip()[:NOTE_MAX], change=reopen)
        elif kind == K.WITHDRAW:
            self.record(**who, note=step.note.strip()[:NOTE_MAX])
        elif kind == K.MERGE:
            assert step.merge_into is not None
            into = self.writer.pk_of(step.merge_into)

            def merge(n: Need) -> None:
                n.merged_into_id = into

            self.record(**who, note=_("与编号%(pk)s的诉求合并办理") % {"pk": into}, change=merge)
        else:
            raise ValueError(f"no bulk step for a planned {kind}")
        self.cursor = at

    # --- the clock's ticks (tongxin.needs.services.clock) ----------------------------------------

    def clock_until(self, until: datetime) -> None:
        need = self.need
        while need.status in OPEN:
            due = [need.escalate_at] if need.escalate_at else []
            if need.urge_at and need.urged_at is None:
                due.append(need.urge_at)
            if not due:
                return
            earliest = min(due)
            tick = first_tick_after(max(self.cursor, earliest - _MICRO))
            if tick >= until:
                return
            if need.escalate_at is not None and need.escalate_at <= tick:
                self.escalate(tick)
            if need.status in OPEN and need.urge_at and need.urged_at is None and need.urge_at <= tick:
                self.urge(tick)
            self.cursor = tick

    def escalate(self, now: datetime) -> None:
        need, writer = self.need, self.writer
        level = need.escalation_level + 1
        target = writer.escalation_target(need, level)
        if target is None:
            need.escalate_at = None
            return
        note = escalation_note(need, target)
        further = writer.escalation_target(need, level + 1) is not None

        def change(n: Need) -> None:
            n.escalation_level, n.escalated_to_id, n.escalated_at = level, target.pk, now
            n.urged_at = n.urged_at or now
            n.escalate_at = deadlines.next_escalate_at(n, now, calendar=writer.calendar) if further else None

        self.record(kind=K.ESCALATE, at=now, actor=(None, writer.clock_label), note=note, change=change)

    def urge(self, now: datetime) -> None:
        note = urge_note(self.need)

        def change(n: Need) -> None:
            n.urged_at = now

        self.record(kind=K.URGE, at=now, actor=(None, self.writer.clock_label), note=note, change=change)

    def need_row(self) -> tuple:
        need = self.need
        values = {f.attname: getattr(need, f.attname) for f in NEED_COLUMNS.fields}
        values["caller_name"] = encrypt(need.caller_name) if need.caller_name else ""
        values["caller_phone"] = encrypt(need.caller_phone) if need.caller_phone else ""
        values["tags"] = json.dumps(need.tags)
        return NEED_COLUMNS.row(values)


_MICRO = datetime.resolution


class BulkNeedWriter:
    def __init__(self, *, cast: Cast, now: datetime, by: Actor, batch_size: int = BATCH) -> None:
        from tongxin.needs.services.clock import CLOCK

        self.cast, self.now, self.by, self.batch_size = cast, now, by, batch_size
        self.clock_label = CLOCK.label
        self.calendar: WorkCalendar = work_calendar()
        self.communities = {t.pk: t for t in Territory.objects.filter(level__in=("community", "village"))}
        self._names: dict[tuple[str, int], str] = {}
        self._escalations: dict[tuple[int, int], Territory | None] = {}
        self._suggestions: dict[str, classifier.Suggestion] = {}
        self._pks: dict[int, int] = {}
        self.first_pk = (Need.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def community(self, pk: int) -> Territory:
        return self.communities[pk]

    def pk_of(self, plan: NeedPlan) -> int:
        return self.first_pk + plan.index

    def target_name(self, key: tuple[str, int]) -> str:
        if key not in self._names:
            self._names[key] = str(TARGET_MODELS[key[0]].objects.get(pk=key[1]))
        return self._names[key]

    def prime(self, places: Iterable[Place], texts: Iterable[str]) -> None:
        """Look up in a few queries what the replays will ask for: the names of every possible
        assignee, and the classifier's suggestion for every text (in one batch)."""
        places = list(places)
        keys = [("territory", p.pk) for p in places]
        keys += [("org", pk) for p in places for pk in p.branches]
        keys += [("unit", pk) for p in places for pk in p.units]
        keys += [("person", pk) for p in places for pk in p.members]
        for kind, model in TARGET_MODELS.items():
            wanted = [pk for k, pk in keys if k == kind]
            for i in range(0, len(wanted), 5000):
                for obj in model.objects.filter(pk__in=wanted[i : i + 5000]):
                    self._names[(kind, obj.pk)] = str(obj)
        cleaned = sorted({clean_need_text(t) for t in texts} - set(self._suggestions))
        for i in range(0, len(cleaned), 2000):
            batch = cleaned[i : i + 2000]
            self._suggestions.update(zip(batch, classifier.classify_many(batch), strict=True))

    def escalation_target(self, need: Need, level: int) -> Territory | None:
        key = (need.community_id, level)
        if key not in self._escalations:
            self._escalations[key] = deadlines.escalation_target(need, level)
        return self._escalations[key]

    def suggestion(self, text: str) -> classifier.Suggestion:
        if text not in self._suggestions:
            self._suggestions[text] = classifier.classify(text)
        return self._suggestions[text]

    def write(self, plans: Iterable[NeedPlan]) -> dict[str, int]:
        need_table, event_table = RowTable(Need, NEED_COLUMNS), RowTable(NeedEvent, EVENT_COLUMNS)
        counts = {"needs": 0, "need events": 0}
        need_rows: list[tuple] = []
        event_rows: list[tuple] = []

        def flush() -> None:
            need_table.write(need_rows)
            event_table.write(event_rows)
            counts["needs"] += len(need_rows)
            counts["need events"] += len(event_rows)
            need_rows.clear()
            event_rows.clear()

        with plain_indexes_deferred(Need, NeedEvent):
            for plan in plans:
                replay = Replay(self, plan, self.pk_of(plan))
                replay.run()
                need_rows.append(replay.need_row())
                event_rows.extend(replay.events)
                if len(need_rows) >= self.batch_size:
                    flush()
            flush()
        need_table.reset_sequence()
        for model, count in ((Need, counts["needs"]), (NeedEvent, counts["need events"])):
            audit_record(
                actor=self.by,
                action=AuditAction.CREATE,
                object_type=model._meta.label_lower,
                object_repr=f"批量生成{model._meta.verbose_name}",
                detail={"bulk": True, "count": count},
            )
        return counts
