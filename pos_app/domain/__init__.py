"""Pure-Python shop rules: money, barcodes, scan routing, cart and pricing, tenders.

Nothing here imports Qt, SQL or any other pos_app package; only the standard library.
"""
