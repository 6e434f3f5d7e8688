"""Pages: a resident or member registers herself on the phone; staff list, find, export and
register volunteers in their scope, and keep teams and their members. Views stay thin."""

from typing import Any

from django.contrib import messages
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.accounts.pages import staff_page
from tongxin.accounts.policies import Action, visible
from tongxin.core.masking import age_on, mask_id_number, mask_mobile
from tongxin.core.validators import parse_row_id
from tongxin.ledger.models import Currency
from tongxin.ledger.selectors import balances_of, star_level
from tongxin.matching.models import HelperProfile
from tongxin.matching.skills import SKILL_BIT, SKILL_LABEL, SKILLS, slot_label
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory

from .forms import RegisterForm, TeamForm
from .models import TeamMember, Volunteer, VolunteerStatus
from .policies import (
    access_team,
    access_volunteer,
    can_manage_team,
    teams_visible_to,
    volunteer_of,
    volunteers_visible_to,
)
from .services import (
    VolunteerError,
    team_create,
    team_member_add,
    team_member_remove,
    team_update,
    volunteer_register,
    volunteer_withdraw,
)
from .web import (
    actor,
    owner_choices,
    owner_from_value,
    page_of,
    person_search,
    phone_page,
    xlsx_export,
)

STEP = Territory.steplen


# --- Shared ------------------------------------------------------------------------------------


def _refuse(form: Any, refusal: VolunteerError) -> None:
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def _community_of(person: Person) -> Territory | None:
    if person.residence is None or len(person.residence.path) < 3 * STEP:
        return None
    return Territory.objects.filter(
        path=person.residence.path[: 3 * STEP], level__in=COMMUNITY_LEVELS
    ).first()


def _own_communities(person: Person, profile: HelperProfile | None) -> QuerySet[Territory]:
    """Communities of the streets where she lives and where her branch is, and those she serves."""
    places = []
    if person.residence is not None:
        places.append(person.residence.path)
    membership = Membership.objects.filter(person=person).select_related("organization__territory").first()
    if membership is not None and membership.organization.territory is not None:
        places.append(membership.organization.territory.path)
    q = Q(pk__in=profile.communities.values("pk")) if profile else Q(pk__in=[])
    for street in {p[: 2 * STEP] for p in places if len(p) >= 2 * STEP}:
        q |= Q(path__startswith=street)
    return Territory.objects.filter(q, level__in=COMMUNITY_LEVELS).order_by("path")


def _initial(person: Person, profile: HelperProfile | None, volunteer: Volunteer | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"consent": bool(volunteer and volunteer.status == VolunteerStatus.ACTIVE)}
    if profile is not None:
        initial |= {
            "skills": profile.skills,
            "slots": profile.slots,
            "communities": list(profile.communities.all()),
        }
    else:
        home = _community_of(person)
        initial["communities"] = [home] if home else []
    return initial


def _register(request: HttpRequest, form: RegisterForm, person: Person) -> Volunteer | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return volunteer_register(
            person=person,
            skills=data["skills"],
            slots=data["slots"],
            communities=list(data["communities"]),
            consent=data["consent"],
            by=actor(request),
            now=timezone.now(),
        )
    except VolunteerError as refusal:
        _refuse(form, refusal)
        return None


# --- Phone -------------------------------------------------------------------------------------


@phone_page
def m_register(request: HttpRequest) -> HttpResponse:
    """志愿者注册: she registers herself; opening it again shows and edits her registration."""
    person: Person = request.person  # type: ignore[attr-defined]
    volunteer = volunteer_of(person)
    profile = HelperProfile.objects.filter(person=person).first()
    form = RegisterForm(
        request.POST or None,
        initial=_initial(person, profile, volunteer),
        communities=_own_communities(person, profile),
    )
    status = 200
    if request.method == "POST":
        if request.POST.get("withdraw") and volunteer is not None:
            try:
                volunteer_withdraw(volunteer=volunteer, by=actor(request), now=timezone.now())
            except VolunteerError as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("已撤回同意,您的志愿者注册已暂停。服务记录仍然保留。"))
            return redirect("volunteers:m_register")
        saved = _register(request, form, person)
        if saved is not None:
            messages.success(request, _("已保存。您的志愿者编号是 %(code)s,谢谢您!") % {"code": saved.code})
            return redirect("volunteers:m_register")
        status = 400
    context = {"form": form, "volunteer": volunteer, "has_home": person.residence_id is not None}
    return render(request, "volunteers/m_register.html", context, status=status)


# --- Staff: volunteers ---------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {k: source.get(k, "").strip()[:50] for k in ("q", "community", "skill", "team", "status")}


def _listed(user: Any, f: dict[str, str]) -> QuerySet[Volunteer]:
    qs = volunteers_visible_to(user).select_related("person__residence", "person__helper_profile")
    if f["q"]:
        qs = qs.filter(Q(person__name__icontains=f["q"]) | Q(code__iexact=f["q"]))
    community = parse_row_id(f["community"]) if f["community"] else None
    if community is not None:
        qs = qs.filter(person__helper_profile__communities=community)
    if f["skill"] in SKILL_BIT:
        qs = qs.annotate(_sk=F("person__helper_profile__skill_bits").bitand(SKILL_BIT[f["skill"]])).filter(
            _sk__gt=0
        )
    team = parse_row_id(f["team"]) if f["team"] else None
    if team is not None:
        qs = qs.filter(
            pk__in=TeamMember.objects.filter(team_id=team, left_on__isnull=True).values("volunteer_id")
        )
    if f["status"] in VolunteerStatus.values:
        qs = qs.filter(status=f["status"])
    return qs.order_by("person__name_sort", "pk")


def _filter_choices(user: Any) -> dict[str, Any]:
    return {
        "communities": visible(user, Territory).filter(level__in=COMMUNITY_LEVELS).order_by("path")[:500],
        "skills": SKILLS,
        "teams": teams_visible_to(user).order_by("name")[:500],
        "statuses": VolunteerStatus.choices,
    }


@staff_page
def volunteer_list(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    page = page_of(request, _listed(request.user, f))
    context = {"page": page, "f": f, "filtered": any(f.values()), **_filter_choices(request.user)}
    return render(request, "volunteers/list.html", context)


def _skill_words(person: Person) -> str:
    profile = getattr(person, "helper_profile", None)
    return "、".join(str(SKILL_LABEL[c]) for c in profile.skills) if profile else ""


@require_POST
@staff_page
def volunteer_export(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    today = timezone.localdate()
    rows = (
        (
            v.code,
            v.person.name,
            v.person.get_gender_display(),
            age_on(v.person.birth_date, today),
            mask_mobile(v.person.mobile or ""),
            v.person.residence.name if v.person.residence else "",
            _skill_words(v.person),
            v.get_status_display(),
            timezone.localtime(v.registered_at).strftime("%Y-%m-%d"),
        )
        for v in _listed(request.user, f).iterator(chunk_size=500)
    )
    return xlsx_export(
        request,
        filename=_("志愿者"),
        title=_("志愿者"),
        headers=[
            _("志愿者编号"),
            _("姓名"),
            _("性别"),
            _("年龄"),
            _("手机号"),
            _("居住社区/网格"),
            _("专长"),
            _("状态"),
            _("注册日期"),
        ],
        rows=rows,
        object_type="volunteers.volunteer",
        filters=f,
    )


@staff_page
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = access_volunteer(request.user, pk)
    person = volunteer.person
    profile = HelperProfile.objects.filter(person=person).first()
    balances = balances_of(person=person)
    memberships = (
        TeamMember.objects.filter(volunteer=volunteer)
        .select_related("team")
        .order_by("left_on", "-joined_on")
    )
    # Records live one layer up (records app); read through the reverse relation, newest first.
    records = person.service_records.select_related(  # type: ignore[attr-defined]
        "team", "organization", "territory", "unit"
    ).order_by("-started_at", "-pk")[:20]
    context = {
        "v": volunteer,
        "person": person,
        "mobile": mask_mobile(person.mobile or ""),
        "id_number": mask_id_number(person.id_number or ""),
        "age": age_on(person.birth_date, timezone.localdate()),
        "profile": profile,
        "skills": [SKILL_LABEL[c] for c in profile.skills] if profile else [],
        "slots": [slot_label(c) for c in profile.slots] if profile else [],
        "hours": f"{balances.get(Currency.HOURS, 0) / 60:.1f}",
        "points": balances.get(Currency.POINTS, 0),
        "credits": f"{balances.get(Currency.CREDITS, 0) / 60:.1f}",
        "stars": star_level(minutes=balances.get(Currency.HOURS, 0)),
        "memberships": memberships,
        "records": records,
        "may_edit": visible(request.user, Person, Action.CHANGE).filter(pk=person.pk).exists(),
    }
    return render(request, "volunteers/detail.html", context)


@staff_page
def volunteer_register_staff(request: HttpRequest) -> HttpResponse:
    """Register a person on her behalf (a paper form she signed): find her, then her details."""
    user = request.user
    raw = (request.POST.get("person") or request.GET.get("person") or "").strip()
    pk = parse_row_id(raw) if raw else None
    person = (
        visible(user, Person, Action.CHANGE).select_related("residence").filter(pk=pk).first() if pk else None
    )
    volunteer = volunteer_of(person) if person else None
    profile = HelperProfile.objects.filter(person=person).first() if person else None
    communities = visible(user, Territory).filter(level__in=COMMUNITY_LEVELS).order_by("path")
    if profile is not None:
        communities = communities | Territory.objects.filter(pk__in=profile.communities.values("pk"))
    form = RegisterForm(
        request.POST if request.method == "POST" and person else None,
        initial=_initial(person, profile, volunteer) if person else {},
        communities=communities,
    )
    form.fields["consent"].label = _("本人已在纸质登记表上签字,同意实名注册为志愿者。")
    status = 200
    if request.method == "POST":
        if person is None:
            messages.error(request, _("请从搜索结果中选择要登记的人员。"))
            status = 400
        else:
            saved = _register(request, form, person)
            if saved is not None:
                messages.success(
                    request,
                    _("已登记志愿者 %(name)s,编号 %(code)s。") % {"name": person.name, "code": saved.code},
                )
                return redirect("volunteers:detail", pk=saved.pk)
            status = 400
    context = {"form": form, "person": person, "volunteer": volunteer}
    return render(request, "volunteers/register.html", context, status=status)


@staff_page
def person_search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("pq", "")
    persons = person_search(request.user, query)
    registered = set(Volunteer.objects.filter(person__in=persons).values_list("person_id", flat=True))
    return render(
        request,
        "volunteers/_persons.html",
        {
            "persons": persons,
            "query": query.strip()[:50],
            "registered": registered,
            "target": request.GET.get("for", ""),
        },
    )


# --- Staff: teams --------------------------------------------------------------------------------


def _leader(user: Any, code: str) -> Volunteer | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    leader = Volunteer.objects.filter(code=code).first()
    if leader is None:
        raise VolunteerError(_("没有找到编号为 %(code)s 的志愿者。") % {"code": code}, field="leader")
    return leader


@staff_page
def team_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    teams = teams_visible_to(request.user).select_related(
        "organization", "territory", "unit", "leader__person"
    )
    if q:
        teams = teams.filter(name__icontains=q)
    teams = teams.annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True))).order_by(
        "name", "pk"
    )
    context = {"page": page_of(request, teams), "q": q, "may_create": bool(owner_choices(request.user))}
    return render(request, "volunteers/team_list.html", context)


@staff_page
def team_create_page(request: HttpRequest) -> HttpResponse:
    owners = owner_choices(request.user)
    form = TeamForm(request.POST or None, owners=owners)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                owner = owner_from_value(request.user, data["owner"])
                if owner is None:
                    raise VolunteerError(_("请选择服务队隶属的社区、党组织或单位。"), field="owner")
                team = team_create(
                    name=data["name"],
                    owner=owner,
                    leader=_leader(request.user, data["leader"]),
                    description=data["description"],
                    by=actor(request),
                    now=timezone.now(),
                )
            except VolunteerError as refusal:
                _refuse(form, refusal)
            else:
                messages.success(request, _("已成立服务队“%(name)s”。") % {"name": team.name})
                return redirect("volunteers:team_detail", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form, "team": None}, status=status)


@staff_page
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk, manage=True)
    form = TeamForm(
        request.POST or None,
        owners=None,
        initial={
            "name": team.name,
            "leader": team.leader.code if team.leader else "",
            "description": team.description,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                team_update(
                    team=team,
                    name=data["name"],
                    leader=_leader(request.user, data["leader"]),
                    description=data["description"],
                    by=actor(request),
                    now=timezone.now(),
                )
            except VolunteerError as refusal:
                _refuse(form, refusal)
            else:
                messages.success(request, _("已保存。"))
                return redirect("volunteers:team_detail", pk=team.pk)
    return render(request, "volunteers/team_form.html", {"form": form, "team": team}, status=status)


@staff_page
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk)
    members = TeamMember.objects.filter(team=team).select_related("volunteer__person__residence")
    context = {
        "team": team,
        "current": members.filter(left_on__isnull=True).order_by("volunteer__person__name_sort"),
        "former": members.filter(left_on__isnull=False).order_by("-left_on")[:50],
        "may_manage": can_manage_team(request.user, team),
    }
    return render(request, "volunteers/team_detail.html", context)


@require_POST
@staff_page
def team_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    team = access_team(request.user, pk, manage=True)
    code = request.POST.get("code", "").strip().upper()[:32]
    volunteer = volunteers_visible_to(request.user).filter(code=code).first() if code else None
    if volunteer is None:
        messages.error(request, _("请填写您范围内志愿者的编号。"))
    else:
        try:
            team_member_add(team=team, volunteer=volunteer, by=actor(request), now=timezone.now())
        except VolunteerError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("%(name)s 已入队。") % {"name": volunteer.person.name})
    return redirect("volunteers:team_detail", pk=team.pk)


@require_POST
@staff_page
def team_member_remove_view(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    team = access_team(request.user, pk, manage=True)
    volunteer = Volunteer.objects.filter(pk=volunteer_pk).select_related("person").first()
    if volunteer is None:
        messages.error(request, _("该志愿者不是本队队员。"))
    else:
        try:
            team_member_remove(team=team, volunteer=volunteer, by=actor(request), now=timezone.now())
        except VolunteerError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("%(name)s 已离队。") % {"name": volunteer.person.name})
    return redirect("volunteers:team_detail", pk=team.pk)
