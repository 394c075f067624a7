"""催报 and the daily digest, delivered to a robot stub on loopback and by e-mail; nothing
sent without configuration, nothing sent twice, nothing outside the sender's scope."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from tests.reminders.stub import RobotStub
from tests.world import PASSWORD, make_user
from weijian.orgs.models import Role
from weijian.reminders import actions, senders
from weijian.reminders.models import Channel, Delivery

pytestmark = pytest.mark.django_db

# January's WORK reports were due on 5 February (5 days after the month ends).
TODAY = dt.datetime(2026, 2, 10, 9, 0)
URGE = "/reminders/urge/WORK/202601/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def robot(settings):
    stub = RobotStub()
    settings.WEIJIAN_WEBHOOK_HOSTS = [stub.host]
    yield stub
    stub.close()


@pytest.fixture
def hospital_robot(world, robot):
    """The hospital's office set up its WeCom group robot."""
    office = make_user("ingrid", Role.INSTITUTION_ADMIN, world.hospital)
    return actions.add_channel(office, world.hospital, "WECOM", "院办工作群", robot.url())


def test_nothing_is_sent_without_configuration(client, world, robot):
    client.login(username="rita", password=PASSWORD)
    response = client.post(URGE, follow=True)
    assert robot.received == [] and not Delivery.objects.exists()
    assert "未设置接收方式，未发送" in response.content.decode()


def test_the_reviewer_urges_the_late_departments_through_the_hospitals_robot(
    client, world, robot, hospital_robot
):
    client.login(username="rita", password=PASSWORD)
    page = client.get("/completeness/WORK/202601/").content.decode()
    assert 'id="urge-all"' in page
    response = client.post(URGE, follow=True)
    assert "已向 2 个单位发出催报" in response.content.decode()
    # 内科 and 外科 have not reported; 城关卫生院 is outside rita's scope
    assert [r["path"] for r in robot.received] == ["/cgi-bin/webhook/send"] * 2
    assert robot.received[0]["body"]["msgtype"] == "text"
    first, second = robot.texts()
    assert first.startswith("【催报】人民医院 / 内科：《门急诊与住院工作量月报》2026年1月尚未上报")
    # due 5 February, today 10 February: 5 days late
    assert "截止日期 2026年2月5日，已逾期 5 天" in first
    assert "催报人：人民医院 Rita" in first
    assert second.startswith("【催报】人民医院 / 外科")
    assert Delivery.objects.filter(status="SENT", kind="URGE").count() == 2
    # the page now says so beside each urged unit (10 February, the test's today)
    listed = client.get("/completeness/WORK/202601/").context["missing"]
    assert [(u.code, urged.date().isoformat() if urged else None) for u, _s, urged in listed] == [
        ("MED", "2026-02-10"),
        ("SUR", "2026-02-10"),
    ]

    # The same request again (a double click): nothing more is sent today.
    again = client.post(URGE, follow=True)
    assert len(robot.received) == 2
    assert "今天已经催报过这些单位" in again.content.decode()


def test_one_unit_can_be_urged_alone_and_a_reported_one_never(client, world, robot, hospital_robot):
    from weijian.reporting import actions as reporting

    full = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "2", ("DIS", "default"): "3"}
    reporting.save_values(world.bob, world.form, world.surgery, "202601", full)
    reporting.submit(world.bob, world.form, world.surgery, "202601")
    client.login(username="rita", password=PASSWORD)
    client.post(URGE, {"unit": "SUR"})
    assert robot.received == []  # 外科 has reported
    client.post(URGE, {"unit": "MED"})
    assert len(robot.received) == 1 and "内科" in robot.texts()[0]


def test_the_outsider_cannot_urge_or_configure_the_hospital(client, world, robot, hospital_robot):
    client.login(username="olivia", password=PASSWORD)
    client.post(URGE, follow=True)
    client.post(
        "/reminders/add/", {"ou": "HOS", "kind": "WECOM", "name": "x", "target": robot.url()}
    )
    client.post(f"/reminders/{hospital_robot.pk}/remove/")
    client.post(f"/reminders/{hospital_robot.pk}/test/")
    assert robot.received == []
    assert list(Channel.objects.values_list("pk", flat=True)) == [hospital_robot.pk]


def test_a_robot_that_refuses_is_recorded_as_failed(client, world, robot, hospital_robot):
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    client.login(username="rita", password=PASSWORD)
    response = client.post(URGE, follow=True)
    assert "机器人拒收：93000 invalid webhook url" in response.content.decode()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"FAILED"}


def test_webhook_addresses_are_checked_against_the_vendors_hosts(world, settings):
    settings.WEIJIAN_WEBHOOK_HOSTS = []
    good = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    assert senders.check_target("WECOM", good) == good
    for bad in (
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",  # not https
        "https://evil.example/cgi-bin/webhook/send?key=abc",  # another host
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",  # no key
        "http://127.0.0.1:9/cgi-bin/webhook/send?key=abc",  # loopback, not listed
    ):
        with pytest.raises(senders.SendError, match="群机器人的地址应为"):
            senders.check_target("WECOM", bad)
    ding = "https://oapi.dingtalk.com/robot/send?access_token=t"
    assert senders.check_target("DINGTALK", ding) == ding
    with pytest.raises(senders.SendError, match="不是有效的邮箱地址"):
        senders.check_target("EMAIL", "yuanban@example.cn, not-an-address")


def test_dingtalk_signing_follows_the_documented_formula():
    import base64
    import hashlib
    import hmac
    from urllib.parse import quote_plus

    # sign = urlencode(base64(HmacSHA256(key=secret, msg="timestamp\nsecret")))
    expected = quote_plus(
        base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest())
    )
    url = senders._signed(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", 1700000000000
    )
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=t"
        f"&timestamp=1700000000000&sign={expected}"
    )


def test_the_daily_digest_goes_once_a_day_by_robot_and_by_mail(world, robot, hospital_robot):
    office = make_user("tom", Role.INSTITUTION_ADMIN, world.township)
    actions.add_channel(office, world.township, "EMAIL", "院长邮箱", "dean@twn.example.cn")
    call_command("remind")
    (text,) = robot.texts()
    assert text.startswith("【卫健工作台·每日提醒】人民医院 2026年2月10日")
    # The digest looks back a year, as the task board does: February 2025 to January 2026 is
    # 12 months × 2 departments = 24 overdue reports, oldest first; February 2025 was due on
    # 5 March 2025, 342 days before 10 February 2026 (365 − 23).
    assert "报表：逾期未报 24 项" in text
    assert "· 人民医院 / 内科《门急诊与住院工作量月报》2025年2月，逾期 342 天" in text
    assert "· ……另有 16 项" in text  # eight listed
    (message,) = mail.outbox
    assert message.to == ["dean@twn.example.cn"] and "城关卫生院" in message.body
    call_command("remind")  # a second run the same day
    assert len(robot.received) == 1 and len(mail.outbox) == 1


def test_the_channel_page_tests_a_robot_and_hides_its_key(client, world, robot, hospital_robot):
    client.login(username="ingrid", password=PASSWORD)
    page = client.get("/reminders/").content.decode()
    assert "院办工作群" in page and "test-key" not in page
    response = client.post(f"/reminders/{hospital_robot.pk}/test/", follow=True)
    assert "测试消息：已发送" in response.content.decode()
    assert robot.texts() == [
        "【卫健工作台·提醒测试】人民医院的“院办工作群”已能收到催报和每日提醒。"
    ]


def test_urge_reaches_a_signed_dingtalk_robot_and_a_departments_mailbox(client, world, robot):
    """内科 has its own mailbox (the nearest setting wins for it); 外科 has none, so its 催报
    goes to the hospital's 钉钉 robot, signed with the robot's secret."""
    office = make_user("ingrid", Role.INSTITUTION_ADMIN, world.hospital)
    dingtalk = robot.url("/robot/send?access_token=t")
    actions.add_channel(office, world.hospital, "DINGTALK", "院办钉钉群", dingtalk, "SECabc")
    actions.add_channel(office, world.medicine, "EMAIL", "内科邮箱", "neike@hos.example.cn")
    client.login(username="rita", password=PASSWORD)
    assert "已向 2 个单位发出催报" in client.post(URGE, follow=True).content.decode()

    (message,) = mail.outbox
    assert message.to == ["neike@hos.example.cn"] and message.subject.startswith("【催报】")
    assert "人民医院 / 内科" in message.body and "2026年1月尚未上报" in message.body
    (posted,) = robot.received
    assert posted["path"] == "/robot/send" and posted["query"]["access_token"] == ["t"]
    assert {"timestamp", "sign"} <= posted["query"].keys()  # 加签 (formula tested above)
    assert robot.texts()[0].startswith("【催报】人民医院 / 外科")
