from tests.world import PASSWORD
from weijian.indicators.models import Importance, ValidationRule
from weijian.reporting import actions


def test_the_validation_page_lists_violations_in_the_users_subtree(client, world):
    ValidationRule.objects.create(
        code="DIS_LE_OPD", name="出院人次不大于门急诊人次", left="#{DIS}",
        operator="less_than_or_equal_to", right="#{OPD}", importance=Importance.MEDIUM,
    )  # fmt: skip
    bad = {("OPD", "MALE"): "1", ("OPD", "FEMALE"): "1", ("DIS", "default"): "9"}
    actions.save_values(world.alice, world.form, world.medicine, "202601", bad)
    actions.save_values(world.olivia, world.form, world.township, "202601", bad)
    client.login(username="rita", password=PASSWORD)
    page = client.get("/validation/?ou=HOS&pe=2026Q1").content.decode()
    assert "违反校验规则（1 条）" in page
    assert "人民医院 / 内科" in page and "城关卫生院" not in page
    assert ">9<" in page and ">2<" in page  # 出院 9 against 门急诊 1 + 1, written plainly
    # The outsider cannot ask about the hospital; a period that does not exist is a 404.
    client.login(username="olivia", password=PASSWORD)
    assert client.get("/validation/?ou=HOS&pe=2026Q1").status_code == 404
    assert client.get("/validation/?ou=TWN&pe=202613").status_code == 404
