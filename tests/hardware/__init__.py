"""Tests of pos_app.hardware: receipts, labels, printer connections and the print queue."""
