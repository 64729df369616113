"""The 外设 part of 设置: addresses of the scale, pole display and label printer, the scale
protocol, how long a weight may take to settle, the label size, and a test button for each.

Tests never block the screen: the scale and the pole display run on their own threads and are
looked at by a timer; the test label goes through the print queue like any label.
"""

from __future__ import annotations

import time

from pos_app.domain.gtin import make_ean13
from pos_app.domain.print_jobs import JobKind
from pos_app.hardware.devices import DeviceStatus
from pos_app.hardware.pole_display import Light, PoleDisplay, PoleView, amount_digits
from pos_app.hardware.scale import Scale, SerialScale
from pos_app.services.device_settings import (
    LABEL_PRINTER_SCHEMES,
    LABEL_SIZES,
    MAX_SETTLE_S,
    SCALE_PROTOCOLS,
    SERIAL_SCHEMES,
    DeviceSettings,
    read_device_settings,
    save_device_settings,
    uri_allowed,
)
from pos_app.services.printing import enqueue_job
from pos_app.ui.context import TillContext
from pos_app.ui.i18n import InputError, error_text, tr
from pos_app.ui.qt import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimer,
    QWidget,
)
from pos_app.ui.widgets import combo, label, qty_text, show_message

TEST_WAIT_S = 3.0
POLE_TEST_FEN = 88_888_888  # lights every segment: 888888.88
TEST_LABEL_URL = "https://mall.example.cn"


def _line(name: str, text: str) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText("serial:///dev/ttyUSB0?baudrate=9600")
    return edit


class DeviceSettingsBox(QWidget):
    """Rows for a settings form; save() validates (Chinese messages) and stores them."""

    def __init__(self, ctx: TillContext) -> None:
        super().__init__()
        self.ctx = ctx
        current = read_device_settings(ctx.db)
        self.scale_uri = _line("scale_uri", current.scale_uri)
        protocols: list[tuple[str, object]] = [(tr(f"proto_{p}"), p) for p in SCALE_PROTOCOLS]
        self.protocol = combo("scale_protocol", protocols, current.scale_protocol)
        self.settle = QSpinBox()
        self.settle.setObjectName("scale_settle_s")
        self.settle.setRange(1, MAX_SETTLE_S)
        self.settle.setValue(current.scale_settle_s)
        self.pole_uri = _line("pole_uri", current.pole_display_uri)
        self.label_uri = _line("label_uri", current.label_printer_uri)
        self.label_uri.setPlaceholderText("tcp://192.168.1.80:9100")
        sizes: list[tuple[str, object]] = [(f"{size} mm", size) for size in LABEL_SIZES]
        self.label_size = combo("label_size", sizes, current.label_size)
        self.result = label(name="device_test_result")
        self.result.setWordWrap(True)
        self._timers: list[QTimer] = []
        self._testing: list[Scale | PoleDisplay] = []  # opened for a test, to be closed

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(label(tr("settings_devices"), bold=True))
        hint = label(tr("device_uri_hint"))
        hint.setWordWrap(True)
        hint.setMinimumHeight(hint.fontMetrics().lineSpacing() * 2)  # two lines in 960 px
        form.addRow(hint)
        form.addRow(tr("settings_scale_uri"), self._with_test(self.scale_uri, self.test_scale))
        form.addRow(tr("settings_scale_protocol"), self.protocol)
        form.addRow(tr("settings_settle"), self.settle)
        form.addRow(tr("settings_pole_uri"), self._with_test(self.pole_uri, self.test_pole))
        form.addRow(tr("settings_label_uri"), self._with_test(self.label_uri, self.test_label))
        form.addRow(tr("settings_label_size"), self.label_size)
        form.addRow("", self.result)

    def _with_test(self, edit: QLineEdit, test: object) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton(tr("device_test"))
        button.setObjectName(f"test_{edit.objectName()}")
        button.clicked.connect(test)
        layout.addWidget(button)
        return row

    def values(self) -> DeviceSettings:
        """The settings as typed; InputError (in the screen language) for a wrong address."""
        settings = DeviceSettings(
            scale_uri=self.scale_uri.text().strip(),
            scale_protocol=str(self.protocol.currentData()),
            scale_settle_s=self.settle.value(),
            pole_display_uri=self.pole_uri.text().strip(),
            label_printer_uri=self.label_uri.text().strip(),
            label_size=str(self.label_size.currentData()),
        )
        for what, uri, schemes in (
            ("what_scale", settings.scale_uri, SERIAL_SCHEMES),
            ("what_pole", settings.pole_display_uri, SERIAL_SCHEMES),
            ("what_label", settings.label_printer_uri, LABEL_PRINTER_SCHEMES),
        ):
            if not uri_allowed(uri, schemes):
                allowed = " / ".join(f"{scheme}://" for scheme in schemes)
                raise InputError(tr("device_bad_uri", what=tr(what), schemes=allowed, uri=uri))
        return settings

    def save(self, *, approver_id: int) -> None:
        db, values, actor = self.ctx.db, self.values(), self.ctx.staff_id
        self.ctx.write(
            lambda: save_device_settings(db, values, actor_id=actor, approver_id=approver_id)
        )

    # -- tests -----------------------------------------------------------------------------

    def _address(self, edit: QLineEdit) -> str | None:
        uri = edit.text().strip()
        if not uri:
            show_message(self.result, tr("device_no_uri"), error=True)
            return None
        show_message(self.result, tr("device_testing"), error=False)
        return uri

    def _every_tick(self, tick: object) -> None:
        """Call tick() every 100 ms until it returns True."""
        timer = QTimer(self, interval=100)

        def step() -> None:
            if tick():  # type: ignore[operator]
                timer.stop()
                self._timers.remove(timer)

        timer.timeout.connect(step)
        self._timers.append(timer)
        timer.start()

    def _open_scale(self, uri: str) -> SerialScale:
        scale = SerialScale(uri, str(self.protocol.currentData()), retry_s=0.5)
        self._testing.append(scale)
        return scale

    def _open_pole(self, uri: str) -> PoleDisplay:
        pole = PoleDisplay(uri, retry_s=TEST_WAIT_S)
        self._testing.append(pole)
        return pole

    def _done_with(self, device: Scale | PoleDisplay) -> None:
        """Close a device opened for a test (the till's own devices stay open)."""
        if device in self._testing:
            self._testing.remove(device)
            device.close()

    def stop_tests(self) -> None:
        """The dialog closes: release every port a test still holds."""
        for timer in self._timers:
            timer.stop()
        for device in list(self._testing):
            self._done_with(device)

    def test_scale(self) -> None:
        """Open the scale as typed and show its first reading (or why there is none)."""
        uri = self._address(self.scale_uri)
        if uri is None:
            return
        running = self.ctx.scale  # the till's own scale holds its port: look at it instead
        scale = running if running is not None and running.uri == uri else self._open_scale(uri)
        deadline = time.monotonic() + TEST_WAIT_S

        def tick() -> bool:
            state = scale.state()
            reading = state.reading
            if reading is not None and reading.weight_g is not None:
                weight = qty_text(reading.weight_g, weighed=True)
                show_message(self.result, tr("test_scale_ok", weight=weight), error=False)
            elif time.monotonic() < deadline:
                return False
            else:
                status = tr(f"device_{state.status.value}")
                show_message(self.result, tr("test_scale_failed", status=status), error=True)
            self._done_with(scale)
            return True

        self._every_tick(tick)

    def test_pole(self) -> None:
        """Light each lamp in turn over 8888888.88, then report what the port said."""
        uri = self._address(self.pole_uri)
        if uri is None:
            return
        running = self.ctx.pole
        pole = running if running is not None and running.uri == uri else self._open_pole(uri)
        for light in (Light.PRICE, Light.TOTAL, Light.PAID, Light.CHANGE):
            pole.show(PoleView(light, POLE_TEST_FEN))
        deadline = time.monotonic() + 1.0

        def tick() -> bool:
            if time.monotonic() < deadline:
                return False
            status, detail = pole.status()
            self._done_with(pole)
            if status is DeviceStatus.READY:
                digits = amount_digits(POLE_TEST_FEN)
                show_message(self.result, tr("test_pole_ok", digits=digits), error=False)
            else:
                text = tr("test_pole_failed", status=tr(f"device_{status.value}"), detail=detail)
                show_message(self.result, text, error=True)
            return True

        self._every_tick(tick)

    def test_label(self) -> None:
        """Queue one TSPL test label for the label printer as typed. (The label renderer and
        its imaging library load here, not with the till's window.)"""
        from pos_app.hardware.labels import PriceLabel
        from pos_app.hardware.tspl import LABEL_STOCK, render_tspl_job

        uri = self._address(self.label_uri)
        if uri is None:
            return
        test_label = PriceLabel(
            "TEST", "门店通测试标签", "个", 1234, 1111, make_ean13("690000000001"), TEST_LABEL_URL
        )
        job = render_tspl_job([test_label], LABEL_STOCK[str(self.label_size.currentData())])
        db = self.ctx.db
        self.ctx.ops.run(
            lambda: enqueue_job(db, JobKind.TSPL_LABEL, lambda _s, _p: job, printer_uri=uri),
            success=lambda _: show_message(self.result, tr("test_label_ok"), error=False),
            failure=lambda error: show_message(
                self.result, tr("test_label_failed", detail=error_text(error)), error=True
            ),
            owner=self,
        )
