"""Errors a service raises, with messages written for the cashier or manager who reads them."""

from __future__ import annotations

from pos_app.domain.coded import CodedError


class ServiceError(CodedError):
    """Base of all use-case errors; str(error) is fit to show on screen."""


class UnknownBarcode(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"Barcode {code} is not in the catalog. Check the item or search by name.",
            code="unknown_barcode",
            barcode=code,
        )
        self.barcode = code


class NotFullyPaid(ServiceError):
    pass


class EmptyCart(ServiceError):
    pass


class NoOpenShift(ServiceError):
    pass


class WrongPin(ServiceError):
    pass


class PinLocked(ServiceError):
    """Too many wrong PINs in a row: PIN entry is locked for seconds_left more seconds."""

    def __init__(self, seconds_left: int) -> None:
        super().__init__(
            f"Too many wrong PINs: try again in {seconds_left} s.",
            code="pin_locked",
            s=seconds_left,
        )
        self.seconds_left = seconds_left


class RefundError(ServiceError):
    pass


class ReceiptQrInvalid(RefundError):
    """A scanned receipt QR that this till cannot vouch for (tampered, other store, too old)."""


class ShiftError(ServiceError):
    pass
