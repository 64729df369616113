"""Screen texts of the counter devices (scale, pole display, label printer) in zh_CN and en,
merged into i18n.TEXTS; kept apart so device work does not crowd the main text table."""

from __future__ import annotations

DEVICE_TEXTS: dict[str, tuple[str, str]] = {
    # weighing at the counter
    "weigh_title": ("称重", "Weigh"),
    "weigh_for": ("{name}　{price}/kg", "{name}  {price}/kg"),
    "weigh_kg": ("{kg} kg", "{kg} kg"),
    "weigh_no_reading": ("-.--- kg", "-.--- kg"),
    "weigh_stable": ("稳定", "stable"),
    "weigh_motion": ("称重中…", "settling…"),
    "weigh_net": ("净重（已去皮）", "net (tared)"),
    "weigh_amount": ("金额 {amount}", "Amount {amount}"),
    "weigh_hint": (
        "放好商品，重量稳定后按回车计入",
        "Put the goods on the scale; Enter books the weight once it is stable",
    ),
    "weigh_waiting": ("等待重量稳定…", "Waiting for a stable weight…"),
    "weigh_unsettled": (
        "{s} 秒内重量没有稳定，未计入。请放稳商品后按回车重试。",
        "The weight did not settle within {s} s: nothing booked. Steady the goods, press Enter.",
    ),
    "weigh_empty": ("秤盘上没有商品（重量为 0）", "Nothing on the scale (0 g)"),
    "weigh_zero_key": ("置零 [Z]", "Zero [Z]"),
    "weigh_tare_key": ("去皮 [T]", "Tare [T]"),
    "weigh_ok_key": ("计入 [回车]", "Book [Enter]"),
    "weigh_cancel_key": ("取消 [Esc]", "Cancel [Esc]"),
    "weigh_label_key": ("打印称重标签 [P]", "Print label [P]"),
    "weighed_label_queued": (
        "称重标签已送到标签打印机：{name} {weight}",
        "Label sent to the label printer: {name} {weight}",
    ),
    "weighed_label_failed": ("称重标签未能打印：{detail}", "Label not printed: {detail}"),
    "weigh_scan_blocked": ("请先完成称重，或按 Esc 取消", "Finish weighing first, or press Esc"),
    "fault_overload": ("超出秤的量程", "Over the scale's capacity"),
    "fault_underload": ("重量为负，请清空秤盘后置零", "Below zero: empty the scale and zero it"),
    "fault_zero_error": ("秤置零出错，请清空秤盘后置零", "Zero error: empty the scale, zero it"),
    "fault_wrong_unit": (
        "秤的单位不是千克，请在秤上改为 kg",
        "The scale is not set to kg: switch it to kg",
    ),
    # device status
    "device_off": ("未设置", "not set up"),
    "device_ready": ("正常", "ready"),
    "device_missing": ("未连接（检查数据线和电源）", "not connected (check cable and power)"),
    "device_busy": ("被其他程序占用", "in use by another program"),
    "device_silent": ("没有数据（检查秤是否开机、波特率）", "silent (power? baud rate?)"),
    "device_garbage": ("数据无法识别（协议或波特率不对）", "unreadable (protocol or baud rate)"),
    "status_devices": ("秤 {scale}　客显 {pole}", "Scale {scale}  Display {pole}"),
    # settings
    "settings_devices": ("外设", "Devices"),
    "settings_scale_uri": ("电子秤地址", "Scale address"),
    "settings_scale_protocol": ("秤协议", "Scale protocol"),
    "settings_settle": ("等待稳定 (秒)", "Settle within (s)"),
    "settings_pole_uri": ("客显地址", "Pole display address"),
    "settings_label_uri": ("标签打印机", "Label printer"),
    "settings_label_size": ("标签尺寸", "Label size"),
    "device_uri_hint": (
        "例如 serial:///dev/ttyUSB0?baudrate=9600、serial://COM3、tcp://192.168.1.60:4001；留空表示没有",
        "e.g. serial:///dev/ttyUSB0?baudrate=9600, serial://COM3, tcp://192.168.1.60:4001; "
        "empty: none",
    ),
    "proto_toledo8217": ("托利多 8217", "Mettler Toledo 8217"),
    "proto_sma": ("SMA 标准协议", "SMA"),
    "proto_ascii": ("连续发送 (ST,GS,+ 1.234kg)", "Continuous ASCII (ST,GS,+ 1.234kg)"),
    "device_test": ("测试", "Test"),
    "device_bad_uri": (
        "{what}地址应以 {schemes} 开头：{uri}",
        "The {what} address must start with {schemes}: {uri}",
    ),
    "what_scale": ("电子秤", "scale"),
    "what_pole": ("客显", "pole display"),
    "what_label": ("标签打印机", "label printer"),
    "device_testing": ("正在测试…", "Testing…"),
    "device_no_uri": ("请先填写地址", "Enter an address first"),
    "test_scale_ok": ("电子秤正常：{weight}", "Scale works: {weight}"),
    "test_scale_failed": ("电子秤{status}", "Scale {status}"),
    "test_pole_ok": (
        "已发送，客显应依次亮四个灯并显示 {digits}",
        "Sent: the display should light each lamp showing {digits}",
    ),
    "test_pole_failed": ("客显{status}：{detail}", "Pole display {status}: {detail}"),
    "test_label_ok": ("测试标签已加入打印队列", "Test label queued for the label printer"),
    "test_label_failed": ("标签打印机出错：{detail}", "Label printer failed: {detail}"),
}
