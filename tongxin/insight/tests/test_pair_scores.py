"""The batched scorer gives exactly what the pair scorer gives, one by one."""

from tongxin.insight.duplicates import pair_score, pair_scores

TEXT = "3号楼电梯又坏了,老人下不了楼"
OTHERS = [
    "3号楼的电梯停了两天了",
    "5号楼电梯坏了",
    "小区门口的路灯不亮",
    "我家厨房漏水渗到楼下",
    "三号楼电梯困人了快来",
]


def test_pair_scores_equal_pair_score_one_by_one() -> None:
    assert pair_scores(TEXT, OTHERS) == [pair_score(TEXT, other) for other in OTHERS]


def test_no_others_no_scores() -> None:
    assert pair_scores(TEXT, []) == []
