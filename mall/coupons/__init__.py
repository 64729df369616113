"""Coupons (优惠券): campaigns, coupons issued or claimed, holds by tills and their ledger."""
