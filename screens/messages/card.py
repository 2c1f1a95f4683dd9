"""请将身份证放在感应区: the card prompt's words."""

PROMPT = "请将身份证放在感应区"
HINT = "身份证平放在下方的感应区上，读好之前请不要拿开。如果已经放上了，请拿起来再放一次。"
OFFLINE_TITLE = "暂时不能读取身份证"
UNAVAILABLE = "身份证阅读器暂时无法使用，请到服务台办理，给您添麻烦了。"
RETRY = "没有读出来，请把身份证拿起来，再平放一次。"
BAD_NUMBER = ("这张证件的号码核对不上，不能用来取号。请拿起来换一张有效的身份证，"
              "或到服务台请工作人员帮忙。")
CANCEL = "取消"
BACK = "返回"


def seconds_left(n: int) -> str:
    return f"还剩 {n} 秒"
