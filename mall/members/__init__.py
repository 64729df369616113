"""Members at the mall: ledgers, holds, receipt claims, keys and the members API for tills."""
