"""The H5 pages the QR codes open (mobile-first, Chinese, no external CDN): receipt claim,
log-in by SMS code, member page with the dynamic member code, product page of a label QR."""
