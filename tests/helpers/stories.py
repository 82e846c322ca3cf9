"""Self-made articles for the story tests: one event told by three outlets (Tuổi Trẻ, VOV,
Một Thế Giới), another event of the same day and topic (a fire in Bình Dương), and events
retold with their figures (a crash, a flood) for the rules on shared figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bantin.text import fold
from store import Article

MORNING = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


def article(n: int, source: str, title: str, lead: str, text: str, hours: float = 0,
            summary: str = "") -> Article:
    return Article(
        url=f"https://{fold(source).replace(' ', '')}.example.vn/tin/{n}.html", source=source,
        title=title, lead=lead, text=text, summary=summary or lead,
        published_at=MORNING + timedelta(hours=hours), fetched_at=MORNING + timedelta(hours=hours),
    )


FIRE_TUOI_TRE = article(
    1, "Tuổi Trẻ", "Cháy lớn tại chợ Vinh, hơn 200 ki-ốt bị thiêu rụi",
    "Rạng sáng 2/3, một đám cháy lớn bùng lên tại chợ Vinh (TP Vinh, Nghệ An) thiêu rụi hơn "
    "200 ki-ốt của tiểu thương, thiệt hại ước tính 15 tỷ đồng.",
    "Theo ông Nguyễn Văn Hùng, Trưởng Ban quản lý chợ Vinh, lửa bắt đầu từ khu hàng vải lúc "
    "3h30. Cảnh sát PCCC Nghệ An điều 12 xe chữa cháy đến hiện trường. Đến 7h đám cháy được "
    "khống chế, không có thương vong về người. Nguyên nhân vụ cháy đang được điều tra.",
)
FIRE_VOV = article(
    2, "VOV", "Nghệ An: Chợ Vinh cháy dữ dội, 200 ki-ốt thành tro",
    "Khoảng 3h30 ngày 2/3, chợ Vinh ở TP Vinh, Nghệ An bốc cháy dữ dội, hơn 200 ki-ốt bị "
    "thiêu rụi, thiệt hại khoảng 15 tỷ đồng.",
    "Cảnh sát PCCC Nghệ An đã huy động 12 xe chữa cháy cùng hàng trăm chiến sĩ. Ông Nguyễn "
    "Văn Hùng, Trưởng Ban quản lý chợ Vinh cho biết lửa bùng lên từ khu hàng vải. Đến 7h đám "
    "cháy được khống chế, không ai bị thương. Nguyên nhân đang được điều tra.",
    hours=1,
)
FIRE_MOT_THE_GIOI = article(
    3, "Một Thế Giới", "Hơn 200 ki-ốt chợ Vinh bị thiêu rụi trong đám cháy rạng sáng",
    "Đám cháy tại chợ Vinh, Nghệ An rạng sáng 2/3 đã thiêu rụi hơn 200 ki-ốt, thiệt hại "
    "khoảng 15 tỷ đồng; 12 xe chữa cháy được điều đến.",
    "Trưởng Ban quản lý chợ Vinh Nguyễn Văn Hùng cho biết ngọn lửa xuất phát từ khu hàng "
    "vải lúc 3h30. Tiểu thương chợ Vinh mất trắng hàng hóa. Cảnh sát PCCC Nghệ An khống chế "
    "đám cháy lúc 7h, không có thương vong. Nguyên nhân vụ cháy đang được điều tra.",
    hours=6,
)
# Another fire the same day, on the same topic, somewhere else: a different event.
OTHER_FIRE = article(
    4, "Dân Trí", "Cháy xưởng gỗ ở Bình Dương, thiệt hại hàng tỷ đồng",
    "Chiều 2/3, một xưởng gỗ ở thị xã Tân Uyên, Bình Dương bốc cháy dữ dội, thiêu rụi nhiều "
    "máy móc và 300 m3 gỗ thành phẩm.",
    "Cảnh sát PCCC Bình Dương điều 8 xe chữa cháy đến hiện trường. Ông Trần Minh Quang, chủ "
    "xưởng, cho biết lửa bắt đầu từ khu sơn. Đến 17h đám cháy được khống chế, không có thương "
    "vong về người. Nguyên nhân vụ cháy đang được điều tra.",
    hours=8,
)


OUTLETS = [  # (outlet, its own article's address) of ``three_outlets``, in the order they carried it
    ("Tuổi Trẻ", "https://tuoitre.example.vn/tin/1.html"),
    ("VOV", "https://vov.example.vn/tin/2.html"),
    ("Một Thế Giới", "https://motthegioi.example.vn/tin/3.html"),
]


def three_outlets() -> list[Article]:
    return [FIRE_TUOI_TRE, FIRE_VOV, FIRE_MOT_THE_GIOI]


def fresh(template: Article, at: datetime | None = None) -> Article:
    """A copy to save (saving fills fields in place); with ``at``, published and fetched then,
    keeping the template's distance from the first article."""
    copy = Article(**{k: getattr(template, k) for k in (
        "url", "source", "title", "lead", "text", "summary", "published_at", "fetched_at")})
    if at is not None:
        copy.published_at = copy.fetched_at = at + (template.published_at - MORNING)
    return copy


def save_all(store, templates, at: datetime | None = None) -> list[int]:
    return [store.articles.save(fresh(t, at))[1] for t in templates]


# One flash flood told by two outlets in different words: they share names and a few word
# pairs, not enough alone; the figure they both quote (14 houses) is what tells it is one event.
FLOOD = article(
    5, "Lao Động", "Lũ quét ở Lào Cai cuốn trôi 14 ngôi nhà",
    "Đêm 5/7, mưa lớn kéo dài gây lũ quét tại xã Bản Khoang, huyện Sa Pa, tỉnh Lào Cai, cuốn "
    "trôi 14 ngôi nhà và làm 3 người mất tích.",
    "Lực lượng cứu hộ đã tìm kiếm suốt đêm. Chính quyền huyện Sa Pa đã di dời hàng chục hộ dân "
    "khỏi vùng nguy hiểm.",
)


def flood_retold(houses: str, hours: float = 2) -> Article:
    """Another outlet's report of a flood in Bản Khoang the same night (5/7), with its count of
    houses swept away: the same flood when it says 14, another one when it does not."""
    return article(
        6, "Tiền Phong", "Nước lũ đổ về trong đêm, nhiều gia đình ở Sa Pa mất nhà",
        f"Trận lũ quét đêm 5/7 ở xã Bản Khoang, huyện Sa Pa đã làm {houses} căn nhà bị cuốn "
        "trôi, ba người dân vẫn chưa được tìm thấy.",
        "Hàng trăm cán bộ, chiến sĩ được huy động tìm người mất tích. Người dân vùng lũ được đưa "
        "đến nơi an toàn.",
        hours=hours,
    )


# A crash on one motorway, and another outlet's report of a crash there the same day: the same
# crash when it quotes the same number of passengers, another one when every figure differs.
CRASH = article(
    8, "Tuổi Trẻ", "Xe khách tông xe tải trên cao tốc Pháp Vân - Cầu Giẽ",
    "Sáng 9/3, một xe khách chở 45 hành khách tông vào đuôi xe tải trên cao tốc Pháp Vân - Cầu "
    "Giẽ, đoạn qua huyện Thường Tín, làm 12 người bị thương.",
    "Các nạn nhân được đưa đến Bệnh viện đa khoa Thường Tín cấp cứu. Cảnh sát giao thông đang "
    "điều tra nguyên nhân vụ tai nạn.",
)


def crash_retold(passengers: str, injured: str) -> Article:
    return article(
        9, "Dân Trí", "Hà Nội: xe khách đâm xe tải, hành khách hoảng loạn",
        f"Trưa 9/3, xe khách chở {passengers} hành khách lao vào xe tải đang dừng trên đường cao "
        f"tốc đoạn qua Thường Tín, làm {injured} người bị thương.",
        "Những người bị thương được đưa đi cấp cứu. Giao thông ùn tắc nhiều giờ.",
        hours=4,
    )


# The next event of the fire, by an outlet that already told the fire: the traders' relief.
# It shares the fire's place and toll, so it matches VOV's report weakly (0.34, over the
# same-event threshold and under OUTLET_AGAIN): told by another outlet it would join.
RELIEF = article(
    21, "Tuổi Trẻ", "Nghệ An hỗ trợ tiểu thương chợ Vinh sau vụ cháy",
    "Chiều 2/3, UBND tỉnh Nghệ An quyết định hỗ trợ mỗi hộ tiểu thương chợ Vinh bị thiệt hại "
    "trong vụ cháy thiêu rụi hơn 200 ki-ốt rạng sáng cùng ngày 5 triệu đồng.",
    "Đám cháy được khống chế lúc 7h. Các hộ kinh doanh sẽ được bố trí chỗ bán tạm trong khu "
    "vực chợ để sớm ổn định cuộc sống.",
    hours=5,
)
