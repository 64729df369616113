"""门店通 POS, the till. The version here is the one the package, the bundle and the support
bundle report."""

__version__ = "0.1.0"
