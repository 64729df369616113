"""What each setting is until the store sets it. A module of its own: the first screen reads a
few settings through sqlite3 before the database layer has loaded (ui/first_screen.py)."""

from __future__ import annotations

import json
from typing import Any

DEFAULTS: dict[str, Any] = {
    "store_id": "S001",
    "till_id": "T01",
    "store_name": "门店通便利店",
    "store_address": "",
    "store_phone": "",
    "rounding_mode": "none",
    "scale_layouts": ["21:FFCCCCCWWWWWK", "20-24:FFCCCCCPPPPPWWWWWK", "20-29:FFCCCCCPPPPPK"],
    "scale_zero_price_allowed": False,
    "cost_method": "last",  # the cost price a receiving leaves: last | weighted_average
    "receipt_width_mm": 58,
    "receipt_footer": "谢谢惠顾，欢迎再次光临",
    "mall_base_url": "https://mall.example.cn",
    "printer_uri": "",
    "printer_options": {},
    "timezone": "Asia/Shanghai",
    "receipt_token_keys": {},
    "receipt_token_kid": "1",
    "language": "zh_CN",
    "window_maximised": True,  # the till window fills the screen from the start
    # counter devices (services/device_settings.py)
    "scale_uri": "",
    "scale_protocol": "ascii",
    "scale_settle_s": 5,
    "pole_display_uri": "",
    "label_printer_uri": "",
    "label_size": "40x30",
}


def setting_value(key: str, stored: str | None) -> Any:
    """A setting's value from its stored JSON text, or its default when none is stored."""
    return DEFAULTS.get(key) if stored is None else json.loads(stored)
