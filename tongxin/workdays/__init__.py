"""China's working-day calendar (public holidays and 调休) and the deadline policy for needs.

For the needs app:
- on acceptance: `schedule_for(category=..., urgent=..., accepted_at=now)` → DueSchedule
  (started_at, urge_at, due_at, escalate_at); store the four moments on the need;
- on submission: `accept_schedule_for(submitted_at=now, urgent=...)` for the 受理 deadline;
- in the scheduled task: `due_state(schedule=..., now=now)` → on_time / urge / overdue / escalate,
  or query the stored urge_at / due_at / escalate_at directly;
- for many needs at once, build `work_calendar()` once and pass it as `calendar=`.
Settings: TONGXIN_NEED_DEADLINES (overrides policy.DEFAULT_NEED_DEADLINES key by key),
TONGXIN_URGENT_CLOCK ("calendar" | "working"), TONGXIN_WORKDAY_START / _END ("09:00" / "17:30")."""
