"""The 关于成立/调整…领导小组的通知 .docx, rendered by LibreOffice as an office would see it."""

import datetime as dt
import os
import shutil

from tests.governance.test_groups import found
from tests.rendering import needs_office, page_texts, squeezed, to_pdf, to_pngs
from weijian.governance import notice
from weijian.governance.actions import adjust_group, parse_members


def test_a_founding_notice_reads_like_one(world):
    group = found(world)
    assert notice.title(group) == "关于成立创建健康促进医院工作领导小组的通知"
    doc = notice.build(group)
    text = "\n".join(p.text for p in doc._doc.paragraphs)
    assert "人民医院文件" in text and "人医发〔2026〕5号" in text
    assert "为切实加强创建健康促进医院工作" in text
    assert "组　长：王建国（院长）" in text
    assert "副组长：李红（副院长）" in text
    assert "成　员：张明（医务科科长）、赵丽（护理部主任）" in text
    assert "办公室设在院办公室，李红同志兼任办公室主任" in text
    assert "2026年3月2日" in text


def test_a_committee_names_its_seats_as_committees_do(world):
    group = found(world, name="医院感染管理委员会")
    text = "\n".join(p.text for p in notice.build(group)._doc.paragraphs)
    assert "主任委员：王建国（院长）" in text and "委　　员：张明（医务科科长）" in text
    assert "为切实加强医院感染管理工作" in text


@needs_office
def test_the_adjustment_notice_renders_in_libreoffice(world, tmp_path):
    group = found(world)
    adjust_group(
        world.admin,
        group,
        effective_on=dt.date(2026, 9, 1),
        document_number="人医发〔2026〕31号",
        reason="因人事变动",
        members=parse_members("组长，王建国，院长\n副组长，孙伟，副院长\n成员，赵丽，护理部主任"),
        office_director="孙伟",
    )
    group.refresh_from_db()
    path = tmp_path / "notice.docx"
    path.write_bytes(notice.notice_docx(group))
    pdf = to_pdf(path)
    pages = page_texts(pdf)
    whole = squeezed("".join(pages))
    assert "关于调整创建健康促进医院工作领导小组的通知" in whole
    assert "因人事变动，为确保创建健康促进医院工作顺利开展" in whole
    assert "副组长：孙伟（副院长）" in whole
    assert "李红" not in whole  # she left the group and the office
    assert "孙伟同志兼任办公室主任" in whole
    assert "2026年9月1日" in whole
    assert len(to_pngs(pdf)) == len(pages) >= 1
    if os.environ.get("WEIJIAN_KEEP_RENDERS"):
        shutil.copytree(tmp_path, os.environ["WEIJIAN_KEEP_RENDERS"], dirs_exist_ok=True)
