"""A small Vietnamese news article written for these tests (not from any dataset)."""

from __future__ import annotations

import pytest

ARTICLE = (
    "Hà Nội, 12/3/2024\n"
    "Sáng 12/3, UBND TP. Hà Nội tổ chức hội nghị triển khai kế hoạch phòng chống ngập úng mùa mưa "
    "năm nay. Theo báo cáo, mùa mưa năm ngoái thành phố có 25 điểm ngập sâu, gây ùn tắc giao thông "
    "kéo dài. Thành phố sẽ đầu tư 2.000 tỷ đồng để cải tạo hệ thống thoát nước tại các quận nội "
    "thành. Ông Nguyễn Văn T., Giám đốc Sở Xây dựng, cho biết các công trình sẽ hoàn thành trước "
    "tháng 6. Người dân được khuyến cáo theo dõi dự báo thời tiết và hạn chế ra đường khi mưa lớn. "
    "Hội nghị kết thúc lúc 11h30 cùng ngày.\n"
    "Minh Anh\n"
    "Ảnh: Sở Xây dựng Hà Nội"
)
TITLE = "Hà Nội chi 2.000 tỷ đồng chống ngập úng mùa mưa"


@pytest.fixture
def article() -> str:
    return ARTICLE


@pytest.fixture
def title() -> str:
    return TITLE
