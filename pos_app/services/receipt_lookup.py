"""Reading a scanned receipt QR back into the sale it was printed for (refunds start there).
The till holds its store's receipt keys, so it verifies the token offline."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from pos_app.domain.receipt_token import ReceiptTokenError, verify_receipt_token
from pos_app.services.errors import ReceiptQrInvalid
from pos_app.services.receipts import receipt_keys
from pos_app.services.till import sale_number, till_identity
from pos_app.store.models import utc_now

RECEIPT_PATH = "/r/"
REFUND_WINDOW = timedelta(days=366)  # a receipt older than this is refused without a manager


def sale_no_from_scan(session: Session, text: str) -> str:
    """The sale number in a scanned receipt link, or the text itself when it is a number."""
    text = text.strip()
    if RECEIPT_PATH not in text:
        return text
    token = text.rsplit(RECEIPT_PATH, 1)[1].split("?")[0].strip("/")
    try:
        claim = verify_receipt_token(
            token, receipt_keys(session), now=utc_now(), max_age=REFUND_WINDOW
        )
    except ReceiptTokenError as error:
        raise ReceiptQrInvalid(f"This receipt QR code is not valid here: {error}") from None
    if claim.store_id != till_identity(session).store_id:
        raise ReceiptQrInvalid(
            "This receipt is from another store; refund it there.", code="receipt_other_store"
        )
    return sale_number(claim.till_id, claim.till_seq)
