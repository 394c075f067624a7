from tests.world import PASSWORD
from weijian.indicators.models import Indicator, IndicatorType


def test_the_catalogue_reads_formulas_in_words(client, world, django_assert_max_num_queries):
    Indicator.objects.create(
        code="MALE_SHARE", name="男性门急诊占比", group="工作量", numerator="#{OPD.MALE}",
        denominator="#{OPD}", type=IndicatorType.PERCENT, citation="测试出处",
    )  # fmt: skip
    Indicator.objects.create(code="BROKEN", name="坏指标", numerator="#{NOPE} +", group="工作量")
    client.login(username="victor", password=PASSWORD)
    with django_assert_max_num_queries(15):
        page = client.get("/indicators/").content.decode()
    assert "男性门急诊占比" in page and "测试出处" in page
    assert "分子：门急诊人次（男）" in page and "分母：门急诊人次" in page
    assert "坏指标" in page and "运算符“+”后缺少" in page
