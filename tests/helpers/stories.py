"""Self-made articles for the story tests: one event told by three outlets (Tuổi Trẻ, VOV,
Một Thế Giới), and another event of the same day and topic (a fire in Bình Dương)."""

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
