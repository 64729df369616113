"""Who the demo store is: its store, till and staff with their PINs (shown on the demo log-in)."""

from __future__ import annotations

DEMO_STORE = ("S001", "门店通便利店")
DEMO_TILL = ("T01", "一号收银台")
DEMO_STAFF = (  # code, name, role, PIN
    ("1001", "张三", "cashier", "1234"),
    ("2001", "李经理", "manager", "9999"),
    ("3001", "王主管", "supervisor", "5678"),
)
DEMO_CASHIER = (DEMO_STAFF[0][0], DEMO_STAFF[0][3])  # staff number, PIN
