"""The outsider on every route: Olivia (城关卫生院's clerk) walks every URL the site resolves,
aimed at the hospital's things (内科 and 外科 below 人民医院), by GET and by POST (CSRF off, so
only scope stands in her way). Nothing foreign is shown and nothing is written anywhere.

`ROUTES` names every route; a route added without an entry here fails
`test_every_route_is_walked_by_the_outsider`, so the walk stays complete as the site grows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from tests.inspections.conftest import submit_complete
from tests.world import PASSWORD, make_user
from weijian.accounts.actions import create_token
from weijian.documents.models import GeneratedDocument, SummaryTemplate, WordLayout
from weijian.inspections import actions as insp_actions
from weijian.inspections import templates_io
from weijian.inspections.models import ChecklistTemplate, InspectionPlan, Photo
from weijian.ledger.actions import RecordInput, create_activity
from weijian.ledger.builtin import load_builtin
from weijian.ledger.models import ActivityType, Attachment
from weijian.orgs.models import Role
from weijian.surveys.actions import create_survey, ensure_builtin_questionnaires

# What must never reach Olivia: the hospital's and its departments' names and the titles of
# the things made for them below (none of them occurs in her own township's pages).
FOREIGN = [
    "人民医院",
    "内科",
    "外科",
    "内科3月科务会",
    "外科院感月查",
    "创建健康促进医院",
    "人民医院住院患者调查",
    "红头文件",
    "人民医院总结",
    "alice的令牌",
]

# name → (kwargs of the URL from the foreign things `o`, query string, kind)
#   denied: GET and POST answer 403, 404 or 405
#   own:    the page may open (Olivia's own scope, or the global catalogue), shows nothing foreign
#   post:   a POST-only action: GET may redirect, POST answers 403, 404 or 405
#   public: no login needed by design (survey pages); still nothing written by a bare POST
DENIED, OWN, POST_DENIED, PUBLIC = "denied", "own", "post", "public"
ROUTES = {
    # 报表
    "task_board": (lambda o: {}, "?ou=HOS", OWN),
    "login": (lambda o: {}, "", OWN),
    "logout": (lambda o: {}, "", OWN),
    "my_forms": (lambda o: {}, "?ou=HOS", OWN),
    "entry": (lambda o: o.form_args, "", DENIED),
    "review": (lambda o: o.form_args, "", DENIED),
    "history": (lambda o: o.form_args, "", DENIED),
    "xlsx_download": (lambda o: o.form_args, "", DENIED),
    "xlsx_upload": (lambda o: o.form_args, "", DENIED),
    "review_list": (lambda o: {}, "?ou=HOS", OWN),
    "completeness": (lambda o: {}, "?ou=HOS", OWN),
    "completeness_detail": (lambda o: {"form_code": "WORK", "period_id": "202603"}, "?ou=HOS", OWN),
    "indicator_catalogue": (lambda o: {}, "", OWN),
    "dashboard": (lambda o: {}, "?ou=HOS&pe=2026", OWN),
    "validation": (lambda o: {}, "?ou=HOS&pe=202603", OWN),
    "pivot": (lambda o: {}, "?dx=OPD&pe=202603&ou=HOS", OWN),
    "pivot_xlsx": (lambda o: {}, "?dx=OPD&pe=202603&ou=HOS", OWN),
    # 台账
    "ledger_home": (lambda o: {}, "?ou=HOS", OWN),
    "ledger_calendar": (lambda o: {}, "?ou=HOS", OWN),
    "ledger_type_new": (lambda o: {}, "", DENIED),
    "ledger_type_edit": (lambda o: {"type_code": "MEET"}, "", DENIED),
    "ledger_detail": (lambda o: {"pk": o.meeting.pk}, "", DENIED),
    "ledger_edit": (lambda o: {"pk": o.meeting.pk}, "", DENIED),
    "ledger_delete": (lambda o: {"pk": o.meeting.pk}, "", DENIED),
    "ledger_attach": (lambda o: {"pk": o.meeting.pk}, "", DENIED),
    "ledger_file": (lambda o: {"pk": o.attachment.pk}, "", DENIED),
    "ledger_file_delete": (lambda o: {"pk": o.attachment.pk}, "", DENIED),
    "ledger_list": (lambda o: {"type_code": "MEET"}, "?ou=MED&pe=2026", OWN),
    "ledger_new": (lambda o: {"type_code": "MEET"}, "?ou=MED", OWN),
    "ledger_nothing": (lambda o: {"type_code": "MEET"}, "?ou=MED&month=202604", OWN),
    "ledger_template": (lambda o: {"type_code": "MEET"}, "", OWN),
    "ledger_import": (lambda o: {"type_code": "MEET"}, "?ou=MED", OWN),
    # 检查
    "home": (lambda o: {}, "?ou=HOS", OWN),
    "start": (lambda o: {}, "?unit=MED&template=TESTYG", OWN),
    "detail": (lambda o: {"pk": o.inspection.pk}, "", DENIED),
    "score_item": (lambda o: {"pk": o.inspection.pk, "item_pk": o.item.pk}, "", DENIED),
    "upload_photo": (lambda o: {"pk": o.inspection.pk}, "", DENIED),
    "submit": (lambda o: {"pk": o.inspection.pk}, "", DENIED),
    "reopen": (lambda o: {"pk": o.inspection.pk}, "", DENIED),
    "issue_notice": (lambda o: {"pk": o.inspection.pk}, "", DENIED),
    "photo": (lambda o: {"pk": o.photo.pk}, "", DENIED),
    "notices": (lambda o: {}, "?ou=HOS", OWN),
    "notice": (lambda o: {"pk": o.notice.pk}, "", DENIED),
    "answer": (lambda o: {"pk": o.notice.pk}, "", DENIED),
    "recheck": (lambda o: {"pk": o.notice.pk}, "", DENIED),
    "notice_docx": (lambda o: {"pk": o.notice.pk}, "", DENIED),
    "plans": (lambda o: {}, "", OWN),
    "plan_new": (lambda o: {}, "", DENIED),
    "plan_edit": (lambda o: {"pk": o.plan.pk}, "", DENIED),
    "scores": (lambda o: {}, "?template=TESTYG&ou=HOS", OWN),
    "scores_xlsx": (lambda o: {}, "?template=TESTYG&ou=HOS", OWN),
    "scores_docx": (lambda o: {}, "?template=TESTYG&ou=HOS", OWN),
    "unit": (lambda o: {"code": "MED"}, "", DENIED),
    # checklists are one catalogue everybody reads; only their authors change them
    "templates": (lambda o: {}, "", OWN),
    "template_import": (lambda o: {}, "", DENIED),
    "template": (lambda o: {"code": "TESTYG"}, "", OWN),
    "template_new_version": (lambda o: {"code": "TESTYG"}, "", OWN),
    "item_new": (lambda o: {"code": "TESTYG", "label": o.version.label}, "", DENIED),
    "item_edit": (
        lambda o: {"code": "TESTYG", "label": o.version.label, "item_pk": o.item.pk},
        "",
        DENIED,
    ),
    "template_xlsx": (lambda o: {"code": "TESTYG", "label": o.version.label}, "", OWN),
    # 工作总结
    "documents": (lambda o: {}, "?ou=HOS", OWN),
    "document_generate": (lambda o: {}, "?ou=HOS&pe=2026S1", DENIED),
    "document_detail": (lambda o: {"pk": o.document.pk}, "", DENIED),
    "document_download": (lambda o: {"pk": o.document.pk}, "", DENIED),
    "document_download_review": (lambda o: {"pk": o.document.pk}, "", DENIED),
    "document_provenance": (lambda o: {"pk": o.document.pk}, "", DENIED),
    "document_templates": (lambda o: {}, "?ou=HOS", OWN),
    "document_template_copy": (lambda o: {}, "?source=DEPARTMENT&ou=HOS", DENIED),
    "document_template_edit": (lambda o: {"code": o.summary_template.code}, "", DENIED),
    "document_layout_upload": (lambda o: {}, "?ou=HOS", POST_DENIED),
    "document_tasks": (lambda o: {}, "?ou=HOS&year=2026", DENIED),
    "document_task_status": (lambda o: {"pk": o.plan_task.pk}, "", POST_DENIED),
    # 领导小组、责任书
    "group_list": (lambda o: {}, "?ou=HOS", OWN),
    "group_new": (lambda o: {}, "?ou=HOS", DENIED),
    "group_detail": (lambda o: {"pk": o.group.pk}, "", DENIED),
    "group_adjust": (lambda o: {"pk": o.group.pk}, "", DENIED),
    "group_notice": (lambda o: {"pk": o.group.pk}, "", DENIED),
    "contract_list": (lambda o: {}, "?ou=HOS", OWN),
    "contract_new": (lambda o: {}, "?ou=HOS", DENIED),
    "contract_detail": (lambda o: {"pk": o.contract.pk}, "", DENIED),
    "contract_sign": (lambda o: {"pk": o.contract.pk}, "", DENIED),
    # 满意度调查
    "survey_list": (lambda o: {}, "?ou=HOS", OWN),
    "survey_new": (lambda o: {}, "?ou=HOS", DENIED),
    "survey_results": (lambda o: {"pk": o.survey.pk}, "", DENIED),
    "survey_edit": (lambda o: {"pk": o.survey.pk}, "", DENIED),
    "survey_qr": (lambda o: {"pk": o.survey.pk, "fmt": "png"}, "", DENIED),
    "survey_public": (lambda o: {"token": o.survey.token}, "", PUBLIC),
    "survey_thanks": (lambda o: {"token": o.survey.token}, "", PUBLIC),
    # 我的账户
    "account": (lambda o: {}, "", OWN),
    "account_password": (lambda o: {}, "", OWN),
    "account_token_create": (lambda o: {}, "", OWN),
    # her own account: the token id is Alice's, answered 找不到该令牌 on her own page
    "account_token_revoke": (lambda o: {"token_id": o.token.pk}, "", OWN),
    "account_password_required": (lambda o: {}, "", OWN),
    "account_dismiss_hints": (lambda o: {}, "", OWN),
    # issue 14: pickers, lists, exports, print, 人员与角色, reminders, help
    "pick_units": (lambda o: {}, "?cap=VIEW&q=nk&parent=HOS", OWN),
    "pick_favourite": (lambda o: {"code": "NOSUCH"}, "", OWN),  # the catalogue is everyone's
    "review_xlsx": (lambda o: {}, "?ou=HOS", OWN),
    "review_approve_selected": (lambda o: {}, "", OWN),
    "completeness_xlsx": (lambda o: {"form_code": "WORK", "period_id": "202603"}, "?ou=HOS", OWN),
    "entry_print": (lambda o: o.form_args, "", DENIED),
    "ledger_records_xlsx": (lambda o: {"type_code": "MEET"}, "?ou=MED&pe=2026", OWN),
    "survey_results_xlsx": (lambda o: {"pk": o.survey.pk}, "", DENIED),
    "document_history": (lambda o: {}, "?ou=HOS", OWN),
    "contract_print": (lambda o: {"pk": o.contract.pk}, "", DENIED),
    "contract_scan": (lambda o: {"pk": o.contract.pk}, "", DENIED),
    "contract_scan_upload": (lambda o: {"pk": o.contract.pk}, "", DENIED),
    "people": (lambda o: {}, "?ou=HOS", DENIED),
    "people_create": (lambda o: {}, "", DENIED),
    "person": (lambda o: {"pk": o.person.pk}, "", DENIED),
    "person_active": (lambda o: {"pk": o.person.pk}, "", DENIED),
    "person_grant": (lambda o: {"pk": o.person.pk}, "", DENIED),
    "person_rename": (lambda o: {"pk": o.person.pk}, "", DENIED),
    "person_reset": (lambda o: {"pk": o.person.pk}, "", DENIED),
    "person_revoke": (lambda o: {"pk": o.person.pk, "assignment_id": o.assignment.pk}, "", DENIED),
    "reminder_channels": (lambda o: {}, "?ou=HOS", OWN),
    "reminder_add": (lambda o: {}, "", OWN),
    # the hospital's channel: answered 找不到该接收方式 on her own reminders page
    "reminder_remove": (lambda o: {"pk": o.channel.pk}, "", OWN),
    "reminder_test": (lambda o: {"pk": o.channel.pk}, "", OWN),
    "reminder_urge": (lambda o: {"form_code": "WORK", "period_id": "202603"}, "", OWN),
    "help_index": (lambda o: {}, "", OWN),
    "help": (lambda o: {"area": "review"}, "", OWN),
    # API (DHIS2's): Olivia's session aimed at the hospital's departments
    "api-root": (lambda o: {}, "", OWN),
    "openapi-json": (lambda o: {}, "", OWN),
    "openapi-view": (lambda o: {}, "", OWN),
    "get_system_info": (lambda o: {}, "", OWN),
    "get_system_info_json": (lambda o: {}, "", OWN),
    "get_me": (lambda o: {}, "", OWN),
    "get_me_json": (lambda o: {}, "", OWN),
    "post_metadata": (lambda o: {}, "", OWN),
    "list_organisationUnits": (lambda o: {}, "?fields=id,name&paging=false", OWN),
    "get_organisationUnits": (lambda o: {"uid": o.medicine_uid}, "", DENIED),
    "list_dataElements": (lambda o: {}, "", OWN),
    "get_dataElements": (lambda o: {"uid": o.element_uid}, "", OWN),
    "list_dataSets": (lambda o: {}, "", OWN),
    "get_dataSets": (lambda o: {"uid": o.form_uid}, "", OWN),
    "list_indicators": (lambda o: {}, "", OWN),
    "get_indicators": (lambda o: {"uid": "xxxxxxxxxxx"}, "", OWN),
    "get_data_value": (lambda o: {}, "?{value_query}", OWN),
    "post_data_value": (lambda o: {}, "?{value_query}&value=9", OWN),
    "delete_data_value": (lambda o: {}, "?{value_query}", OWN),
    "get_data_value_sets": (lambda o: {}, "?dataSet={form_uid}&period=202603&orgUnit=HOS_UID&children=true", OWN),
    "post_data_value_sets": (lambda o: {}, "", OWN),
    "get_data_value_sets_json": (lambda o: {}, "?dataSet={form_uid}&period=202603&orgUnit=HOS_UID&children=true", OWN),
    "post_data_value_sets_json": (lambda o: {}, "", OWN),
    "get_data_value_sets_csv": (lambda o: {}, "?dataSet={form_uid}&period=202603&orgUnit=HOS_UID&children=true", OWN),
    "get_analytics": (lambda o: {}, "?dimension=dx:OPD&dimension=pe:202603&dimension=ou:HOS_UID", OWN),
    "get_analytics_json": (lambda o: {}, "?dimension=dx:OPD&dimension=pe:202603&dimension=ou:HOS_UID", OWN),
    # 考核绩效 (namespaced: its home, unit and notice_docx repeat other apps' names)
    "assessment:home": (lambda o: {}, "", OWN),
    "assessment:scheme_new": (lambda o: {}, "", OWN),
    "assessment:scheme": (lambda o: o.a_scheme, "", DENIED),
    "assessment:new_version": (lambda o: o.a_scheme, "", DENIED),
    "assessment:import": (lambda o: o.a_scheme, "", DENIED),
    "assessment:office_save": (lambda o: o.a_scheme, "", DENIED),
    "assessment:peer_save": (lambda o: o.a_scheme, "", DENIED),
    "assessment:start_run": (lambda o: o.a_scheme, "", DENIED),
    "assessment:whatif": (lambda o: o.a_scheme, "", DENIED),
    "assessment:publish": (lambda o: o.a_version, "", DENIED),
    "assessment:settings": (lambda o: o.a_version, "", DENIED),
    "assessment:veto_save": (lambda o: o.a_version, "", DENIED),
    "assessment:node_new": (lambda o: o.a_version, "", DENIED),
    "assessment:version_xlsx": (lambda o: o.a_version, "", DENIED),
    "assessment:node_edit": (lambda o: {**o.a_version, "pk": o.a_node.pk}, "", DENIED),
    "assessment:node_delete": (lambda o: {**o.a_version, "pk": o.a_node.pk}, "", DENIED),
    "assessment:run": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:pool_new": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:advance": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:recompute": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:sheet": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:publicity_docx": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:publicity_xlsx": (lambda o: {"pk": o.a_run.pk}, "", DENIED),
    "assessment:rule": (lambda o: {"pk": o.a_run.pk, "appeal_pk": o.a_appeal.pk}, "", DENIED),
    "assessment:veto_decide": (lambda o: {"pk": o.a_run.pk, "hit_pk": o.a_hit.pk}, "", DENIED),
    "assessment:evidence": (lambda o: {"pk": o.a_run.pk, "evidence_pk": o.a_evidence.pk}, "", DENIED),
    "assessment:unit": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:score": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:self_score": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:override": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:upload": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:appeal": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:veto_propose": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:raise_notice": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:notice_docx": (lambda o: {"pk": o.a_run.pk, "code": "MED"}, "", DENIED),
    "assessment:pool": (lambda o: {"pk": o.a_pool.pk}, "", DENIED),
    "assessment:pool_action": (lambda o: {"pk": o.a_pool.pk, "action": "calculate"}, "", DENIED),
    "assessment:allocation_xlsx": (lambda o: {"pk": o.a_pool.pk}, "", DENIED),
    "assessment:allocation_docx": (lambda o: {"pk": o.a_pool.pk}, "", DENIED),
    "assessment:payment_xlsx": (lambda o: {"pk": o.a_pool.pk}, "", DENIED),
    "assessment:distribution": (lambda o: {"pk": o.a_pool.pk, "share_pk": o.a_share.pk}, "", DENIED),
}  # fmt: skip
# Apps walked by their namespaced names, since theirs repeat other apps' (home, unit…).
NAMESPACED = {"assessment"}


def site_routes(resolver=None, prefix="", space=""):
    """(name, route) of every URL pattern outside Django's admin (which needs is_staff)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{pattern.namespace}:" if pattern.namespace in NAMESPACED else space
            yield from site_routes(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield space + pattern.name if pattern.name else None, route


def url_of(route: str, kwargs: dict) -> str:
    """The route with its <converter:name> parts filled (namespaces need no reverse())."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs.pop(m.group(1))), route)


def test_every_route_is_walked_by_the_outsider():
    names = {name for name, _ in site_routes()}
    assert None not in names, "an unnamed route cannot be walked"
    assert sorted(names - ROUTES.keys()) == [], "add the new routes to ROUTES"
    assert sorted(ROUTES.keys() - names) == [], "ROUTES names routes that no longer exist"


class Foreign:
    """The hospital's things, one of each kind a route can point at."""


@pytest.fixture
def foreign(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w, o = world, Foreign()
    o.world = w
    hana = make_user("hana", Role.INSTITUTION_ADMIN, w.hospital)
    ivan = make_user("ivan", Role.INSPECTOR, w.hospital)
    o.form_args = {"form_code": "WORK", "unit_code": "MED", "period_id": "202603"}
    o.medicine_uid, o.element_uid, o.form_uid = w.medicine.uid, w.visits.uid, w.form.uid
    o.hospital_uid = w.hospital.uid

    load_builtin()
    meet = ActivityType.objects.get(code="MEET")
    o.meeting = create_activity(
        w.alice, meet, w.medicine,
        RecordInput("内科3月科务会", "2026-03-05", None, {"KIND": "科务会", "ATTEND": 12}),
        today=dt.date(2026, 6, 20),
    )  # fmt: skip
    o.attachment = Attachment.objects.create(
        activity=o.meeting, name="签到表.jpg", file="ledger/x.jpg", content_type="image/jpeg",
        size=1, uploaded_by=w.alice, uploaded_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC),
    )  # fmt: skip

    templates_io.load_builtin([templates_io_small()])
    template = ChecklistTemplate.objects.get(code="TESTYG")
    template.owner = w.hospital
    template.save()
    o.version = template.current_version()
    o.item = o.version.items.get(code="1.2")
    day = dt.date.today() - dt.timedelta(days=3)
    o.inspection = insp_actions.start_inspection(ivan, o.version, w.medicine, day)
    insp_actions.record_item(ivan, o.inspection, o.version.items.get(code="1.1"),
                             insp_actions.MarkInput(occurrences="1"))  # fmt: skip
    submit_complete(ivan, o.inspection, present="张主任")
    o.notice = insp_actions.issue_notice(
        ivan, o.inspection, measures="整改", responsible="张主任",
        deadline=dt.date.today() + dt.timedelta(days=10),
    )  # fmt: skip
    o.photo = Photo.objects.create(inspection=o.inspection, org_unit=w.medicine, path="x.jpg",
                                   width=1, height=1, uploaded_by=ivan)  # fmt: skip
    o.plan = insp_actions.save_plan(ivan, insp_actions.PlanInput(
        name="外科院感月查", template=template, issuer_unit=w.hospital, schedule="MONTHLY",
        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), institution=w.hospital,
        inspectors=[ivan],
    ))  # fmt: skip

    layout = WordLayout.objects.create(
        name="红头文件", org_unit=w.hospital, file="layouts/x.docx", uploaded_by=hana
    )
    o.document = GeneratedDocument.objects.create(
        org_unit=w.hospital, period="2026S1", template_code="HOSPITAL_HALF_YEAR",
        title="人民医院总结", docx="documents/HOS/x.docx", provenance="documents/HOS/x.json",
        layout=layout, created_by=hana,
    )  # fmt: skip
    from weijian.documents.actions import copy_template

    o.summary_template = copy_template(hana, "DEPARTMENT", "HOS")
    from weijian.documents.models import PlanTask

    o.plan_task = PlanTask.objects.create(
        org_unit=w.hospital, year=2026, text="人民医院总结中的任务", office="医务科"
    )

    from tests.governance.test_groups import found

    o.group = found(w)
    from weijian.governance.actions import TargetSpec, issue_contracts

    o.contract, _ = issue_contracts(
        w.admin, w.hospital, year=dt.date.today().year, title="目标责任书",
        parties=[w.medicine, w.surgery], targets=[TargetSpec(duty="控制院感")],
    )  # fmt: skip
    questionnaires = ensure_builtin_questionnaires()
    o.survey = create_survey(w.admin, questionnaires["INPAT"], w.hospital, "人民医院住院患者调查")
    o.token, _ = create_token(w.alice, "alice的令牌", 30)
    assessment_things(o, w, hana, ivan)
    from weijian.orgs.models import RoleAssignment
    from weijian.reminders.actions import add_channel

    o.person, o.assignment = w.alice, RoleAssignment.objects.get(user=w.alice)
    o.channel = add_channel(hana, w.hospital, "EMAIL", "院办邮箱", "yuanban@hos.example.cn")
    assert SummaryTemplate.objects.count() == 1 and InspectionPlan.objects.count() == 1
    return o


def assessment_things(o, w, hana, ivan):
    """The hospital's 科室月度考核: scheme, version, item, a run with an appeal, a veto hit and
    evidence, a pool with a share."""
    from tests.assessment.conftest import build_scheme
    from weijian.assessment.actions import money as a_money
    from weijian.assessment.actions import runs as a_runs
    from weijian.assessment.actions import schemes as a_schemes
    from weijian.assessment.models import Appeal, Evidence, PoolShare, VetoHit
    from weijian.indicators.models import Indicator

    Indicator.objects.create(
        code="DIS_SHARE", name="出院人次占门急诊比例", numerator="#{DIS}", denominator="#{OPD}",
        type="PERCENT", numerator_description="出院人次", denominator_description="门急诊人次",
    )  # fmt: skip
    office = a_schemes.save_office(hana, w.hospital, "院感科", [ivan])
    scheme = build_scheme(w, hana, office)
    draft = scheme.versions.get()
    rule = a_schemes.save_veto(
        hana, a_schemes.new_version(hana, scheme),
        a_schemes.VetoInput("V1", "医疗事故", "MANUAL", "grade_cap", grade="合格"),
    )  # fmt: skip
    o.a_scheme = {"code": scheme.code}
    o.a_version = {"code": scheme.code, "number": rule.version.number}
    o.a_node = draft.nodes.get(code="1.2")
    o.a_run = run = a_runs.start_run(hana, scheme, "202603", today=dt.date(2026, 4, 15))
    now = dt.datetime(2026, 4, 16, tzinfo=dt.UTC)
    o.a_appeal = Appeal.objects.create(
        run=run, org_unit=w.medicine, text="内科申诉", filed_by=w.alice, filed_at=now
    )
    o.a_hit = VetoHit.objects.create(
        run=run, org_unit=w.medicine, rule=rule, status="PROPOSED", evidence="内科事故"
    )
    o.a_evidence = Evidence.objects.create(
        run=run, org_unit=w.medicine, node=o.a_node, name="内科.pdf", file="assessment/x.pdf",
        size=1, uploaded_by=w.alice, uploaded_at=now,
    )  # fmt: skip
    o.a_pool = a_money.create_pool(hana, run, a_money.PoolInput(
        name="人民医院科室绩效", kind="PERFORMANCE", amount="1000.00", basis="score_x_base",
    ))  # fmt: skip
    o.a_share = PoolShare.objects.create(pool=o.a_pool, org_unit=w.medicine, amount=1000)


def templates_io_small():
    from tests.inspections.conftest import SMALL

    return SMALL


# Tables whose rows come and go with Olivia's own login, not with what she asks for.
OWN_TRACES = {"django_session", "axes_accesslog", "axes_accessattempt", "axes_accessfailurelog"}


def table_state() -> dict[str, int]:
    """Every row of every table, so an edit shows as well as an insert or a delete."""
    state = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.managed and not model._meta.proxy and table not in OWN_TRACES:
            rows = model.objects.order_by("pk").values_list()
            state[table] = hash(tuple(map(str, rows)))
    return state


def _query(o, text: str) -> str:
    value_query = f"de={o.element_uid}&pe=202603&ou={o.medicine_uid}"
    return (
        text.replace("{value_query}", value_query)
        .replace("{form_uid}", o.form_uid)
        .replace("HOS_UID", o.hospital_uid)
    )


def _docx() -> bytes:
    from docx import Document

    document, out = Document(), io.BytesIO()
    document.add_paragraph("{{ body }}")
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book, out = Workbook(), io.BytesIO()
    book.active["A1"] = "外人"
    book.save(out)
    return out.getvalue()


UPLOADS = {
    "document_layout_upload": _docx(),
    "xlsx_upload": _xlsx(),
    "ledger_import": _xlsx(),
    "template_import": _xlsx(),
    "upload_photo": _xlsx(),
    "ledger_attach": _xlsx(),
}


def _post_body(o, name: str) -> tuple[bytes | dict, str | None]:
    """A body aimed at the hospital: JSON for the API's imports, fields for the pages."""
    if name.startswith("post_data_value_sets"):
        payload = {
            "dataSet": o.form_uid, "period": "202603", "orgUnit": o.medicine_uid,
            "dataValues": [{"dataElement": o.element_uid, "value": "7"}],
        }  # fmt: skip
        return json.dumps(payload).encode(), "application/json"
    if name == "post_metadata":
        payload = {"organisationUnits": [{"id": o.medicine_uid, "name": "改名", "shortName": "x"}]}
        return json.dumps(payload).encode(), "application/json"
    fields = {
        "ou": "HOS", "unit": "MED", "pe": "2026S1", "period": "202603", "month": "202604",
        "title": "外人", "name": "外人", "start": "2026-03-05", "source": "DEPARTMENT",
        "template": "TESTYG", "reason": "想改", "answer": "已整改", "passed": "1",
        "occurrences": "3", "deadline": "2030-01-01", "signed_on": "2026-01-05",
        "members": "组长，甲，院长", "label": "2027", "days": "30", "spec": "sections: []",
    }  # fmt: skip
    if name in UPLOADS:  # a real file, so the upload pages get past "choose a file"
        fields["file"] = SimpleUploadedFile(
            "x.docx" if "layout" in name else "x.xlsx", UPLOADS[name]
        )
    return fields, None


def _assert_nothing_foreign(response, url):
    if response.status_code != 200 or response.get("Content-Type", "").startswith(
        ("application/vnd", "image/")
    ):
        return
    text = b"".join(response.streaming_content) if response.streaming else response.content
    text = text.decode(errors="replace")
    shown = [word for word in FOREIGN if word in text]
    assert shown == [], f"{url} shows {shown}"


# Olivia's own account pages write her own rows (a token of hers and its account event, her
# first-use hints closed).
OWN_WRITES = {
    "account_token_create": ["accounts_apitoken", "accounts_accountevent"],
    "account_dismiss_hints": ["accounts_accountstate"],  # her first-use hints, closed
}


# Every (name, route): a name can serve two routes (api/organisationUnits and its .json).
@pytest.mark.parametrize(("name", "route"), sorted(site_routes()))
def test_the_outsider_sees_nothing_foreign_and_writes_nothing(client, foreign, name, route):
    o = foreign
    kwargs_of, query, kind = ROUTES[name]
    url = url_of(route, kwargs_of(o)) + _query(o, query)
    assert client.login(username="olivia", password=PASSWORD)
    before = table_state()

    got = client.get(url)
    assert got.status_code < 500, (url, got.status_code)
    if kind == DENIED:
        assert got.status_code in (403, 404, 405), (url, got.status_code)
    elif kind != PUBLIC:
        _assert_nothing_foreign(got, url)

    body, content_type = _post_body(o, name)
    if content_type:
        posted = client.post(url, body, content_type=content_type)
    else:
        posted = client.post(url, body)
    assert posted.status_code < 500, (url, posted.status_code)
    if kind in (DENIED, POST_DENIED):
        assert posted.status_code in (403, 404, 405), (url, posted.status_code)
    elif kind != PUBLIC and name != "logout":
        _assert_nothing_foreign(posted, url)

    after = table_state()
    changed = [table for table in before if before[table] != after[table]]
    assert changed == OWN_WRITES.get(name, []), (route, url, changed)
    if name == "account_token_create":
        from weijian.accounts.models import ApiToken

        assert ApiToken.objects.get(pk=o.token.pk).revoked_at is None
        assert set(
            ApiToken.objects.exclude(pk=o.token.pk).values_list("user__username", flat=True)
        ) == {"olivia"}
