from ronghe.core.frameworks import load
from ronghe.core.frameworks.outline import outline, refer_by_number

IDS = {"自动化生产设备占比": "JC_01", "Automated equipment share": "JC_01", "主要信息系统集成率": "ZH_16"}


def test_a_help_text_names_a_quoted_item_by_the_number_the_page_shows():
    assert (refer_by_number("与“自动化生产设备占比”一样按资产净值计算。", IDS)
            == "与 JC_01“自动化生产设备占比”一样按资产净值计算。")
    assert refer_by_number("“主要信息系统集成率”同上", IDS) == "ZH_16“主要信息系统集成率”同上"  # at the start: no space
    assert refer_by_number("as for \"Automated equipment share\"", IDS) == "as for JC_01\"Automated equipment share\""
    assert refer_by_number("按“指标定义”的公式计算", IDS) == "按“指标定义”的公式计算"  # not an item: unchanged
    assert refer_by_number("", IDS) == "" and refer_by_number(None, IDS) is None


def test_the_shipped_frameworks_refer_to_items_by_number_in_the_outline():
    tree = outline(load("gbt23020-discrete").framework)
    helps = {it.id: it.help for node in tree.walk() for it in node.items}
    assert "与 JC_01“自动化生产设备占比”一样" in helps["JC_08"]
    assert "定义同 JC_02“近5年运维投入占信息化总投入比重”" in helps["JC_12"]
    assert "ZH_16“主要信息系统集成率”" in helps["XT_15"]
