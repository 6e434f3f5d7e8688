"""Writes needs.jsonl, the training corpus of residents' needs, reproducibly (fixed seed).

Each text is composed from independent parts — who speaks, about whom, where, the concrete problem,
how long, how it feels, what is asked — so no category is one template, and noise (dropped
punctuation, filler words, common typos) imitates typing on a phone. A few hundred texts are written
whole by hand at the end (HANDWRITTEN below, and handwritten.jsonl: texts written whole in many
registers — elderly speech, dialect, WeChat-short, long and rambling, staff summaries, typos, mixed
concerns with one dominant ask — and along the boundary rules of DESIGN.md §11). The held-out sets
(heldout*.jsonl) are written by hand separately and never read here.

Run: python tongxin/insight/corpus/build_corpus.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20261129
# Texts written whole by hand, with their `source` in the corpus: urgent_hand.jsonl was written for
# the urgency model (many registers of danger, and hard negatives) and counts less for the category.
HANDWRITTEN_FILES = (
    (Path(__file__).with_name("handwritten.jsonl"), "hand"),
    (Path(__file__).with_name("category_hand.jsonl"), "hand"),
    (Path(__file__).with_name("urgent_hand.jsonl"), "urgency"),
)
PER_CATEGORY = 190

SPEAKERS = [
    "",
    "",
    "",
    "你好,",
    "您好,",
    "喂 ",
    "同志你好 ",
    "社区的同志,",
    "麻烦问一下,",
    "打扰了,",
    "书记好,",
    "网格员你好,",
]
SELF_ELDER = ["我今年七十八了", "我是个老头子", "我们老两口", "我一个老太婆", "我八十多了耳朵不好"]
FAMILY = ["我妈", "我爸", "我婆婆", "我家老爷子", "我奶奶", "俺娘", "我岳父", "我姥姥"]
NEIGHBOURS = ["楼上邻居", "隔壁王阿姨", "对门的老李", "楼下那户", "我们单元的张大爷", "邻居家"]
BUILDINGS = [
    "3号楼",
    "5栋",
    "12号楼2单元",
    "七号楼",
    "2单元",
    "18栋",
    "九号楼三单元",
    "6号楼",
    "东区4栋",
    "西门那栋楼",
    "11号楼",
    "我们楼",
    "我住的那栋",
    "老小区1号楼",
    "15幢",
]
ROADS = [
    "和平路",
    "建设大街",
    "人民路口",
    "幸福路",
    "东风路",
    "小区南门外那条路",
    "菜市场旁边",
    "公交站对面",
    "学校门口",
    "河边步道",
]
DURATIONS = [
    "",
    "",
    "好几天了",
    "一个多月了",
    "从上周开始",
    "昨天晚上开始",
    "都半年了",
    "反映过好几次了",
    "一直这样",
    "这两天",
]
FEELINGS = [
    "",
    "",
    "",
    "真的很着急",
    "实在没办法了",
    "心里很难受",
    "太烦人了",
    "不知道找谁",
    "大家意见很大",
    "愁死了",
    "哎",
]
ASKS = [
    "",
    "",
    "麻烦帮忙看看",
    "请社区帮帮忙",
    "希望尽快处理",
    "能不能派人来一下",
    "谢谢",
    "给个答复",
    "怎么办啊",
    "求助",
    "麻烦了",
]

# Core problems per category: {p} a person (family member or self), {b} a building, {r} a road.
CORE: dict[str, list[str]] = {
    "elderly": [
        "{p}一个人住没人照顾,想申请助餐服务",
        "{p}腿脚不好下不了楼,想找人陪着去买菜",
        "{p}独居,子女在外地,能不能定期上门看看",
        "想给{p}家里装扶手和防滑垫,适老化改造怎么申请",
        "社区有没有老年食堂 {p}自己做饭不方便",
        "{p}白天没人管,想送日间照料中心",
        "能不能安排志愿者陪{p}聊聊天买买东西",
        "{p}老年痴呆了白天要人看着 我们要上班",
        "老人助餐点的饭太硬了{p}嚼不动",
        "{p}想洗澡没人帮忙 有没有助浴服务",
        "{p}八十多了想申请居家养老服务",
        "{p}在家摔过一次现在不敢一个人在家 想要个呼叫器",
        "{p}需要有人陪同去银行办事",
        "想问问养老院床位 {p}需要人照护",
        "{p}一个人在家 我在外地不放心 能不能帮忙每天敲敲门",
        "家里老人需要上门理发 行动不方便",
        "{p}做饭老忘关火 想装个烟感报警器给老人用",
        "空巢老人 没人说话 想要助老员上门",
        "老年人的送餐服务怎么报名",
        "{p}坐轮椅出不了门 想有人推着出去晒晒太阳",
    ],
    "disability": [
        "助听器坏了 残联能免费换吗",
        "聋人看病没有手语翻译",
        "{p}是残疾人 想申请轮椅",
        "残疾证怎么办理 {p}腿有残疾",
        "{p}听力残疾 想配助听器有补贴吗",
        "孩子是自闭症 想找康复机构",
        "{p}中风后偏瘫 想申请康复训练",
        "小区{b}门口没有无障碍坡道 轮椅进不去",
        "{p}是盲人 想要盲杖和导盲服务",
        "聋哑人去办事没有手语翻译",
        "残疾人两项补贴怎么申请",
        "{p}截肢了 想装假肢 有没有补助",
        "残疾证到期了要换证",
        "智力残疾的孩子想进特教学校",
        "{p}视力残疾看不清 想要助视器",
        "残疾人康复站能不能上门做康复",
        "{p}脑瘫 需要辅具 拐杖和助行器",
        "轮椅坏了 残联能不能给修",
        "盲道被电动车占了 盲人走不了",
        "残疾人托养服务有没有名额",
    ],
    "children": [
        "孩子放学没人接 我们下班晚 有没有四点半课堂",
        "留守儿童 爷爷奶奶管不了 孩子不上学了",
        "{b}有个孩子经常一个人在楼道里 好像没人管",
        "我怀孕了 想问孕检和孕妇的服务",
        "老公喝了酒就打我 我不敢回家",
        "孩子在学校被欺负 不想去上学",
        "单亲妈妈 一个人带孩子 想找人帮忙看护",
        "邻居家大人老打孩子 孩子哭得很惨",
        "妇女被家暴了去哪里求助",
        "暑假孩子没人带 社区有没有托管班",
        "女儿早恋还离家出走过 不知道怎么管",
        "婚后丈夫不让我出去工作 钱都他管着",
        "孩子沉迷手机游戏 成绩一落千丈",
        "产后一个人在家 没人帮忙带娃",
        "困境儿童的补助怎么申请",
        "丈夫家暴 我想离婚保护自己和孩子",
        "小孩在楼下玩 有陌生人给糖吃 怕拐卖",
        "流动儿童想在附近上学 没有名额",
    ],
    "hardship": [
        "家里没钱了 今天连饭都吃不上",
        "想申请低保 不知道要什么条件",
        "老公病了没收入 家里揭不开锅了",
        "{p}是特困户 补助这个月没到",
        "房子着火烧了 什么都没了 需要临时救助",
        "失业半年 房租交不起要被赶出去了",
        "孩子上学学费交不起 有没有救助",
        "大病花光了积蓄 欠了一身债",
        "想申请临时救助 家里遭了变故",
        "冬天了家里没暖气没钱买煤",
        "工资被拖欠了 今晚孩子没饭吃",
        "低保被取消了 不知道为什么 生活没着落",
        "一个人带两个孩子 没有收入来源",
        "家里揭不开锅 米也没了",
        "外地来打工钱被偷了 回不了家也没钱吃饭",
        "残疾加上没工作 能不能申请特困供养",
        "水电费欠了好几个月 要停了",
        "需要救济 家里就剩几十块钱了",
    ],
    "psych": [
        "一个人在外地 下班没人说话 总想哭",
        "最近特别焦虑 晚上睡不着",
        "感觉活着没意思 什么都不想干",
        "{p}老伴走了以后天天哭 不跟人说话",
        "孩子高考压力大 情绪崩溃",
        "跟老公天天吵架 想找个心理咨询",
        "一个人在这边打工 很孤独 没人说话",
        "抑郁症好几年了 想找人聊聊",
        "{p}退休后整天闷闷不乐",
        "婆媳矛盾闹得家里不安宁 想找人疏导一下",
        "失恋了走不出来 心里很痛苦",
        "总是莫名其妙心慌害怕",
        "孩子青春期叛逆 天天和我们对着干 想找心理老师",
        "疫情后一直很压抑 有没有免费的心理热线",
        "离婚后心情很低落 睡不好",
        "工作压力太大 想找人倾诉",
        "{p}疑神疑鬼 总说有人害他",
        "家里人总是冷战 气氛很压抑",
        "感觉很空虚 心里难受",
    ],
    "legal": [
        "朋友借钱不还 电话也不接 有转账记录 能告吗",
        "邻居家盖房子占了我家地 想找人评理",
        "房东不退押金 怎么维权",
        "和邻居因为漏水赔偿吵起来了 想找人调解",
        "老板拖欠工资三个月 怎么讨要",
        "父母留下的房子兄弟几个分不好 遗产怎么分",
        "签了租房合同 中介跑路了",
        "和物业公司签的合同有问题 想咨询律师",
        "车位被物业卖了 要求赔偿 物业不给",
        "被人借钱不还 有借条 怎么起诉",
        "离婚财产怎么分 想咨询法律",
        "装修公司收了钱不干活 想告他",
        "邻居占了公共过道 协商不成 想调解",
        "工伤了公司不认 怎么办",
        "想立遗嘱 需要什么手续",
        "网购被骗了 想走法律途径退钱",
        "楼上装修把我家墙弄裂了 不肯赔",
        "劳动合同到期公司不给补偿",
        "有没有免费的法律援助律师",
        "{p}被保健品公司骗了钱 想要回来 打官司",
        "宅基地纠纷 想找人调解",
    ],
    "property": [
        "{b}电梯坏了 老人上不去楼",
        "{b}楼道灯不亮 晚上黑乎乎的",
        "{b}垃圾房好久没清理 臭死了",
        "楼上邻居家漏水 渗到我家天花板了",
        "小区里乱停车 消防通道被堵",
        "{b}楼下有人半夜唱歌 太吵了",
        "小区绿化带被人种菜了",
        "物业不管事 {b}单元门坏了关不上",
        "{b}下水道堵了 一楼返水",
        "小区里狗屎到处都是 没人管",
        "{b}电梯老是停 关人了好几次",
        "楼上装修噪音太大 中午也不停",
        "小区门禁坏了 外人随便进",
        "{b}楼顶漏雨 顶楼墙都发霉了",
        "小区路灯不亮 走路看不见",
        "{b}水压太低 高层没水",
        "有人在小区里乱扔垃圾 垃圾桶满了也没人倒",
        "物业费交了但是卫生没人打扫",
        "楼道里堆满了杂物",
        "{b}外墙瓷砖掉下来了 吓死人",
        "小区里的树太高挡光了 想修剪",
    ],
    "facility": [
        "{r}的路灯坏了好几盏 晚上很黑",
        "{r}路面坑坑洼洼 下雨全是积水",
        "{r}井盖没了 很危险",
        "公园里的长椅坏了",
        "{r}公厕没水 脏得不行",
        "{r}红绿灯坏了 一直闪黄灯",
        "公交站的站牌被撞倒了",
        "{r}人行道砖翘起来了 老人容易绊倒",
        "公园健身器材坏了 螺丝掉了",
        "{r}的下水道口堵了 一下雨就淹",
        "马路上的护栏被车撞坏了",
        "{r}的垃圾桶好久没人清",
        "路边的树倒了挡着路",
        "{r}没有斑马线 孩子过马路很危险",
        "公园的路灯不亮",
        "{r}桥上的栏杆松了",
        "街边的休息座椅都坏了",
        "{r}有个大坑 电动车摔了好几个",
        "{r}的路牌指错了方向",
    ],
    "safety": [
        "小区里快递老被人偷",
        "地下室住了人 私拉乱接电线",
        "废品堆在楼边上 夏天怕起火",
        "小区有人偷东西 能不能多装监控",
        "{b}有人把电动车推到楼道里充电",
        "楼道里堆了好多纸箱 怕着火",
        "{b}有人飞线充电 电线从窗户吊下来",
        "小区里最近老有人偷电动车电瓶",
        "接到电话说是公安局的 让我转账",
        "{r}晚上有几个人喝酒闹事 很吓人",
        "楼下饭店煤气罐乱放",
        "灭火器都过期了",
        "有陌生人在小区里挨家挨户敲门推销 看着不像好人",
        "家门口被人泼了油漆 还留了威胁的话",
        "{b}的消防栓没水",
        "停车场有人偷车",
        "网上有人说能帮忙贷款 先要交手续费 是不是骗子",
        "群租房里住了十几个人 电线乱拉",
        "小区门口有人打架",
        "{b}电表箱冒烟有焦味",
        "有人冒充社区工作人员上门收钱",
        "消防通道被锁死了",
        "晚上有人在楼下撬门",
    ],
    "employment": [
        "失业保险金去哪里领 要什么材料",
        "年纪大了被厂里辞退 还能干点啥活",
        "想考个证好找工作 有没有培训补贴",
        "想学门手艺 家政 月嫂 有推荐工作的吗",
        "失业了 想找份工作",
        "有没有技能培训 想学个手艺",
        "想自己开个小店 创业有没有补贴",
        "失业金怎么领",
        "{p}残疾了还想工作 有没有适合的岗位",
        "四十多岁了找工作很难 有没有公益岗位",
        "想考个育婴师证 哪里能培训",
        "大学毕业了还没找到工作",
        "社区有没有招聘会",
        "想学电工考证 有没有免费培训",
        "灵活就业的社保怎么交",
        "宝妈想找个兼职在家做的",
        "退伍回来想就业 有什么政策",
        "创业贷款怎么申请",
        "想找保洁的活 哪里有招人的",
        "被裁员了 想做点小生意",
        "会开车 想找个司机的工作",
        "厨师证怎么考",
    ],
    "health": [
        "{p}最近手抖 走路不稳 想让医生看看",
        "{p}高血压 每个月要开药 能不能家庭医生上门",
        "想签家庭医生",
        "孩子打疫苗在哪里预约",
        "{p}糖尿病 胰岛素哪里可以报销",
        "社区能不能免费体检",
        "{p}老是头晕 想找医生看看",
        "慢性病的药在社区医院能开吗",
        "老年人体检什么时候开始",
        "{p}刚出院 需要上门换药",
        "流感疫苗还有吗",
        "{p}腿疼好久了 想看中医",
        "社区卫生站几点开门",
        "{p}吃的药快没了 社区医院没有这个药",
        "想测血糖血压 社区能测吗",
        "{p}咳嗽一个多月了没好",
        "宫颈癌疫苗怎么预约",
        "医保卡在社区医院能用吗 看病报销怎么弄",
        "{p}牙齿掉光了 想装假牙",
    ],
    "culture": [
        "社区有没有广场舞队 想参加",
        "想报名书法班",
        "有没有给老人的智能手机培训班",
        "小区能不能办个读书会",
        "想当志愿者 怎么报名",
        "孩子暑假想参加社区的兴趣班",
        "社区活动室什么时候开放 想下棋",
        "想组织一个合唱团",
        "社区有没有乒乓球台",
        "想学太极拳 有没有老师",
        "图书室能借书吗",
        "能不能搞个邻里节活动",
        "想参加社区的党史讲座",
        "有没有摄影兴趣小组",
        "想报名老年大学",
        "社区篮球场晚上能用吗",
        "我会拉二胡 想给大家表演",
        "想学做手工 有没有课",
    ],
    "policy": [
        "医保断了几个月 还能补缴吗",
        "住房困难 保障房要什么条件",
        "新生儿上户口去哪 派出所还是社区",
        "居住证怎么办",
        "户口迁移需要什么材料",
        "生育津贴怎么申请",
        "老年优待证在哪里办",
        "医保怎么续交",
        "电动车上牌去哪里",
        "想问一下养老金资格认证怎么弄",
        "孩子上学要开居住证明",
        "公租房怎么申请",
        "退休手续怎么办",
        "社保转移需要哪些材料",
        "独生子女证丢了怎么补",
        "高龄津贴怎么申请 要带什么",
        "开无犯罪证明去哪里",
        "身份证过期了在哪里换",
        "新生儿落户流程是什么",
        "旧房改造补贴政策是什么",
        "以旧换新补贴怎么领",
    ],
    "other": [
        "表扬一下{b}的物业小王 服务很好",
        "感谢社区书记帮我们解决了问题",
        "建议社区多开几次居民会",
        "网格员工作很认真 点赞",
        "建议公众号能不能字大一点",
        "谢谢志愿者帮我搬东西",
        "希望社区办事大厅周末也开门",
        "想给社区提个建议 多放几个意见箱",
        "社区的服务态度真好 谢谢你们",
        "这个小程序不太会用",
        "给社区的同志们送个锦旗",
        "建议把通知贴到电梯里",
        "上次的事已经解决了 谢谢",
        "你们辛苦了",
        "社区活动办得很好 下次还来",
        "问一下社区工作人员电话多少",
        "就是想说一声谢谢",
        "建议多招几个网格员",
    ],
}

# Urgent problems per category (someone must act within hours).
URGENT: dict[str, list[str]] = {
    "elderly": [
        "{p}摔倒了爬不起来 我在外地 快派人去看看",
        "{p}瘫在床上 保姆走了 两天没吃饭了",
        "{p}一个人在家 电话打不通 敲门也没人应",
        "{p}早上出门到现在没回来 有点糊涂 找不到人了",
        "{p}卧床不起 没人送饭 快饿坏了",
        "{b}独居老人好几天没见出门 屋里有怪味",
    ],
    "disability": [
        "{p}坐轮椅 摔在卫生间起不来了",
        "{p}智力残疾走丢了 找了一下午没找到",
        "{p}瘫痪在床 护工今天没来 没人喂饭",
    ],
    "children": [
        "孩子放学到现在还没回家 电话也打不通",
        "老公喝醉了在打我 我躲在厕所 快来人",
        "邻居家孩子被关在屋里哭了一天 大人不在",
        "{b}有个小孩一个人在窗台上 很危险",
        "他拿刀威胁我和孩子",
    ],
    "hardship": [
        "家里已经两天没吃饭了 孩子饿得直哭",
        "被房东赶出来了 今晚没地方住 带着孩子在街上",
        "{p}卧床 家里断粮了 没人照顾",
    ],
    "psych": [
        "我不想活了 活着太累",
        "{p}说要跳楼 现在站在阳台上",
        "朋友发消息说要自杀 联系不上了",
        "我吃了好多安眠药",
        "我真的撑不下去了 想结束这一切",
    ],
    "legal": ["讨薪的时候老板叫人来打我们 现在还在围着", "邻居拿着棍子堵在我家门口威胁要打人"],
    "property": [
        "{b}电梯关人了 里面有老人 叫了半天物业不来",
        "楼上漏水 水一直往下流 家里都淹了",
        "{b}地下室进水了 水越来越深",
        "{b}楼道里有很浓的煤气味",
        "楼上水管爆了 水哗哗往我家灌",
    ],
    "facility": [
        "{r}积水淹到膝盖了 车都熄火了",
        "{r}井盖没了 刚才有人掉下去了",
        "{r}的电线杆倒了 电线掉在地上冒火花",
        "{r}水管爆了 路面全淹了",
    ],
    "safety": [
        "家里一股煤气味 不知道哪里漏了",
        "{p}家厨房燃气味特别重 不敢开灯",
        "回家一开门全是天然气的味道",
        "{b}闻到很大的煤气味 好像是邻居家",
        "楼道里着火了 冒黑烟",
        "有人冒充警察让我转账 我正在转",
        "{b}有人拿刀在楼下砍人",
        "{p}正在给骗子转钱 拦不住",
        "我家被撬了 小偷可能还在里面",
        "楼道里电动车起火了",
        "有人跟踪我到楼下 很害怕",
    ],
    "employment": ["工地上工友从架子上摔下来了 老板不管"],
    "health": [
        "{p}突然说不出话 半边身子不能动",
        "{p}胸口疼得厉害 喘不上气",
        "{p}摔了一跤头流血了 一个人在家",
        "{p}吃错药了 现在昏迷",
        "{p}低血糖晕倒了",
        "社区活动的时候有个老人晕倒了 快来人",
    ],
    "culture": [],
    "policy": [],
    "other": [],
}

# Non-urgent lookalikes: words of the urgent situations in calm, past or preventive use.
CALM: dict[str, list[str]] = {
    "elderly": ["{p}上个月摔过一次 现在好了 想装个扶手防摔", "{p}怕走丢 想办个防走失手环"],
    "safety": [
        "想学习一下怎么防诈骗 社区能不能讲讲",
        "燃气公司什么时候来检查燃气管道",
        "想给家里装个燃气报警器",
        "上次煤气泄漏的事后来处理了吗",
    ],
    "psych": ["去年想不开过 现在好多了 想找个人定期聊聊"],
    "property": ["上次漏水的事物业修好了 但墙还有印子 想让他们刷一下"],
    "facility": ["下雨天{r}容易积水 建议修一下排水"],
    "health": ["{p}以前中过风 现在要长期吃药 想问问社区能不能开"],
    "children": ["想了解一下防拐卖的知识 给孩子讲讲"],
    "culture": ["想报名急救培训 学学心肺复苏"],
}

PEOPLE_CATS = {"elderly", "disability", "health", "psych", "hardship", "legal", "employment"}

HANDWRITTEN: list[tuple[str, str, bool]] = [
    ("我家那个电梯三天两头坏 物业电话打了十几次都说在修 到底修不修", "property", False),
    ("隔壁单元有户人家天天把电动车拎上楼充电 我们整栋楼都提心吊胆的", "safety", False),
    ("俺娘八十三了 一个人住老房子 俺在深圳上班回不去 想请社区帮着每天去看一眼", "elderly", False),
    ("我妈在家摔了 躺地上起不来 我在外地赶不回去 求求你们快去看看", "elderly", True),
    ("你好 我想问下低保的事 我男人去年走了 我带着孩子 一个月就八百块钱", "hardship", False),
    ("我前夫又来闹 说要弄死我 现在在门外砸门", "children", True),
    ("小区北门外头那个公厕锁了半个月了 早上锻炼的老人都没地方上厕所", "facility", False),
    ("那个 我想学个电焊 有没有培训的 学完能给介绍工作不", "employment", False),
    ("孩子自闭症 五岁了还不会说话 想问问康复训练哪里能去 有补助吗", "disability", False),
    ("我爸血压一直降不下来 社区医院能不能给调一下药", "health", False),
    ("最近晚上老是睡不着 脑子里乱七八糟的 想找个心理医生聊聊 不想去医院", "psych", False),
    ("楼下饭馆油烟直冲我家窗户 找他们说了不理 想找人调解一下 实在不行就起诉", "legal", False),
    ("想报名社区那个老年合唱团 我年轻时候在厂里唱过", "culture", False),
    ("请问退休证丢了怎么补办 要去哪个部门", "policy", False),
    ("你们社区的小刘真是好样的 大半夜帮我把老伴送医院 谢谢", "other", False),
    ("刚才接了个电话说我儿子出事了要马上打钱 我已经转了一笔了 他还要 怎么办", "safety", True),
    ("二号楼的那个张奶奶两天没下楼了 敲门没人开 窗帘也拉着 大家都担心", "elderly", True),
    ("地下车库淹了 水都到车门了 还在往里灌", "property", True),
    ("我那个同事在朋友圈说想死 电话关机了 我不知道他住哪", "psych", True),
    ("路口那个井盖翘起来了 晚上骑车的好几个都差点摔", "facility", False),
    ("我老公工地干了一年 包工头一分钱没给 家里现在连买米的钱都没了 孩子晚饭还没着落", "hardship", False),
    ("包工头欠我们十几个人工资 一共二十多万 想找律师告他", "legal", False),
    ("物业说我家车位是他们的 要收回 可我有购买合同 想找个律师咨询", "legal", False),
    ("我爸是残疾人 腿不好 但是想找个看门的工作 有没有合适的", "employment", False),
    ("我奶奶糖尿病 天天打胰岛素 想让家庭医生上门看看", "health", False),
    ("我奶奶八十多了 没人做饭 想给她订社区的老年餐", "elderly", False),
    ("小孩放暑假了 我们两口子都上班 孩子一个人在家 社区有没有托管", "children", False),
    ("想问问新生儿医保怎么办理 要带哪些材料", "policy", False),
    ("我想做志愿者 周末有空 能干点啥", "culture", False),
    ("楼上天天半夜拖椅子 咚咚咚的 找物业也没用", "property", False),
    ("公园湖边的栏杆断了一截 小孩子在那玩很危险", "facility", False),
    ("有个男的最近老在小区门口转悠 盯着放学的小姑娘看 挺吓人的", "safety", False),
    ("我得了抑郁症 吃着药 就是想有人能说说话", "psych", False),
    ("老伴脑梗在床上躺了三年了 我一个人照顾快撑不住了 想问问有没有喘息服务", "elderly", False),
    ("轮椅上不了社区服务中心的台阶 能不能修个坡道", "disability", False),
    ("厨房燃气味很重 我把窗打开了 不敢开灯", "safety", True),
    ("我家孩子发高烧抽搐了 120还没到", "health", True),
    ("建议社区搞个跳蚤市场 大家把不用的东西换一换", "other", False),
    ("房子漏雨 我自己修不起 我是低保户 能不能帮忙", "hardship", False),
    ("下大暴雨 一楼的老人家里进水了 人出不来", "property", True),
    ("谢谢网格员上次帮我办好了老年证 字写得不好见谅", "other", False),
    ("公司倒闭了 失业了 社保断了怎么办 能领失业金不", "employment", False),
    ("我是外地人 想在这边给孩子办入学 要什么证明", "policy", False),
    ("我婆婆老年痴呆 今天早上自己出门了 到现在都没找到", "elderly", True),
    ("路边大树被风刮倒了 压着一辆车 里面好像有人", "facility", True),
    ("我被家暴很多年了 现在想离婚 但是怕他报复 能不能帮我", "children", False),
    ("听说有个残疾人就业培训 我是听障 能报名吗", "employment", False),
    ("残疾证评级不对 想重新鉴定", "disability", False),
    ("跳广场舞的音响太大声了 楼里有孩子要高考", "property", False),
    ("社区门口那个红绿灯时间太短 老人过不去", "facility", False),
    ("俺爹一个人在家 饭也不会做 天天泡面 社区有没有给老人送饭的", "elderly", False),
    ("老年人能不能申请个陪诊的 我妈每个月要去医院复查 我请不下来假", "elderly", False),
    ("我们老两口想去社区的日间照料中心 白天有人说说话 晚上回家住 咋报名", "elderly", False),
    ("我姥姥家是老房子 楼梯陡 想装个楼梯扶手 社区能管吗", "elderly", False),
    ("我爷爷一早出去遛弯 中午还没回 他有阿尔茨海默 手机也没带 家里人都在找", "elderly", True),
    ("想给我爸请个助老员 每周来两次 帮他洗洗衣服收拾屋子", "elderly", False),
    ("老人过生日社区有没有啥活动 我妈一个人过生日怪冷清的", "elderly", False),
    ("俺儿子是残疾人 坐轮椅 家里厕所门太窄进不去 能不能给改造一下", "disability", False),
    ("我的假肢用了五年磨腿了 想换个新的 残联有补助吗", "disability", False),
    ("小区里的盲道上全停满了车 我爸是盲人 出门老撞", "disability", False),
    ("孩子语言发育迟缓 医生说要做康复 社区有没有定点的康复机构", "disability", False),
    ("残疾人能不能申请免费的公交卡 在哪里办", "disability", False),
    ("我是肢体残疾 想去康复站做理疗 需要预约吗", "disability", False),
    ("我家孩子上初中了 天天不回家在外面混 跟一帮社会上的人在一起 我管不住", "children", False),
    ("我刚离婚 孩子判给我了 想问问妇联能不能给单亲妈妈一些帮助", "children", False),
    ("隔壁家的小孩老是一个人在家 饭都是自己泡方便面 大人一走好几天", "children", False),
    ("我家闺女十二岁 早上去上学 学校说没到 电话关机 我们找疯了", "children", True),
    ("我怀孕七个月了 老公在外地 一个人住 有点怕 社区有没有关照孕妇的", "children", False),
    ("小区里好几个孩子放学后没地方去 在马路边玩 能不能开个四点半课堂", "children", False),
    ("老公又发酒疯了 把家里东西全砸了 还说要打死我们娘俩", "children", True),
    ("咱家就我一个劳力 前些天腰伤了干不了活 孩子学费还没交 能申请点救助不", "hardship", False),
    ("我是外地来的 找了一个月工作没找到 钱花完了 房东催房租 能不能帮帮我", "hardship", False),
    ("我爸妈都是残疾 家里就靠低保 今年低保突然停了 是咋回事", "hardship", False),
    ("家里一粒米都没有了 孩子昨天晚上就没吃饭 我身上一分钱也没了", "hardship", True),
    ("大病医保报完了还欠医院五万多 能不能申请大病救助", "hardship", False),
    ("我们家房子塌了一半 住不了了 能申请临时救助吗", "hardship", False),
    ("一个人带着生病的老娘 没法出去工作 生活太难了", "hardship", False),
    ("我总觉得有人在背后议论我 晚上老做噩梦 心里特别不踏实", "psych", False),
    ("孩子高三了 每天都说自己不行 一考试就手抖 想找个心理老师帮帮他", "psych", False),
    ("俺闺女离婚以后就不爱出门了 整天躺着 不吃不喝的 怕她憋出病来", "psych", False),
    ("我现在站在江边 真的不想再撑了 对不起", "psych", True),
    ("社区有没有心理咨询室 我想去聊聊 最近压力很大", "psych", False),
    ("老公出轨了 我天天哭 不知道该怎么办 脑子一团乱", "psych", False),
    ("我妈自从退休后就疑心病很重 老怀疑我爸 家里天天闹", "psych", False),
    ("我在网上贷款被骗了 对方说要交保证金 交了以后人就联系不上了 想问怎么追回来", "legal", False),
    ("公司让我签自愿放弃社保的协议 这合法吗", "legal", False),
    ("租的房子漏水房东不修 我想退租 他不退押金", "legal", False),
    ("我和楼下因为空调滴水的事吵了好几回 想找社区调解一下", "legal", False),
    ("我儿子骑车把人撞了 对方要赔十万 想问问该赔多少", "legal", False),
    ("老家的宅基地被亲戚占了 想打官司 有没有免费律师", "legal", False),
    ("物业把我家门口的公共区域划给别人用了 我们想告物业", "legal", False),
    ("我们楼下的化粪池堵了 一楼卫生间往上冒 物业推来推去", "property", False),
    ("小区里有人在草坪上晒被子 还拉了绳子 孩子跑过去被绊倒了", "property", False),
    ("我家楼上天天往下扔烟头 阳台上的衣服都烫了洞", "property", False),
    ("单元楼下的信报箱坏了好几个 信件都丢了", "property", False),
    ("小区的消防通道天天停满了私家车 物业也不贴条", "property", False),
    ("楼里的电梯按钮坏了几个 按了没反应", "property", False),
    ("我们单元楼道里的电线着火了 冒着烟 物业电话没人接", "property", True),
    ("路口那个过街天桥的台阶坏了几级 老人上下不方便", "facility", False),
    ("我们这条路一下雨就全是水 下水道好像堵了 公交车开过去溅一身", "facility", False),
    ("公园里的路灯一半不亮 晚上跑步的人看不清路", "facility", False),
    ("河边的防护栏杆锈断了 小孩在那玩很危险", "facility", False),
    ("马路边的垃圾桶坏了 垃圾撒了一地 没人管", "facility", False),
    ("公交车站牌上的线路信息是错的 很多人坐错车", "facility", False),
    ("路上有根电线断了垂下来 碰到地面在冒火 旁边还有人走", "facility", True),
    ("我们这有户人家把煤气罐放在楼道里 万一漏了怎么办", "safety", False),
    ("最近老有人打电话冒充我儿子的领导 说他出事了要打钱 我没理", "safety", False),
    ("小区附近开了一家店 天天有人上门推销理财 说保本高息 我看着像骗人的", "safety", False),
    ("我家门口来了个男的 一直在撬锁 我在屋里不敢出声", "safety", True),
    ("隔壁的出租屋住了一堆人 整夜进进出出 不知道在干啥 挺害怕", "safety", False),
    ("楼里有一股很重的燃气味 好几家都闻到了 不知道是谁家漏的", "safety", True),
    ("小区的监控很多是坏的 前几天电动车被偷了都查不到", "safety", False),
    ("我老婆四十多了 在家带孩子好多年了 现在想出去找个工作 没啥技术 咋办", "employment", False),
    ("残疾人能不能考公务员 我是腿脚残疾 想找个稳定的工作", "employment", False),
    ("社区有没有教做面点的培训 我想学了开个早餐铺", "employment", False),
    ("我刚从外地回来 想在本地找个开车送货的活", "employment", False),
    ("公司倒闭了 没有失业证明 去哪里开", "employment", False),
    ("我想去学育婴师 学完能不能帮忙找个月嫂的活", "employment", False),
    ("残疾的孩子毕业了 能不能安排到福利企业上班", "employment", False),
    ("我妈脑梗出院后要做康复 社区医院能做吗 还是一定要去大医院", "health", False),
    ("孩子发烧三天了 吃了药不退 社区医院晚上有人吗", "health", False),
    ("家里老人每个月都要开降糖药 社区卫生站能不能一次多开点", "health", False),
    ("我爸心脏病犯了 捂着胸口说疼 药吃了也没用", "health", True),
    ("我们小区老人多 能不能请社区医生来义诊 量量血压血糖", "health", False),
    ("想给孩子打水痘疫苗 社区医院要提前约吗", "health", False),
    ("我最近体检查出来甲状腺有结节 社区能不能帮着转诊", "health", False),
    ("我想参加社区的舞蹈队 没有基础能学吗", "culture", False),
    ("社区的图书馆周末开不开 想带孩子去看书", "culture", False),
    ("有没有教老人用手机拍照和剪视频的课", "culture", False),
    ("我们小区有几个会下围棋的 想办个比赛 社区能支持吗", "culture", False),
    ("我想当个义工 帮着社区做点事情 去哪登记", "culture", False),
    ("社区能不能组织大家去春游", "culture", False),
    ("想参加社区办的插花课 还有名额吗", "culture", False),
    ("我想办个护照 是去社区还是出入境 需要什么材料", "policy", False),
    ("孩子上幼儿园要开什么证明 社区能开吗", "policy", False),
    ("我父亲去世了 养老金怎么停 丧葬费怎么领", "policy", False),
    ("电动自行车上牌要什么手续 在哪里办", "policy", False),
    ("居住证到期了怎么续签 要本人去吗", "policy", False),
    ("我们是失地农民 养老保险怎么办理", "policy", False),
    ("想咨询一下生育保险报销的流程", "policy", False),
    ("你们社区的志愿者大冬天还在门口值守 太不容易了 谢谢", "other", False),
    ("建议社区多搞几次政策宣讲 很多人都不知道有这些好政策", "other", False),
    ("我不知道该找哪个部门 先问问社区吧", "other", False),
    ("社区的办事窗口能不能多开一个 每次排队太长了", "other", False),
    ("给社区提个小建议 通知能不能同时发短信 老人不看微信", "other", False),
    ("想表扬一下社区医院的李医生 很耐心", "other", False),
    ("我就是来看看这个平台怎么用的", "other", False),
    (
        "我家老太太今年都九十了 脑子还清楚 就是走不动 我们白天上班中午没人给她热饭 社区那个助餐能不能送到家里来",  # noqa: E501
        "elderly",
        False,
    ),
    (
        "问一下 像我们这种空巢的 两个老的都八十多了 有没有人定期上门来看看 帮着换个灯泡什么的",
        "elderly",
        False,
    ),
    ("我爸中风以后一直是我照顾 我自己也六十多了 腰不好 实在伺候不动 想问有没有上门护理的", "elderly", False),
    ("老人家里卫生间想改造一下 装个坐便器和扶手 听说政府有适老化改造补贴", "elderly", False),
    ("我婆婆有点糊涂了 老往外跑 想给她办个防走失的手环 社区有发的吗", "elderly", False),
    ("隔壁独居的赵大爷 三天没见人了 牛奶还挂在门上 打电话也不接 我们怀疑出事了", "elderly", True),
    ("我妈八十了一个人住 刚刚打电话哭着说摔在地上起不来 我离得远 麻烦谁能先过去看看", "elderly", True),
    ("老两口都不会用智能手机 挂号买菜都不会 能不能有人上门帮帮", "elderly", False),
    ("我母亲快九十了 想找家近一点的养老院 社区有推荐吗 费用大概多少", "elderly", False),
    ("我们楼里好几个老人都是一个人过 能不能组织人每天打个电话问问", "elderly", False),
    ("我奶奶瘫在床上 护工辞职跑了 家里现在没人 她一天没吃东西了", "elderly", True),
    ("我家孩子唐氏综合征 八岁了 想找个能长期做康复训练的地方 离家近点的", "disability", False),
    ("我是下肢残疾 想申请个电动轮椅 残联有没有适配的补贴", "disability", False),
    ("我们小区有几个坐轮椅的 单元门口那个台阶太高 想请社区跟物业说说修个无障碍坡道", "disability", False),
    ("残疾证丢了 补办要带什么 要本人去吗 他出不了门", "disability", False),
    ("精神残疾的家属 想问问有没有托养的地方 我们年纪大了照顾不动", "disability", False),
    ("我爸眼睛看不见了 办残疾证需要去哪做鉴定", "disability", False),
    ("聋哑的弟弟去银行办事 人家听不懂他比划 能不能有手语志愿者陪同", "disability", False),
    ("我哥是智障 今天下午一个人出去了 到现在没回来 手机也没带", "disability", True),
    ("我老公家暴好多年了 以前忍着 现在孩子大了也开始怕他 我想知道妇联能帮我什么", "children", False),
    ("双职工 孩子上一年级 下午三点半就放学 爷爷奶奶在老家 想问社区有没有课后托管", "children", False),
    ("我们楼里有个小男孩 父母都在外地 跟着年纪很大的爷爷 经常半夜还在外面晃", "children", False),
    ("刚生完宝宝 母乳不够 也不会带 社区有没有上门指导的", "children", False),
    ("女儿被班上同学起外号 还被推倒过 老师不管 孩子回来天天哭", "children", False),
    ("楼上那家大人出去了 把两个小孩锁家里 孩子在阳台上哭着喊救命", "children", True),
    ("我男朋友喝多了拿刀追着我 我带着孩子跑出来了 现在在小区门口 不敢回去", "children", True),
    ("我是孕妇 一个人在外地打工 老板说怀孕就要辞退我", "children", False),
    ("孩子十四岁 迷上网络直播 偷偷拿家里的钱打赏了好几千", "children", False),
    ("我男人干活摔断腿了 半年没收入 家里两个孩子上学 想申请临时救助", "hardship", False),
    ("我六十岁了 没儿没女 也没退休金 靠捡废品过日子 能不能申请特困", "hardship", False),
    ("家里遭了水灾 东西都泡坏了 被褥都没有 能不能给点救济", "hardship", False),
    ("我被老公赶出来了 身上一分钱没有 带着两岁的孩子 今晚不知道睡哪", "hardship", True),
    ("工地老板跑了 三个月工资没给 我们几个现在吃饭都成问题 今天先能不能给点吃的", "hardship", False),
    ("我家是低保户 今年复核说收入超了 可我家老人看病花的钱比收入还多", "hardship", False),
    ("孩子爸爸坐牢了 我一个人带孩子 没工作 能享受什么救助", "hardship", False),
    ("交不起暖气费 屋里才十度 老人冻得直哆嗦", "hardship", False),
    ("我最近总是控制不住发脾气 对孩子大吼大叫 事后又特别后悔 想找人聊聊", "psych", False),
    ("孩子去世一年了 我到现在还走不出来 每天都在哭", "psych", False),
    ("我爸退休后跟我妈天天吵 吵得我们都快疯了 有没有家庭调解和心理疏导的", "psych", False),
    ("感觉自己得了社交恐惧 不敢出门见人 工作也丢了", "psych", False),
    ("隔壁住的那个大学生说不想活了 刚才在楼道里拿着绳子 我们拦下了 现在怎么办", "psych", True),
    ("我撑不住了 活着没意思 今天就想走了", "psych", True),
    ("老伴走后我妈不吃不喝 整天坐着发呆 跟她说话也不搭理", "psych", False),
    ("我是全职妈妈 每天带孩子很崩溃 觉得自己没价值", "psych", False),
    ("房东突然说房子卖了 让我们一周内搬走 合同还有半年 押金也不退 这合法吗", "legal", False),
    ("楼上装修把我家卫生间弄漏了 找他赔他说不是他弄的 能不能社区出面调解一下", "legal", False),
    ("我在饭店干了八个月 老板说试用期 没签合同 现在不干了工资也不给结", "legal", False),
    ("物业公司停车费乱涨价 我们业主想跟他们打官司 有律师能咨询吗", "legal", False),
    ("我妈去世前口头说房子给我 我哥不认 想问问怎么办", "legal", False),
    ("被人打了一拳 鼻梁骨折 对方不肯赔医药费 怎么起诉", "legal", False),
    ("我借了网贷 利息高得吓人 还天天打电话骚扰我家人 想问问法律上怎么处理", "legal", False),
    ("邻居家的空调外机正对着我卧室窗户 吵得睡不着 说了不改 想找社区调解", "legal", False),
    ("我们单元的楼道灯坏了一个多月 物业说报了 就是没人来修 老人晚上上下楼很危险", "property", False),
    ("小区的化粪池满了往外冒 臭得窗户都不敢开", "property", False),
    ("一楼的住户把楼道当自家储物间 堆满了东西 消防通道都堵了", "property", False),
    ("小区的绿化没人管 草都长到半人高了 蚊子特别多", "property", False),
    ("晚上小区里有人遛狗不拴绳 孩子被吓哭了好几次", "property", False),
    ("地下车库的灯坏了一大半 黑咕隆咚的", "property", False),
    ("一楼下水道往外冒水 已经漫到客厅了 还在涨", "property", True),
    ("新搬来的邻居天天半夜打麻将 声音特别大 物业来了也没用", "property", False),
    ("我家厨房的墙一直渗水 是楼上的管子问题 楼上不配合修", "property", False),
    ("我们这条街的路灯好几年都没亮过了 晚上下班回家一路摸黑", "facility", False),
    ("公园里的步道有好几处塌陷 晨练的老人差点崴了脚", "facility", False),
    ("公交站台那边的座椅被拆了 一直没装回来 老人等车站不住", "facility", False),
    ("学校门口那条路没有减速带 车开得飞快 孩子上学很危险", "facility", False),
    ("街上的公共厕所坏了好几个月 门都锁着", "facility", False),
    ("路中间的井盖被冲开了 水往外喷 已经有电动车掉进去了", "facility", True),
    ("马路上的地下管道老是冒臭味 是不是哪里坏了", "facility", False),
    ("公园湖边的路灯杆歪了 看着要倒", "facility", False),
    ("对门那家开了个小作坊 堆了很多油漆和稀料 我们都担心哪天着火", "safety", False),
    ("小区最近老有人翻墙进来偷东西 好几家的电动车都没了", "safety", False),
    ("我爸接到个电话说中奖了 要先交个税才能领 他差点就去银行了 还好我拦住了 这种怎么防", "safety", False),
    ("我正在跟一个自称公安的人视频 他说我涉嫌洗钱 让我把钱转到安全账户 我已经转了五万了", "safety", True),
    ("楼顶有人私自搭了个棚子 里面放了好多煤气罐", "safety", False),
    ("我们楼三楼窗户往外冒火了 我已经打了119 楼里还有老人没下来", "safety", True),
    ("有人在小区里发传单说投资养老项目高回报 好多老人都交了钱 感觉不对劲", "safety", False),
    ("刚才有个人在小区门口拿着刀晃 嘴里还骂骂咧咧的 大家都吓跑了", "safety", True),
    ("我是残疾人 听力不好 但是会电脑 想找个文员的工作 有没有残疾人就业的岗位", "employment", False),
    ("我们小区有没有家政公司招人 我想干保洁或者做饭的活", "employment", False),
    ("从部队退下来 没啥技术 想学个手艺 有没有退役军人培训", "employment", False),
    ("想在社区摆个摊卖早点 需要办什么证 有扶持吗", "employment", False),
    ("大学毕业两年了一直没找到合适的工作 能不能推荐个见习的地方", "employment", False),
    ("我五十岁了被单位买断了 还能去哪找活 社区有公益性岗位吗", "employment", False),
    ("我想考个电工证 哪里有培训 考完能推荐工作吗", "employment", False),
    ("失业了 听说失业期间可以领补助 去哪里登记", "employment", False),
    ("我爸糖尿病十几年了 最近脚上有个伤口老不好 想让社区医生上门看看", "health", False),
    ("我妈有高血压 每天吃药 最近量出来还是很高 社区医生能帮调一下药吗", "health", False),
    ("孩子该打麻腮风疫苗了 社区医院怎么预约", "health", False),
    ("想做个全面体检 社区的免费体检什么时候有", "health", False),
    ("我家老爷子呼吸很困难 脸都憋紫了 救护车说还要二十分钟", "health", True),
    ("我最近老是失眠心慌 想看看中医调理 社区卫生站有中医吗", "health", False),
    ("家里老人长期卧床 有褥疮了 想请护士上门换药", "health", False),
    ("社区医院能不能开胰岛素 每次去大医院排队太久", "health", False),
    ("孩子误吞了一颗纽扣电池 现在说肚子疼", "health", True),
    ("我们几个退休的老哥们想组个象棋协会 社区能给个地方吗", "culture", False),
    ("孩子周末在家没事干 社区有没有书法绘画的兴趣班", "culture", False),
    ("我想报名当社区的志愿者 周末有空 做什么都行", "culture", False),
    ("社区的老年大学还招人吗 想学电脑和摄影", "culture", False),
    ("能不能在小区里搞个读书角 大家把家里的书拿出来换着看", "culture", False),
    ("我喜欢打羽毛球 社区的活动中心有场地吗", "culture", False),
    ("社区有没有合唱团 我想参加 年轻的时候在文工团待过", "culture", False),
    ("中秋节社区有没有活动 想带孩子去参加", "culture", False),
    ("我们是外地户口 孩子在这边上小学要什么材料 居住证要办多久", "policy", False),
    ("退休人员每年都要认证 我妈不会用手机 在哪能办", "policy", False),
    ("想问一下廉租房怎么申请 要排多久", "policy", False),
    ("结婚以后户口要迁过来 需要什么手续", "policy", False),
    ("老年证在哪里办 要什么材料 办了以后坐公交免费吗", "policy", False),
    ("残疾人的两项补贴政策今年有没有变化 标准是多少", "policy", False),
    ("想问问城乡居民养老保险怎么交 一年交多少", "policy", False),
    ("孩子出生证明丢了 上户口怎么办", "policy", False),
    ("感谢社区这次疫情期间给我们送菜送药 你们辛苦了", "other", False),
    ("小区里的宣传栏好久没更新了 建议多贴点实用的信息", "other", False),
    ("我提个意见 社区的工作人员打电话能不能说慢一点 老人听不清", "other", False),
    ("网格员小张每次都很耐心 给他点赞", "other", False),
    ("社区的公众号推送太多了 能不能少发点", "other", False),
    ("我想知道社区书记叫什么名字 怎么联系", "other", False),
    ("上次反映的问题已经处理好了 谢谢你们", "other", False),
    ("建议社区成立个业主议事会 大家的事大家商量", "other", False),
]


def _noise(text: str, rng: random.Random) -> str:
    """Phone typing: punctuation dropped or doubled, a filler word, a common typo."""
    if rng.random() < 0.35:
        text = text.replace(",", " ").replace(",", " ")
    if rng.random() < 0.25:
        text = text.replace(" ", "")
    if rng.random() < 0.2:
        text = text + rng.choice(["!!", "。。。", "?", "啊", "呀", "!", "哈"])
    if rng.random() < 0.15:
        text = rng.choice(["那个", "就是", "嗯", "请问", "急"]) + text
    typos = [("的", "地"), ("在", "再"), ("做", "作"), ("吗", "嘛"), ("已经", "以经"), ("那", "哪")]
    if rng.random() < 0.15:
        a, b = rng.choice(typos)
        text = text.replace(a, b, 1)
    return text


def _person(cat: str, rng: random.Random) -> str:
    pool = [*FAMILY, "我", "我"] if cat != "elderly" else [*FAMILY, SELF_ELDER[0], "我家老人"]
    return rng.choice(pool)


def _fill(core: str, cat: str, rng: random.Random) -> str:
    return core.format(p=_person(cat, rng), b=rng.choice(BUILDINGS), r=rng.choice(ROADS))


def _compose(core: str, cat: str, rng: random.Random, urgent: bool) -> str:
    parts = [rng.choice(SPEAKERS)]
    if cat in ("property", "safety") and rng.random() < 0.3 and "{b}" not in core:
        parts.append("我们" + rng.choice(BUILDINGS) + " ")
    if cat == "elderly" and rng.random() < 0.2:
        parts.append(rng.choice(SELF_ELDER) + " ")
    parts.append(_fill(core, cat, rng))
    if urgent:
        # Urgent texts get the same filler as calm ones, so length and politeness are no cue.
        parts.append(
            rng.choice(["", "", " 就刚才", " 现在", " 我一个人弄不了", " 急死了", " 我很害怕", " 真的很着急"])
        )
        if rng.random() < 0.15:
            parts.append(" 之前也" + rng.choice(DURATIONS[2:]))
    terse = rng.random() < 0.3
    if urgent or terse:
        ask = rng.choice(["快来人", "求求你们快点", "怎么办", "急急急", "", "麻烦马上派人", "帮帮忙"])
        ask = ask if urgent else rng.choice(ASKS)
    else:
        duration = rng.choice(DURATIONS)
        if duration:
            parts.append(" " + duration)
        if rng.random() < 0.25:  # a second concern of the same category makes longer, rambling texts
            parts.append(" 还有" + _fill(rng.choice(CORE[cat]), cat, rng))
        feeling = rng.choice(FEELINGS)
        if feeling:
            parts.append(" " + feeling)
        ask = rng.choice(ASKS)
    if ask:
        parts.append(rng.choice([" ", ",", ""]) + ask)
    return _noise("".join(parts).strip(), rng)


def build(rng: random.Random) -> list[dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    for cat, cores in CORE.items():
        urgent_cores = URGENT.get(cat, [])
        calm = CALM.get(cat, [])
        n_urgent = int(PER_CATEGORY * 0.2) if len(urgent_cores) >= 3 else 10 * len(urgent_cores)
        made = 0
        attempts = 0
        while made < PER_CATEGORY and attempts < PER_CATEGORY * 20:
            attempts += 1
            urgent = made < n_urgent
            if urgent:
                core = rng.choice(urgent_cores)
            elif calm and rng.random() < 0.1:
                core = rng.choice(calm)
            else:
                core = rng.choice(cores)
            text = _compose(core, cat, rng, urgent)
            if text in rows:
                continue
            rows[text] = {"text": text, "category": cat, "urgent": urgent, "source": "composed"}
            made += 1
    for text, cat, urgent in HANDWRITTEN:
        rows[text] = {"text": text, "category": cat, "urgent": urgent, "source": "hand"}
    for path, source in HANDWRITTEN_FILES:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    rows[row["text"]] = {**row, "source": source}
    out = list(rows.values())
    rng.shuffle(out)
    return out


def main() -> None:
    rows = build(random.Random(SEED))  # noqa: S311 - reproducible text, not secrets
    path = Path(__file__).with_name("needs.jsonl")
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    urgent = sum(1 for r in rows if r["urgent"])
    print(f"{len(rows)} texts, {urgent} urgent ({urgent / len(rows):.0%}) -> {path}")


if __name__ == "__main__":
    main()
