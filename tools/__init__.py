"""Developer tools outside the till's packages: screen renderers behind `pos screenshots`."""
