"""The shop owner's back office: figures with charts, receiving, stocktake, stock, products.

The main window opens window.BackOfficeWindow(db, manager) behind a manager log-in;
capture.capture_backoffice(db, out_dir) renders it to PNG for review. Nothing is imported
here, so the main window can import the window module without a cycle through capture.
"""
