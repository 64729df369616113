"""Demo data for `pos run --demo`, `pos demo-data`, screenshots and benches: a seeded store,
staff, a generated catalog and sales history, and a local mall. Nothing in the core imports it."""
