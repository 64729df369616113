"""Use cases of the till, one transaction each; no Qt here."""
