"""Errors a service raises, with messages written for the cashier or manager who reads them."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of all use-case errors; str(error) is fit to show on screen."""


class UnknownBarcode(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"Barcode {code} is not in the catalog. Check the item or search by name.")
        self.code = code


class NotFullyPaid(ServiceError):
    pass


class EmptyCart(ServiceError):
    pass


class NoOpenShift(ServiceError):
    pass


class OverrideRequired(ServiceError):
    pass


class WrongPin(ServiceError):
    pass


class RefundError(ServiceError):
    pass


class ReceiptQrInvalid(RefundError):
    """A scanned receipt QR that this till cannot vouch for (tampered, other store, too old)."""


class ShiftError(ServiceError):
    pass
