"""Word lists the demo generators draw from. Everything here is fictional: names are combined from
common characters, so no generated street, unit or person names a real one on purpose."""

# Syllables that Chinese road and place names are commonly built from; two of them make a name.
PLACE_FIRST = tuple(
    "平长延控殷淞鞍国政民黄兴嫩营宁武松海安福庆和康宝华春丰锦翔嘉临曲昌汾凉虹溧靖"
    "江河湖桥泉林枫梅兰桂榆柳杨桃杏金银玉瑞祥泰恒永新东西南北中"
)
PLACE_SECOND = tuple("江凉吉阳行山权通和安兴宁昌定平浦川汇泰德林城桥园湾港源溪塘泾岗渡庄")
ROAD_SUFFIXES = ("路", "路", "路", "街", "大道", "支路")
COMMUNITY_SUFFIXES = ("社区", "社区", "社区", "新村社区", "苑社区", "花园社区", "第一社区", "第二社区")
VILLAGE_SUFFIXES = ("村",)
DISTRICT_NAMES = (
    "临江区",
    "东湖区",
    "浦川区",
    "青溪区",
    "望海区",
    "金桥区",
    "云泽区",
    "长汀区",
    "枫林区",
    "嘉禾区",
    "瑞安区",
    "新港区",
    "宁和区",
    "松泉区",
    "桂川区",
    "兰亭区",
    "柳塘区",
    "安澜区",
    "泰和区",
    "锦城区",
)

# Surnames roughly in their order of frequency; the weights favour the common ones.
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
MALE_GIVEN = tuple("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文斌海东亮成晨")
FEMALE_GIVEN = tuple("芳娜敏静丽艳娟霞秀英华慧巧美玲桂兰萍红燕雪琳晶妍洁颖倩婷怡欣佳琪梅莉蓉琴云凤")

ETHNIC_MINORITIES = ("回族", "满族", "蒙古族", "朝鲜族", "壮族", "土家族", "苗族", "藏族")

# Area codes (行政区划代码) of other places, for people born elsewhere.
OTHER_AREA_CODES = (
    "320102",
    "320506",
    "330106",
    "340104",
    "360102",
    "370102",
    "410105",
    "420106",
    "430104",
    "500103",
    "510107",
    "610113",
    "130104",
    "210102",
    "230103",
    "350203",
    "440106",
    "450103",
    "120101",
    "110105",
)
FLOW_PLACES = (
    "广东省深圳市",
    "江苏省苏州市",
    "浙江省杭州市",
    "北京市海淀区",
    "四川省成都市",
    "湖北省武汉市",
    "安徽省合肥市",
    "山东省青岛市",
    "福建省厦门市",
    "河南省郑州市",
    "湖南省长沙市",
    "陕西省西安市",
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

# Unit names: a brand of two syllables and a kind-specific pattern.
BRAND_WORDS = tuple("华远恒信达新创联盛通泰和安瑞德鑫宏汇诚博智科凯景龙嘉明启")
COMPANY_TRADES = (
    "科技",
    "信息技术",
    "贸易",
    "物流",
    "餐饮管理",
    "建筑工程",
    "文化传媒",
    "物业管理",
    "电子商务",
    "医疗器械",
    "教育咨询",
    "环保科技",
    "服装",
    "食品",
    "家政服务",
)
STATE_ENTERPRISE_TRADES = ("电力", "燃气", "自来水", "公交", "地铁运营", "建设投资", "城市发展", "粮油")
GOVERNMENT_OFFICES = (
    "税务局{place}税务所",
    "市场监督管理局{place}市场监管所",
    "公安分局{place}派出所",
    "司法局{place}司法所",
    "城市管理综合执法局{place}中队",
    "人力资源和社会保障局{place}服务站",
)
PUBLIC_INSTITUTIONS = (
    "{place}文化活动中心",
    "{place}图书馆分馆",
    "{place}社区事务受理服务中心",
    "{place}养老院",
)
SCHOOLS = ("{place}小学", "{place}中学", "{place}幼儿园", "{place}实验学校", "{place}职业技术学校")
HOSPITALS = ("{place}社区卫生服务中心", "{district}第{n}人民医院", "{district}中医医院{place}分院")
RESEARCH_INSTITUTES = ("{brand}材料研究所", "{brand}信息技术研究院", "{brand}环境科学研究所")
SOCIAL_ORGANIZATIONS = (
    "{place}社区志愿者协会",
    "{place}社会工作服务社",
    "{brand}公益基金会",
    "{place}老年协会",
)
OTHER_UNITS = ("{place}农贸市场", "{brand}农民专业合作社", "{place}商务楼宇服务站")

CHINESE_NUMERALS = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals, as used in 第N党支部."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{head}十{CHINESE_NUMERALS[ones] if ones else ''}"
